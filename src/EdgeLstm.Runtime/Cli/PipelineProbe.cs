using System.Globalization;
using EdgeLstm.Core.Model;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Frames;
using EdgeLstm.Runtime.Pipeline;
using EdgeLstm.Runtime.Sinks;
using EdgeLstm.Sensors;
using EdgeLstm.Sensors.Configuration;
using EdgeLstm.Sensors.Timing;

namespace EdgeLstm.Runtime.Cli;

/// <summary>
/// What <c>validate</c> does after the checks, so that what it accepts <c>run</c> runs: builds the real pipeline the
/// way <c>run</c> does (board, channel map, normalizer, engine, decision, emitter), feeds it samples with every model
/// channel at its normalization mean until the model has produced a prediction, and encodes a Hello, an Alarm
/// (raised and cleared) and a Health frame with the real encoder in every form a sink takes. No hardware is opened:
/// a real board is built with its chips simulated behind the same drivers (<c>board.simulated</c>) and without its
/// alarm pin, so a real I2C bus, SPI device or GPIO chip is never touched.
/// </summary>
internal static class PipelineProbe
{
    /// <summary>Why the pipeline cannot start or run its first sample, in a sentence naming the stage and the cause; null when it runs.</summary>
    /// <param name="setup">The loaded and checked config and model.</param>
    /// <returns>The problem, or null.</returns>
    public static string? Problem(RuntimeSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        BoardConfig config = setup.Board.Config;
        BoardInfo info = config.Board;
        bool simulated = info.Simulated;
        AlarmConfig? alarm = config.Alarm;
        string stage = "building the pipeline";
        // A real board is built as its simulated twin: the same devices and channels, no bus opened, and no alarm pin
        // (the validator checked it; a simulated GPIO chip has fewer lines than some real ones). A simulated board is
        // built as run builds it, alarm pin included.
        if (!simulated)
        {
            info.Simulated = true;
            config.Alarm = null;
        }

        try
        {
            var sinks = new List<FrameSink> { new ProbeSink(FrameForm.Text), new ProbeSink(FrameForm.Stream), new ProbeSink(FrameForm.Datagram) };
            using SensorBoard board = SensorBoard.Create(setup.Board, new ManualClock());
            using FrameEmitter emitter = setup.CreateEmitter(sinks);
            using BoardPipeline pipeline = setup.CreatePipeline(board, emitter, TextWriter.Null);

            stage = "encoding the Hello frame";
            emitter.EmitHello(setup.CreateHello());

            stage = "the first samples (each model channel at its normalization mean)";
            float[] values = MeanValues(board.Sampler.Channels, setup.Model.Metadata.Channels);
            ModelMetadata meta = setup.Model.Metadata;
            // A windowed model predicts once its window is full: at most a window and a stride of samples.
            long samples = (long)Math.Max(1, meta.WindowLength) + Math.Max(1, meta.Stride);
            long period = board.Sampler.PeriodNanoseconds;
            for (long k = 0; k < samples && pipeline.Predictions == 0; k++) pipeline.ProcessValues(values, k * period, inputDegraded: false);
            if (pipeline.Predictions == 0) return $"the model produced no prediction in {samples} samples";

            stage = "encoding an Alarm frame";
            int classIndex = Math.Max(0, meta.OutputNames.Count - 1);
            string name = setup.Rules.Count > 0 ? setup.Rules[0].Name : "alarm";
            emitter.EmitAlarm(0, raised: true, classIndex, name, 1f, uint.MaxValue);
            emitter.EmitAlarm(0, raised: false, AlarmFrame.AnomalyClassIndex, name, 0f, uint.MaxValue);

            stage = "encoding a Health frame";
            pipeline.EmitHealth();

            stage = "sending the frames";
            foreach (FrameSink sink in sinks)
            {
                if (sink.Failure is { } failure) return failure;
            }

            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return $"the pipeline fails at {stage}: {e.Message.TrimEnd('.')}";
        }
        finally
        {
            info.Simulated = simulated;
            config.Alarm = alarm;
        }
    }

    /// <summary>A board sample with each model channel at its mean (it normalizes to 0) and every other channel at 0.</summary>
    private static float[] MeanValues(IReadOnlyList<ChannelSpec> boardChannels, IReadOnlyList<ChannelInfo> modelChannels)
    {
        var values = new float[boardChannels.Count];
        for (int b = 0; b < boardChannels.Count; b++)
        {
            foreach (ChannelInfo channel in modelChannels)
            {
                if (string.Equals(channel.Name, boardChannels[b].Name, StringComparison.Ordinal)) values[b] = channel.Mean;
            }
        }

        return values;
    }

    /// <summary>Takes frames in one form and notes the first one a collector would refuse (a payload over the protocol's limit).</summary>
    private sealed class ProbeSink(FrameForm form) : FrameSink
    {
        private string? _failure;

        public override string Name => "validate";

        public override FrameForm Form => form;

        public override string? Failure => _failure;

        public override void Write(in OutgoingFrame frame)
        {
            int limit = DecoderLimits.Default.MaxPayloadBytes;
            if (form == FrameForm.Datagram && frame.Datagram.Length > limit && _failure is null)
            {
                _failure = string.Create(CultureInfo.InvariantCulture,
                    $"the {frame.Type} frame is {frame.Datagram.Length} bytes, over the protocol's limit of {limit}");
            }
        }
    }
}
