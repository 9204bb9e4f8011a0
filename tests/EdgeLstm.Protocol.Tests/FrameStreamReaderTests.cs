using System.IO.Pipelines;

namespace EdgeLstm.Protocol.Tests;

public class FrameStreamReaderTests
{
    private static byte[] SampleStream() =>
    [
        .. ExampleFrames.Bytes(ExampleFrames.HelloFramed),
        .. ExampleFrames.Bytes(ExampleFrames.PredictionFramed),
        0x42, 0x42, 0x42, 0x00,
        .. ExampleFrames.Bytes(ExampleFrames.HealthFramed),
        .. ExampleFrames.Bytes(ExampleFrames.AlarmFramed),
        .. ExampleFrames.Bytes(ExampleFrames.AckFramed)[..5],
    ];

    private static void AssertSampleResults(List<DecodeResult> results)
    {
        Assert.Equal(6, results.Count);
        FrameAssert.Decoded(ExampleFrames.Hello, results[0]);
        FrameAssert.Decoded(ExampleFrames.Prediction, results[1]);
        Assert.Equal(DecodeStatus.Malformed, results[2].Status);
        FrameAssert.Decoded(ExampleFrames.Health, results[3]);
        FrameAssert.Decoded(ExampleFrames.Alarm, results[4]);
        FrameAssert.Malformed(results[5], FrameErrorKind.TruncatedStream);
    }

    [Fact]
    public async Task Reads_frames_and_errors_from_a_stream_until_it_ends()
    {
        using var stream = new MemoryStream(SampleStream());
        var results = new List<DecodeResult>();

        await foreach (DecodeResult result in FrameStreamReader.ReadAllAsync(stream))
        {
            results.Add(result);
        }

        AssertSampleResults(results);
    }

    [Fact]
    public async Task Reads_frames_and_errors_from_a_pipe_written_in_small_pieces()
    {
        var pipe = new Pipe();
        byte[] bytes = SampleStream();
        Task writer = Task.Run(async () =>
        {
            for (int i = 0; i < bytes.Length; i += 7)
            {
                await pipe.Writer.WriteAsync(bytes.AsMemory(i, Math.Min(7, bytes.Length - i)));
            }

            await pipe.Writer.CompleteAsync();
        });
        var results = new List<DecodeResult>();

        await foreach (DecodeResult result in FrameStreamReader.ReadAllAsync(pipe.Reader))
        {
            results.Add(result);
        }

        await writer;
        AssertSampleResults(results);
    }
}
