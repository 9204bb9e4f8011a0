using EdgeLstm.Core;
using EdgeLstm.Runtime.Cli;

namespace EdgeLstm.Runtime.Tests.Cli;

public class ValidateCommandTests
{
    [Fact]
    public void A_fitting_config_and_model_validate()
    {
        using var board = new TestBoard();
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, ValidateCommand.Run(board.ConfigPath, null, output, new StringWriter()));
        Assert.Contains("ok: test-board fits model model.elstm", output.ToString());
        Assert.Contains("2 channels at 100 Hz, 1 alarm", output.ToString());
    }

    [Fact]
    public void Every_mismatch_is_listed_at_once()
    {
        using var board = new TestBoard(modelChannels: ["current", "temperature"], sampleRate: 10,
            decision: """{ "score": "output", "output": "leak", "threshold": 0.5 }""");
        var error = new StringWriter();
        Assert.Equal(ExitCodes.BadInput, ValidateCommand.Run(board.ConfigPath, null, new StringWriter(), error));
        string text = error.ToString();
        Assert.Contains("3 problems", text);
        Assert.Contains("model channel 'temperature' is not on the board", text);
        Assert.Contains("set sampler.rateHz to 10", text);
        Assert.Contains("score output 'leak'", text);
    }

    [Fact]
    public void Unit_differences_are_warnings()
    {
        using var board = new TestBoard();
        string config = File.ReadAllText(board.ConfigPath).Replace("\"unit\": \"bar\"", "\"unit\": \"psi\"", StringComparison.Ordinal);
        File.WriteAllText(board.ConfigPath, config);
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Success, ValidateCommand.Run(board.ConfigPath, null, output, new StringWriter()));
        Assert.Contains("warning: channel 'pressure': the board reads psi but the model was trained on bar", output.ToString());
    }

    [Fact]
    public void The_shipped_board_files_validate_against_the_bundled_demo_model()
    {
        string model = Repository.Path("src", "EdgeLstm.Runtime", "Assets", "demo-model.elstm");
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = ValidateCommand.Run(Repository.Path("src", "EdgeLstm.Runtime", "Assets", "demo-board.json"), model, output, error);
        Assert.True(exit == ExitCodes.Success, error.ToString());
    }
}
