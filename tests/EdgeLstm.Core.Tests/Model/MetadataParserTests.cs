using EdgeLstm.Core.Model;

namespace EdgeLstm.Core.Tests.Model;

/// <summary>The one parser of the <c>edgelstm.*</c> ONNX metadata_props, shared by the converter and the runtime.</summary>
public class MetadataParserTests
{
    // A model with 2 input channels and 3 outputs.
    private static readonly ModelMetadata Defaults = ModelMetadata.CreateDefault(2, 3);

    private static readonly Dictionary<string, string> Full = new()
    {
        [MetadataKeys.Name] = " pump-7 ",
        [MetadataKeys.Channels] = "Current, Pressure",
        [MetadataKeys.Units] = "A,",
        [MetadataKeys.Mean] = "1.5,-2e-1",
        [MetadataKeys.Std] = "0.5, 0.25",
        [MetadataKeys.Outputs] = "ok,warn,fault",
        [MetadataKeys.OutputKind] = "Classifier",
        [MetadataKeys.Mode] = " windowed",
        [MetadataKeys.Window] = "16",
        [MetadataKeys.Stride] = "4",
        [MetadataKeys.SampleRate] = "12.5",
        ["skab.threshold"] = "not ours: ignored",
    };

    private static Dictionary<string, string> With(string key, string? value)
    {
        var props = new Dictionary<string, string>(Full);
        if (value is null) props.Remove(key); else props[key] = value;
        return props;
    }

    [Fact]
    public void Every_key_is_read_trimmed_and_checked()
    {
        ModelMetadata m = MetadataParser.Parse(Full, Defaults);
        Assert.Equal([new ChannelInfo("Current", "A", 1.5f, 0.5f), new ChannelInfo("Pressure", "", -0.2f, 0.25f)], m.Channels);
        Assert.Equal(["ok", "warn", "fault"], m.OutputNames);
        Assert.Equal(OutputKind.Classifier, m.OutputKind);
        Assert.Equal((ExecutionMode.Windowed, 16, 4), (m.Mode, m.WindowLength, m.Stride));
        Assert.Equal(("pump-7", 12.5f, false), (m.Name, m.SampleRateHz, m.IsDefault));
    }

    [Fact]
    public void Absent_keys_keep_the_defaults()
    {
        ModelMetadata defaults = Defaults with { Mode = ExecutionMode.Windowed, WindowLength = 8, Name = "kept", SampleRateHz = 50 };
        ModelMetadata same = MetadataParser.Parse(new Dictionary<string, string> { ["other"] = "x" }, defaults);
        Assert.Equal(defaults.Channels, same.Channels);
        Assert.Equal(defaults, same with { Channels = defaults.Channels }); // IsDefault too: no edgelstm key given

        ModelMetadata m = MetadataParser.Parse(new Dictionary<string, string> { [MetadataKeys.Stride] = "2" }, defaults);
        Assert.Equal(defaults.Channels, m.Channels);
        Assert.Equal(defaults.OutputNames, m.OutputNames);
        Assert.Equal((ExecutionMode.Windowed, 8, 2, "kept", 50f), (m.Mode, m.WindowLength, m.Stride, m.Name, m.SampleRateHz));
        Assert.False(m.IsDefault); // a key was given
    }

    [Fact]
    public void A_blank_name_or_units_counts_as_absent()
    {
        Dictionary<string, string> props = With(MetadataKeys.Name, " ");
        props[MetadataKeys.Units] = "";
        ModelMetadata m = MetadataParser.Parse(props, Defaults with { Name = "kept" });
        Assert.Equal("kept", m.Name);
        Assert.All(m.Channels, c => Assert.Equal("", c.Unit));
    }

    [Theory]
    [InlineData("stateful", ExecutionMode.Streaming)]
    [InlineData("STREAMING", ExecutionMode.Streaming)]
    [InlineData("Windowed", ExecutionMode.Windowed)]
    public void Modes_are_read_in_any_case(string text, ExecutionMode expected) =>
        Assert.Equal(expected, MetadataParser.Parse(With(MetadataKeys.Mode, text), Defaults).Mode);

