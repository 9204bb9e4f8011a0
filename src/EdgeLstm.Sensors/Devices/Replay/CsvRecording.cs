using System.Globalization;

namespace EdgeLstm.Sensors.Devices;

/// <summary>
/// A recorded multi-channel time series loaded fully into memory from a CSV file: a header row, a time
/// column and numeric columns. Accepts <c>;</c> or <c>,</c> separators (detected from the header), CRLF, LF
/// or CR line endings, a UTF-8 BOM, empty or <c>NaN</c> fields (kept as NaN) and gaps in time. Times are
/// <c>yyyy-MM-dd HH:mm:ss[.fff]</c> (or ISO 8601 with <c>T</c>) or plain seconds.
/// </summary>
public sealed class CsvRecording
{
    private const int MaxReportedProblems = 20;
    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK",
    ];

    private readonly float[] _values; // row-major
    private readonly int[] _lineNumbers;
    private readonly int _timeColumnNumber;

    private CsvRecording(string path, string[] columnNames, double[] times, float[] values, int[] lineNumbers, int timeColumnNumber)
    {
        Path = path;
        ColumnNames = columnNames;
        TimesSeconds = times;
        _values = values;
        _lineNumbers = lineNumbers;
        _timeColumnNumber = timeColumnNumber;
    }

    /// <summary>Gets the file the recording came from.</summary>
    public string Path { get; }

    /// <summary>Gets the names of the value columns (the time column excluded), in file order.</summary>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Gets each row's time in seconds after the first row.</summary>
    public IReadOnlyList<double> TimesSeconds { get; }

    /// <summary>Gets the number of rows.</summary>
    public int RowCount => TimesSeconds.Count;

    /// <summary>Gets the median spacing between rows in seconds (the nominal recording period).</summary>
    public double MedianIntervalSeconds
    {
        get
        {
            if (RowCount < 2)
            {
                return 1;
            }

            double[] d = new double[RowCount - 1];
            for (int i = 1; i < RowCount; i++)
            {
                d[i - 1] = TimesSeconds[i] - TimesSeconds[i - 1];
            }

            Array.Sort(d);
            return d[d.Length / 2];
        }
    }

    /// <summary>Gets the line of the file a row came from (1-based), for messages.</summary>
    /// <param name="row">Row index.</param>
    /// <returns>The line number.</returns>
    public int LineOf(int row) => _lineNumbers[row];

    /// <summary>
    /// Lists the rows whose time does not advance past the row before (up to 20), as <c>file:line:column: what. Hint: …</c>.
    /// Replaying on the recorded timeline needs increasing times: of rows sharing a time only the last could ever be
    /// replayed, and a file whose rows mostly share their times has no interval to replay at.
    /// </summary>
    /// <returns>The problems; empty when every time is later than the one before.</returns>
    public IReadOnlyList<string> NonIncreasingTimes()
    {
        var problems = new List<string>();
        for (int i = 1; i < RowCount && problems.Count < MaxReportedProblems; i++)
        {
            if (TimesSeconds[i] <= TimesSeconds[i - 1])
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{Path}:{_lineNumbers[i]}:{_timeColumnNumber}: the time repeats that of line {_lineNumbers[i - 1]} ({TimesSeconds[i]:0.######} s after the first row); replaying at the recorded times needs each row later than the one before. Hint: use \"timing\": \"sequential\" (one row per sample), or record times with enough resolution."));
            }
        }

        return problems;
    }

    /// <summary>Gets a value.</summary>
    /// <param name="row">Row index.</param>
    /// <param name="column">Value-column index.</param>
    /// <returns>The value; NaN for an empty or NaN field.</returns>
    public float this[int row, int column] => _values[row * ColumnNames.Count + column];

    /// <summary>Finds a value column by exact name.</summary>
    /// <param name="name">Column name.</param>
    /// <returns>The index, or -1.</returns>
    public int IndexOf(string name)
    {
        for (int i = 0; i < ColumnNames.Count; i++)
        {
            if (string.Equals(ColumnNames[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The largest recording read (64 MiB): it is read whole, and its text and values must fit a board's memory.</summary>
    public const long MaxFileBytes = 64L << 20;

    /// <summary>Loads a CSV file of at most <see cref="MaxFileBytes"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="timeColumn">Name of the time column; null means the first column.</param>
    /// <returns>The recording.</returns>
    /// <exception cref="CsvFormatException">The file is malformed (every problem, up to 20, is listed) or larger than <see cref="MaxFileBytes"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static CsvRecording Load(string path, string? timeColumn = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        long length = new FileInfo(path).Length; // refused from its size, before it is read
        if (length > MaxFileBytes)
        {
            throw new CsvFormatException(path, [string.Create(CultureInfo.InvariantCulture,
                $"{path}: the file is {length:N0} bytes; a recording may be at most {MaxFileBytes:N0} bytes. Hint: replay a shorter excerpt, or split it into several files.")]);
        }

        return Parse(path, File.ReadAllText(path), timeColumn);
    }

    /// <summary>Parses CSV text.</summary>
    /// <param name="path">File name for messages.</param>
    /// <param name="text">The content.</param>
    /// <param name="timeColumn">Name of the time column; null means the first column.</param>
    /// <returns>The recording.</returns>
    /// <exception cref="CsvFormatException">The text is malformed.</exception>
    public static CsvRecording Parse(string path, string text, string? timeColumn = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var problems = new List<string>();
        string[] lines = text.TrimStart('\uFEFF').Split(["\r\n", "\n", "\r"], StringSplitOptions.None);
        int headerIndex = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (headerIndex < 0)
        {
            throw new CsvFormatException(path, [$"{path}:1:1: the file is empty. Hint: a recording needs a header row such as 'datetime;Current;Pressure' followed by one row per sample."]);
        }

        string header = lines[headerIndex];
        char separator = header.Count(c => c == ';') >= header.Count(c => c == ',') ? ';' : ',';
        string[] names = [.. header.Split(separator).Select(n => n.Trim())];
        if (names.Length < 2)
        {
            throw new CsvFormatException(path, [$"{path}:{headerIndex + 1}:1: the header has a single column '{names[0]}'. Hint: separate columns with ';' or ','; the first is the time, the rest are values."]);
        }

        for (int i = 0; i < names.Length; i++)
        {
            if (names[i].Length == 0)
            {
                problems.Add($"{path}:{headerIndex + 1}:{i + 1}: column {i + 1} has no name. Hint: give every column a header name.");
            }
            else if (Array.IndexOf(names, names[i]) < i)
            {
                problems.Add($"{path}:{headerIndex + 1}:{i + 1}: column name '{names[i]}' appears twice. Hint: column names must be unique.");
            }
        }

        int timeIndex = timeColumn is null ? 0 : Array.IndexOf(names, timeColumn);
        if (timeIndex < 0)
        {
            problems.Add($"{path}:{headerIndex + 1}:1: there is no time column '{timeColumn}'. Hint: the columns are {string.Join(", ", names.Select(n => $"'{n}'"))}.");
            throw new CsvFormatException(path, problems);
        }

        string[] valueNames = [.. names.Where((_, i) => i != timeIndex)];
        var times = new List<double>();
        var values = new List<float>();
        var lineNumbers = new List<int>();
        DateTime? origin = null;
        double? originSeconds = null;
        double previous = double.NegativeInfinity;
        for (int li = headerIndex + 1; li < lines.Length && problems.Count < MaxReportedProblems; li++)
        {
            string line = lines[li];
            if (line.Trim().Length == 0)
            {
                continue; // blank lines (and the final newline) carry no sample
            }

            int lineNo = li + 1;
            string[] fields = line.Split(separator);
            if (fields.Length != names.Length)
            {
                problems.Add($"{path}:{lineNo}:1: expected {names.Length} fields like the header, found {fields.Length}. Hint: check for a missing or extra '{separator}' on this line.");
                continue;
            }

            if (!TryParseTime(fields[timeIndex].Trim(), ref origin, ref originSeconds, out double t))
            {
                problems.Add($"{path}:{lineNo}:{timeIndex + 1}: '{fields[timeIndex]}' is not a time. Hint: use 'yyyy-MM-dd HH:mm:ss[.fff]' or seconds as a number.");
                continue;
            }

            if (t < previous)
            {
                problems.Add($"{path}:{lineNo}:{timeIndex + 1}: time goes backwards ({t - previous:0.###} s). Hint: sort the file by time.");
                continue;
            }

            bool rowOk = true;
            int start = values.Count;
            for (int f = 0; f < fields.Length; f++)
            {
                if (f == timeIndex)
                {
                    continue;
                }

                string s = fields[f].Trim();
                if (s.Length == 0 || s.Equals("nan", StringComparison.OrdinalIgnoreCase))
                {
                    values.Add(float.NaN); // a missing value: the sampler will hold the last good one
                }
                else if (float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v))
                {
                    values.Add(v);
                }
                else
                {
                    problems.Add($"{path}:{lineNo}:{f + 1}: '{s}' in column '{names[f]}' is not a finite number. Hint: use '.' as the decimal point, leave the field empty or write NaN for a missing value.");
                    rowOk = false;
                    break;
                }
            }

            if (!rowOk)
            {
                values.RemoveRange(start, values.Count - start);
                continue;
            }

            times.Add(t);
            lineNumbers.Add(lineNo);
            previous = t;
        }

        if (problems.Count == 0 && times.Count == 0)
        {
            problems.Add($"{path}:{headerIndex + 2}:1: the file has a header but no data rows. Hint: record at least one sample.");
        }

        if (problems.Count > 0)
        {
            throw new CsvFormatException(path, problems);
        }

        double first = times[0];
        return new CsvRecording(path, valueNames, [.. times.Select(x => x - first)], [.. values], [.. lineNumbers], timeIndex + 1);
    }

    private static bool TryParseTime(string s, ref DateTime? origin, ref double? originSeconds, out double seconds)
    {
        if (DateTime.TryParseExact(s, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime dt))
        {
            origin ??= dt;
            seconds = (dt - origin.Value).TotalSeconds;
            return originSeconds is null;
        }

        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x))
        {
            originSeconds ??= x;
            seconds = x;
            return origin is null; // one file uses one kind of time
        }

        seconds = 0;
        return false;
    }
}
