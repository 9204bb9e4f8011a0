using EdgeLstm.Core;
using EdgeLstm.Core.Engine;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Model;
using EdgeLstm.Runtime.Cli;
using EdgeLstm.Runtime.Configuration;
using EdgeLstm.Runtime.Inference;

namespace EdgeLstm.Runtime.Tests.Cli;

/// <summary>
/// What <c>validate</c> accepts, <c>run</c> runs: each refusal exits 2 with a sentence naming the field and the value, at
/// validate and at run alike.
/// </summary>
public class ValidateRefusalTests
{
    private static (int Exit, string Output, string Error) Validate(TestBoard board, string? model = null)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = ValidateCommand.Run(board.ConfigPath, model, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static (int Exit, string Log) Run(TestBoard board)
    {
        var log = new StringWriter();
        int exit = RunCommand.Run(new RunOptions(board.ConfigPath, null, TimeSpan.FromSeconds(1), null, OutputFormat.Text), Stream.Null, log, default);
        return (exit, log.ToString());
    }

    private static void EditConfig(TestBoard board, string from, string to)
    {
        string text = File.ReadAllText(board.ConfigPath);
        Assert.Contains(from, text);
        File.WriteAllText(board.ConfigPath, text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>A GRU classifier over the test board's channels with the given output labels.</summary>
    private static RecurrentModel Classifier(string[] outputs)
    {
        const int hidden = 4;
        var layer = new RecurrentLayer(RecurrentKind.Gru, RecurrentDirection.Forward, 2, hidden,
            [new DirectionWeights(WeightMatrix.FromFloat(3 * hidden, 2, new float[3 * hidden * 2]), WeightMatrix.FromFloat(3 * hidden, hidden, new float[3 * hidden * hidden]),
                new float[3 * hidden], new float[3 * hidden])],
            RecurrentLayer.DefaultActivations(RecurrentKind.Gru, 1), LinearBeforeReset: true);
        var head = new DenseLayer(WeightMatrix.FromFloat(outputs.Length, hidden, new float[outputs.Length * hidden]), new float[outputs.Length], ActivationKind.Softmax);
        var meta = new ModelMetadata([new ChannelInfo("current", "A", 12f, 1f), new ChannelInfo("pressure", "bar", 2.5f, 1f)], OutputKind.Classifier, outputs);
        return new RecurrentModel([layer], [head], HeadInput.LastStep, meta);
    }

    [Fact]
    public void A_model_whose_hello_would_pass_the_frame_limit_is_refused()
    {
        // 20 labels of 250 bytes each: every label is within the model's 256-byte limit, together 5,000 bytes.
        string[] labels = [.. Enumerable.Range(0, 20).Select(i => $"c{i}".PadRight(250, 'x'))];
        using var board = new TestBoard(decision: $$"""{ "threshold": 0.5, "clearThreshold": 0.4, "score": "output", "output": "{{labels[1]}}" }""");
        ModelFile.Save(Classifier(labels), board.ModelPath);
        (int exit, _, string error) = Validate(board);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.True(error.Contains("the Hello frame would be", StringComparison.Ordinal), error);
        Assert.Contains("over the protocol's limit of 4096: the model's 2 channel names take 15 bytes, its 20 output labels 5000 bytes", error);
        Assert.Equal(ExitCodes.BadInput, Run(board).Exit);
    }

    [Fact]
    public void A_board_name_that_makes_the_hello_too_long_is_refused()
    {
        using var board = new TestBoard();
        EditConfig(board, "\"name\": \"test-board\"", $"\"name\": \"{new string('b', 4100)}\"");
        (int exit, _, string error) = Validate(board);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"the device id '{new string('b', 59)}…' {4101 + Environment.MachineName.Length} bytes (board.name and the host name)", error);
    }

    [Fact]
    public void A_model_over_the_boards_memory_budget_is_refused_at_validate_and_run()
    {
        using var board = new TestBoard();
        EditConfig(board, "\"model\": { \"path\": \"model.elstm\" }", "\"model\": { \"path\": \"model.elstm\", \"maxMemoryMiB\": 0.001 }");
        (int exit, _, string error) = Validate(board);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("the model needs ", error);
        Assert.Contains("but model.maxMemoryMiB is 0.001 MiB (1,048 bytes)", error);
        (int runExit, string log) = Run(board);
        Assert.Equal(ExitCodes.BadInput, runExit);
        Assert.Contains("but model.maxMemoryMiB is 0.001 MiB", log);
    }

    [Fact]
    public void A_memory_budget_that_is_not_a_positive_number_is_a_config_problem()
    {
        using var board = new TestBoard();
        EditConfig(board, "\"model\": { \"path\": \"model.elstm\" }", "\"model\": { \"path\": \"model.elstm\", \"maxMemoryMiB\": -1 }");
        (int exit, _, string error) = Validate(board);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("$.model.maxMemoryMiB: the memory budget -1 MiB is not a positive number up to 1048576.", error);
    }

    [Fact]
    public void Validate_prints_the_memory_need_and_the_budget()
    {
        using var board = new TestBoard();
        EditConfig(board, "\"model\": { \"path\": \"model.elstm\" }", "\"model\": { \"path\": \"model.elstm\", \"maxMemoryMiB\": 64 }");
        (int exit, string output, string error) = Validate(board);
        Assert.True(exit == ExitCodes.Success, error);
        ModelMemory need = ModelMemory.Of(ModelFile.Load(board.ModelPath));
        Assert.Contains($"memory: the model needs {ModelDescription.Memory(need)} (budget 64 MiB)", output);
    }

    [Fact]
    public void A_replay_recording_larger_than_the_limit_is_refused_before_it_is_read()
    {
        using var board = new TestBoard(replayCsv: "t;current;pressure\n0;12;2.5\n");
        string csv = Path.Combine(board.Directory, "recording.csv");
        using (var file = new FileStream(csv, FileMode.Open))
        {
            file.SetLength(Sensors.Devices.CsvRecording.MaxFileBytes + 1); // sparse: the size alone refuses it
        }

        (int exit, _, string error) = Validate(board);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("$.devices[0].file:", error);
        Assert.Contains($"{csv}: the file is 67,108,865 bytes; a recording may be at most 67,108,864 bytes.", error);
    }

    [Fact]
    public void A_model_file_larger_than_the_limit_is_refused_before_it_is_read()
    {
        using var board = new TestBoard();
        using (var file = new FileStream(board.ModelPath, FileMode.Open))
        {
            file.SetLength(ModelFile.MaxFileLength + 1);
        }

        (int exit, _, string error) = Validate(board);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains($"is not usable: {board.ModelPath}: the file is 268,435,581 bytes, larger than any valid model file", error);
        var info = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, InfoCommand.Run(new FileInfo(board.ModelPath), TextWriter.Null, info));
        Assert.Contains("268,435,581 bytes", info.ToString());
    }

    [Fact]
    public void An_onnx_runtime_style_model_whose_engine_disagrees_with_its_metadata_is_refused_by_the_pipeline_run()
    {
        // The class of failure only running the pipeline finds: the metadata (2 channels, window 4) passes every
        // check, but the engine behind it takes 3 inputs per step, so the first window it is given fails.
        using var board = new TestBoard();
        RuntimeSetup setup = RuntimeSetup.Load(board.ConfigPath, null, RunOverrides.None, out List<string> problems)
            ?? throw new InvalidOperationException(string.Join("; ", problems));
        RecurrentModel threeInputs = Classifier(["normal", "fault"]) is var m
            ? m with
            {
                Layers = [m.Layers[0] with
                {
                    InputSize = 3,
                    Directions = [m.Layers[0].Directions[0] with { W = WeightMatrix.FromFloat(12, 3, new float[36]) }],
                }],
                Metadata = ModelMetadata.CreateDefault(3, 2, OutputKind.Classifier),
            }
            : throw new InvalidOperationException();
        ModelMetadata windowed = setup.Model.Metadata with { Mode = ExecutionMode.Windowed, WindowLength = 4 };
        var mismatched = new RuntimeModel(windowed, CanStream: false, "test", window => new PredictorEngine(new Predictor(threeInputs, window)));
        Assert.Null(PipelineProbe.Problem(setup));
        string? problem = PipelineProbe.Problem(setup with { Model = mismatched });
        Assert.Equal("the pipeline fails at the first samples (each model channel at its normalization mean): A window must hold T × 3 values; got 8. (Parameter 'window')", problem);
    }

    [Fact]
    public void Validate_builds_a_real_hardware_board_as_its_simulated_twin_and_opens_nothing()
    {
        // The Pi 4 pump monitor drives an alarm relay on GPIO 27: run cannot open it on this machine, validate never tries.
        string config = Repository.FirmwareConfig("pi4-pump-monitor.json");
        var error = new StringWriter();
        var output = new StringWriter();
        Assert.True(ValidateCommand.Run(config, null, output, error) == ExitCodes.Success, error.ToString());
        Assert.Contains("ok: pi4-pump-monitor fits model pump-lstm.elstm", output.ToString());
        var log = new StringWriter();
        int exit = RunCommand.Run(new RunOptions(config, null, TimeSpan.FromSeconds(1), null, OutputFormat.Text), Stream.Null, log, default);
        if (exit == ExitCodes.BadInput) Assert.Contains("cannot start the board 'pi4-pump-monitor': The alarm output on GPIO 27 could not be opened", log.ToString());
    }

    [Fact]
    public void A_real_boards_alarm_pin_is_left_alone_and_a_simulated_board_is_built_as_run_builds_it()
    {
        // GPIO 100 exists on some generic boards; the simulated GPIO chip has 64 lines.
        using var board = new TestBoard();
        EditConfig(board, "\"simulated\": true }", "\"simulated\": true, \"hardware\": \"generic\" },\n  \"alarm\": { \"pin\": 100 }");
        (int exit, _, string error) = Validate(board);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("the pipeline fails at building the pipeline: The alarm output on GPIO 100 could not be opened", error);
        Assert.Equal(ExitCodes.BadInput, Run(board).Exit);

        EditConfig(board, "\"simulated\": true", "\"simulated\": false");
        EditConfig(board, "\"clock\": \"fast\"", "\"clock\": \"realtime\"");
        (exit, _, error) = Validate(board);
        Assert.True(exit == ExitCodes.Success, error);
    }

    [Theory]
    [InlineData("oom", ExitCodes.BadInput, "out of memory: the model, its window or a data file needs more memory than this machine has")]
    [InlineData("stack", ExitCodes.BadInput, "out of stack: an input is nested too deeply to process")]
    [InlineData("bug", ExitCodes.InternalError, "internal error (InvalidOperationException): two lines; please report it")]
    public void A_fault_no_command_handled_ends_with_one_line_and_a_documented_exit_code(string kind, int code, string message)
    {
#pragma warning disable CA2201 // the runtime's own exceptions, made here to see how they are reported
        Exception e = kind switch
        {
            "oom" => new OutOfMemoryException(),
            "stack" => new InsufficientExecutionStackException(),
            _ => new InvalidOperationException("two\nlines"),
        };
#pragma warning restore CA2201
        (string text, int exit) = EdgeLstmCli.Fault(e);
        Assert.Equal(code, exit);
        Assert.StartsWith(message, text);
        Assert.DoesNotContain('\n', text);
    }
}
