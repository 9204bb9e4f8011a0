using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using EdgeLstm.Runtime.Decision;
using EdgeLstm.Runtime.Sinks;
using EdgeLstm.Sensors.Configuration;

namespace EdgeLstm.Runtime.Configuration;

/// <summary>
/// The runtime's part of loading a board file: it owns <c>model</c>, <c>decision</c>, <c>sinks</c>, <c>health</c> and <c>journal</c>, writes
/// the command-line overrides into the file before anything is checked, and validates its sections in the same pass as
/// the sensor sections, so <c>validate</c> and <c>run</c> list every problem of a file at once.
/// </summary>
internal sealed class RuntimeBoardFile(RunOverrides overrides) : BoardFileSections<RuntimeSections>
{
    private static readonly HashSet<string> OwnedKeys = [.. RuntimeSectionsJsonContext.Default.RuntimeSections.Properties.Select(p => p.Name)];
    private IReadOnlyDictionary<string, string> _overridden = new Dictionary<string, string>();

    /// <summary>Loads a whole board file with the overrides applied.</summary>
    /// <param name="path">The board file.</param>
    /// <param name="overrides">Command-line overrides.</param>
    /// <returns>The validated sensor sections and the runtime's.</returns>
    /// <exception cref="BoardConfigException">The file is invalid; every problem is listed (an option that set a value names itself).</exception>
    public static (LoadedBoardConfig Board, RuntimeSections Sections) Load(string path, RunOverrides overrides)
    {
        var file = new RuntimeBoardFile(overrides);
        try
        {
            LoadedBoardConfig board = BoardConfigLoader.Load(path, file, out RuntimeSections sections);
            return (board, sections);
        }
        catch (BoardConfigException e)
        {
            throw file.NameOverrides(e);
        }
    }

    /// <summary>Validates board-file text with the overrides applied (tests, and files not on disk).</summary>
    public static (LoadedBoardConfig Board, RuntimeSections Sections) Parse(string json, string baseDirectory, RunOverrides overrides, string label = "(config)")
    {
        var file = new RuntimeBoardFile(overrides);
        try
        {
            LoadedBoardConfig board = BoardConfigLoader.Parse(json, baseDirectory, file, out RuntimeSections sections, label);
            return (board, sections);
        }
        catch (BoardConfigException e)
        {
            throw file.NameOverrides(e);
        }
    }

    /// <inheritdoc />
    public override IReadOnlySet<string> Keys => OwnedKeys;

    /// <inheritdoc />
    public override JsonTypeInfo<RuntimeSections> TypeInfo => RuntimeSectionsJsonContext.Default.RuntimeSections;

    /// <inheritdoc />
    public override void Edit(JsonObject root, List<ConfigProblem> problems) => _overridden = overrides.Apply(root, problems);

    /// <inheritdoc />
    public override void EditOwned(JsonObject owned, List<ConfigProblem> problems) =>
        _overridden = _overridden.Concat(overrides.ApplyToRuntimeSections(owned, problems)).ToDictionary(StringComparer.Ordinal);

    /// <inheritdoc />
    public override void Validate(RuntimeSections sections, BoardConfig board, string baseDirectory, List<ConfigProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(sections);
        ArgumentNullException.ThrowIfNull(problems);
        if (sections.Model is { } model && string.IsNullOrWhiteSpace(model.Path))
        {
            problems.Add(new ConfigProblem("$.model.path", "the model path is empty.", "Point to the .elstm file, relative to this config."));
        }

        if (sections.Model?.MaxMemoryMiB is double budget && !(budget > 0 && budget <= ModelConfig.MaxMemoryBudgetMiB))
        {
            problems.Add(new ConfigProblem("$.model.maxMemoryMiB", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the memory budget {budget} MiB is not a positive number up to {ModelConfig.MaxMemoryBudgetMiB}."), "Use the board's memory to spare for the model, e.g. 64."));
        }

        new DecisionConfigValidator(problems).Validate(sections.Decision);
        IReadOnlyList<SinkConfig> sinks = sections.Sinks ?? [];
        for (int i = 0; i < sinks.Count; i++)
        {
            sinks[i].Validate($"$.sinks[{i}]", problems);
        }

        if (sections.Health is { } health && !(health.IntervalSeconds is >= HealthConfig.MinIntervalSeconds and <= HealthConfig.MaxIntervalSeconds))
        {
            problems.Add(new ConfigProblem("$.health.intervalSeconds",
                string.Create(CultureInfo.InvariantCulture, $"the health interval {health.IntervalSeconds:G6} s is outside {HealthConfig.MinIntervalSeconds}–{HealthConfig.MaxIntervalSeconds} s."),
                "Use e.g. 10."));
        }

        sections.Journal?.Validate(problems);
        IReadOnlyList<string> keys = sections.Trust?.ModelKeys ?? [];
        for (int i = 0; i < keys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(keys[i]))
                problems.Add(new ConfigProblem($"$.trust.modelKeys[{i}]", "the key path is empty.", "Point to a public.pem from 'edgelstm-convert keygen', relative to this config."));
        }
    }

    /// <summary>A problem at a path an option set is the option's: "--speed max: the fast clock cannot drive real hardware".</summary>
    private BoardConfigException NameOverrides(BoardConfigException e) =>
        _overridden.Count == 0 ? e : new BoardConfigException(e.File,
            [.. e.Problems.Select(p => OptionThatSet(p.Path) is { } option ? p with { Message = $"{option}: {p.Message}" } : p)]);

    /// <summary>The option that set <paramref name="path"/> or a section containing it (<c>--sink</c> for <c>$.sinks[0].broker</c>).</summary>
    private string? OptionThatSet(string path)
    {
        for (string? at = path; at is not null; at = Parent(at))
            if (_overridden.TryGetValue(at, out string? option)) return option;
        return null;

        static string? Parent(string at)
        {
            int cut = at.AsSpan().LastIndexOfAny('.', '[');
            return cut > 1 ? at[..cut] : null;
        }
    }
}
