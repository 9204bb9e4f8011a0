using System.CommandLine;
using System.Globalization;
using EdgeLstm.Core;
using EdgeLstm.Core.Model;
using EdgeLstm.Runtime.Configuration;

namespace EdgeLstm.Runtime.Cli;

/// <summary><c>edgelstm validate</c>: does a board config fit a model? Lists every problem.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config", "-c") { Description = "Board config JSON.", Required = true };
        var model = new Option<FileInfo?>("--model", "-m") { Description = "Model file (.elstm). Default: the config's model.path." };
        Option<FileInfo[]> trustedKey = RunCommand.TrustedKeyOption();
        var command = new Command("validate", "Check a board config and a model against each other (channels, sample rate, window, alarms, memory), then build the pipeline and run a sample through it without opening hardware.") { config, model, trustedKey };
        command.SetAction(result => Run(result.GetValue(config)!.FullName, result.GetValue(model)?.FullName,
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, RunCommand.TrustedKeys(result, trustedKey)));
        return command;
    }

    public static int Run(string configPath, string? modelPath, TextWriter output, TextWriter error, IReadOnlyList<string>? trustedKeys = null)
    {
        RuntimeSetup? setup = RuntimeSetup.Load(configPath, modelPath, new RunOverrides(TrustedKeys: trustedKeys), out List<string> problems);
        if (setup is null)
        {
            error.WriteLine($"edgelstm: {configPath}: {problems.Count} problem{(problems.Count == 1 ? "" : "s")}:");
            foreach (string problem in problems) error.WriteLine($"  {problem}");
            return ExitCodes.BadInput;
        }
        if (PipelineProbe.Problem(setup) is { } failure)
        {
            error.WriteLine($"edgelstm: {configPath}: 1 problem:");
            error.WriteLine($"  {setup.ConfigLabel} and model '{Path.GetFileName(setup.ModelPath)}': {failure}");
            return ExitCodes.BadInput;
        }

        foreach (string warning in setup.Warnings) output.WriteLine($"warning: {warning}");
        output.WriteLine($"ok: {setup.Board.Config.Board.Name} fits model {Path.GetFileName(setup.ModelPath)} (id {setup.ModelId}): " +
            $"{setup.Model.InputSize} channels at {setup.Board.Config.Sampler.RateHz} Hz, {setup.Rules.Count} alarm{(setup.Rules.Count == 1 ? "" : "s")}");
        string budget = setup.Sections.Model?.MaxMemoryMiB is double mib ? string.Create(CultureInfo.InvariantCulture, $" (budget {mib} MiB)") : "";
        output.WriteLine(setup.Model.Memory is ModelMemory memory
            ? $"memory: the model needs {ModelDescription.Memory(memory)}{budget}"
            : $"memory: not known for the {setup.Model.Backend} backend");
        output.WriteLine(setup.Trust.IsEmpty
            ? "trust: no keys pinned; any model runs (pin keys in trust.modelKeys to accept signed models only)"
            : $"trust: the model is signed by a pinned key ({setup.Trust.Describe()})");
        return ExitCodes.Success;
    }
}
