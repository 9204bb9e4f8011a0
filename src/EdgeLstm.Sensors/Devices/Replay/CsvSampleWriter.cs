using System.Globalization;
using System.Text;

namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// Writes sampled frames as CSV that <see cref="CsvRecording"/> reads back and a <c>replay</c> device replays: a
/// header <c>time,&lt;channel&gt;,…</c> (channels in frame order), then one row per sample with the time in seconds
/// since an origin and each channel's value. A value that is not <see cref="SampleStatus.Good"/> (held or bad) is
/// written as an empty field, so a reader sees that no reading was taken there and a replay applies the same
/// hold-then-bad policy as the live board. Numbers are invariant-culture, shortest round-trip. After construction
/// <see cref="Write"/> allocates nothing.
/// </summary>
public sealed class CsvSampleWriter : IDisposable
{
    /// <summary>The name of the time column.</summary>
    public const string TimeColumn = "time";

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly int _channels;
    private readonly byte[] _row;

    /// <summary>Writes the header for <paramref name="channels"/> to <paramref name="stream"/>.</summary>
    /// <param name="stream">Where rows go (buffer it: one write per row).</param>
    /// <param name="channels">The sampler's channels, in frame order.</param>
    /// <param name="leaveOpen">Leave <paramref name="stream"/> open on dispose.</param>
    /// <exception cref="ArgumentException">A channel name cannot be a CSV header cell (it holds a comma, a quote or a line break, or is the time column's name).</exception>
    public CsvSampleWriter(Stream stream, IReadOnlyList<ChannelSpec> channels, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(channels);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _channels = channels.Count;
        var header = new StringBuilder(TimeColumn);
        foreach (ChannelSpec c in channels)
        {
            // CsvRecording reads unquoted cells; a name it would split or mistake for the time column cannot be written.
            if (c.Name.AsSpan().IndexOfAny(",;\"\r\n") >= 0 || c.Name == TimeColumn)
            {
                throw new ArgumentException($"The channel name '{c.Name}' cannot be a CSV column: rename it without ',', ';', '\"' or line breaks (and not '{TimeColumn}').", nameof(channels));
            }

            header.Append(',').Append(c.Name);
        }

        header.Append('\n');
        byte[] bytes = Encoding.UTF8.GetBytes(header.ToString());
        _stream.Write(bytes);
        // The longest row: a time and every value at their longest shortest-round-trip form, plus separators.
        _row = new byte[32 + (_channels * 16)];
    }

    /// <summary>Gets the number of rows written.</summary>
    public long Rows { get; private set; }

    /// <summary>Writes one sample.</summary>
    /// <param name="frame">The sample (channel count as at construction).</param>
    /// <param name="originNanoseconds">Board time that the time column counts from.</param>
    public void Write(SampleFrame frame, long originNanoseconds)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ReadOnlySpan<float> values = frame.Values;
        ReadOnlySpan<SampleStatus> statuses = frame.Statuses;
        if (values.Length != _channels)
        {
            throw new ArgumentException($"The frame has {values.Length} channels; the header has {_channels}.", nameof(frame));
        }

        Span<byte> row = _row;
        double seconds = (frame.TimestampNanoseconds - originNanoseconds) / 1e9;
        seconds.TryFormat(row, out int n, default, CultureInfo.InvariantCulture);
        for (int c = 0; c < values.Length; c++)
        {
            row[n++] = (byte)',';
            if (statuses[c] == SampleStatus.Good)
            {
                values[c].TryFormat(row[n..], out int written, default, CultureInfo.InvariantCulture);
                n += written;
            }
        }

        row[n++] = (byte)'\n';
        _stream.Write(row[..n]);
        Rows++;
    }

    /// <summary>Flushes the stream.</summary>
    public void Flush() => _stream.Flush();

    /// <inheritdoc />
    public void Dispose()
    {
        _stream.Flush();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