    [Theory]
    // empty
    [InlineData("edgelstm.channels", "", "is empty: expected 2 comma-separated names, or leave the key out")]
    [InlineData("edgelstm.mean", "  ", "is empty: expected 2 comma-separated numbers, or leave the key out")]
    [InlineData("edgelstm.outputs", "", "is empty")]
    [InlineData("edgelstm.output_kind", "", "is empty: expected classifier, regressor or forecaster")]
    [InlineData("edgelstm.mode", " ", "is empty: expected streaming (or stateful) or windowed")]
    [InlineData("edgelstm.window", "", "is empty: expected a whole number from 1 to 65536")]
    [InlineData("edgelstm.sample_rate_hz", "", "is empty: expected the sample rate in Hz")]
    [InlineData("edgelstm.channels", "Current,", "entry 2 is empty; every input channel needs a name")]
    [InlineData("edgelstm.outputs", "ok,,fault", "entry 2 is empty; every output needs a name")]
    [InlineData("edgelstm.std", ",1", "entry 1 is empty; expected a number")]
    // wrong list length
    [InlineData("edgelstm.channels", "a,b,c", "'a,b,c': 3 entries, but the model has 2 input channels")]
    [InlineData("edgelstm.units", "A", "'A': 1 entry, but the model has 2 input channels")]
    [InlineData("edgelstm.mean", "1", "1 entry, but the model has 2 input channels")]
    [InlineData("edgelstm.std", "1,1,1", "3 entries, but the model has 2 input channels")]
    [InlineData("edgelstm.outputs", "ok,fault", "2 entries, but the model has 3 outputs")]
    // duplicate
    [InlineData("edgelstm.channels", "Current,Current", "entry 2 'Current' repeats entry 1; names must be unique")]
    [InlineData("edgelstm.outputs", "ok,fault,ok", "entry 3 'ok' repeats entry 1")]
    // not a number
    [InlineData("edgelstm.mean", "1,x", "'1,x': entry 2 'x' is not a number")]
    [InlineData("edgelstm.std", "1;2,3", "entry 1 '1;2' is not a number")]
    [InlineData("edgelstm.mean", "1,0,5", "3 entries")] // a decimal comma splits the list
    [InlineData("edgelstm.window", "sixteen", "'sixteen': expected a whole number from 1 to 65536")]
    [InlineData("edgelstm.window", "1.5", "expected a whole number")]
    [InlineData("edgelstm.stride", "x", "expected a whole number")]
    [InlineData("edgelstm.sample_rate_hz", "fast", "'fast': expected the sample rate in Hz, from 0 (unknown) to 1000000")]
    // non-finite
    [InlineData("edgelstm.mean", "NaN,0", "entry 1 'NaN' is not a finite number")]
    [InlineData("edgelstm.std", "1,Infinity", "entry 2 'Infinity' is not a finite number")]
    [InlineData("edgelstm.mean", "0,1e39", "entry 2 '1e39' is not a finite number")] // overflows float
    [InlineData("edgelstm.sample_rate_hz", "NaN", "expected the sample rate in Hz")]
    [InlineData("edgelstm.sample_rate_hz", "-Infinity", "expected the sample rate in Hz")]
    // out of range
    [InlineData("edgelstm.std", "1,0", "entry 2 '0' is not positive; a standard deviation must be > 0")]
    [InlineData("edgelstm.std", "-0.5,1", "entry 1 '-0.5' is not positive")]
    [InlineData("edgelstm.window", "0", "'0': expected a whole number from 1 to 65536")]
    [InlineData("edgelstm.window", "-16", "expected a whole number")]
    [InlineData("edgelstm.window", "1000001", "expected a whole number")]
    [InlineData("edgelstm.window", "99999999999", "expected a whole number")] // overflows int
    [InlineData("edgelstm.stride", "0", "expected a whole number")]
    [InlineData("edgelstm.sample_rate_hz", "-1", "expected the sample rate in Hz")]
    [InlineData("edgelstm.sample_rate_hz", "2e6", "expected the sample rate in Hz")]
    // not one of the words
    [InlineData("edgelstm.output_kind", "ranker", "'ranker': expected classifier, regressor or forecaster")]
    [InlineData("edgelstm.mode", "batch", "'batch': expected streaming (or stateful) or windowed")]
    public void A_bad_value_names_the_key_and_the_value(string key, string value, string expected)
    {
        var e = Assert.Throws<InvalidMetadataException>(() => MetadataParser.Parse(With(key, value), Defaults));
        Assert.Equal((key, value), (e.Key, e.Value));
        Assert.StartsWith($"metadata '{key}' is ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.EndsWith(".", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_value_is_shortened_in_the_message_but_kept_whole_in_the_exception()
    {
        string value = string.Join(",", Enumerable.Range(0, 64).Select(i => $"{i}.125"));
        var e = Assert.Throws<InvalidMetadataException>(() => MetadataParser.Parse(With(MetadataKeys.Mean, value), Defaults));
        Assert.Equal(value, e.Value);
        Assert.Contains("…': 64 entries, but the model has 2 input channels.", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 200, e.Message);
    }

    [Fact]
    public void Kind_and_mode_parsers_name_the_callers_key()
    {
        Assert.Equal(OutputKind.Forecaster, MetadataParser.ParseOutputKind(" forecaster ", "outputKind"));
        Assert.Equal(ExecutionMode.Streaming, MetadataParser.ParseMode("Stateful", "mode"));
        var e = Assert.Throws<InvalidMetadataException>(() => MetadataParser.ParseOutputKind("svm", "outputKind"));
        Assert.Equal("metadata 'outputKind' is 'svm': expected classifier, regressor or forecaster.", e.Message);
    }

    [Fact]
    public void The_limits_are_inclusive()
    {
        Dictionary<string, string> props = With(MetadataKeys.Window, "65536");
        props[MetadataKeys.Stride] = "1";
        props[MetadataKeys.SampleRate] = "1e6";
        ModelMetadata m = MetadataParser.Parse(props, Defaults);
        Assert.Equal((ModelMetadata.MaxWindowLength, 1, ModelMetadata.MaxSampleRateHz), (m.WindowLength, m.Stride, m.SampleRateHz));
        props[MetadataKeys.SampleRate] = "0";
        Assert.Equal(0f, MetadataParser.Parse(props, Defaults).SampleRateHz); // 0 = unknown
    }
}
