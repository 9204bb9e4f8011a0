using System.Buffers;
using System.CommandLine;
using System.Globalization;
using EdgeLstm.Core;
using EdgeLstm.Core.Diagnostics;
using EdgeLstm.Protocol;
using EdgeLstm.Runtime.Journal;

namespace EdgeLstm.Runtime.Cli;

/// <summary>
/// <c>edgelstm journal DIR [--export FILE]</c>: what a journal folder holds (segments, sessions, sequences, frames by kind,
/// what each consumer has not acknowledged, evictions, damage, torn bytes), read without changing anything; <c>--export</c>
/// writes every record in sequence order in the stream framing, for any decoder.
/// </summary>
internal static class JournalCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("dir") { Description = "The journal folder (journal.path of the board file)." };
        var export = new Option<FileInfo?>("--export") { Description = "Also write every record, in sequence order, to this file in the stream framing (COBS + CRC-16, as sinks send)." };
        var command = new Command("journal", "Show what a frame journal holds, without changing it; optionally export its frames.") { directory, export };
        command.SetAction(result => Run(result.GetValue(directory)!.FullName, result.GetValue(export)?.FullName,
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(string directory, string? exportPath, TextWriter output, TextWriter error)
    {
        var summary = new Summary();
        FileStream? export = null;
        var encoder = new StreamFrameEncoder();
        var framed = new ArrayBufferWriter<byte>(1 << 16);
        JournalInspection inspection;
        try
        {
            // The folder first: a missing journal must not leave an empty export behind.
            DiskJournalStorage.OpenReadOnly(directory).Dispose();
            if (exportPath is not null)
            {
                try
                {
                    export = new FileStream(exportPath, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
                }
                catch (Exception e) when (FileErrors.IsFileError(e))
                {
                    error.WriteLine($"edgelstm: cannot write the export '{exportPath}': {FileErrors.Describe(e, exportPath)}.");
                    return ExitCodes.BadInput;
                }
            }

            inspection = JournalInspection.Inspect(directory, (type, sequence, payload) =>
            {
                summary.Add(type, sequence, payload);
                if (export is null) return;
                encoder.WritePayload(payload, framed);
                if (framed.WrittenCount > 1 << 15)
                {
                    export.Write(framed.WrittenSpan);
                    framed.ResetWrittenCount();
                }
            });
            if (export is not null)
            {
                export.Write(framed.WrittenSpan);
                export.Flush(flushToDisk: true);
            }
        }
        catch (JournalException e)
        {
            error.WriteLine($"edgelstm: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (IOException e) when (export is not null)
        {
            error.WriteLine($"edgelstm: cannot write the export '{exportPath}': {FileErrors.Describe(e, exportPath!)}.");
            return ExitCodes.BadInput;
        }
        finally
        {
            export?.Dispose();
        }

        Print(inspection, summary, output);
        if (exportPath is not null) output.WriteLine($"exported  {N(summary.Records)} records to {exportPath}");
        return ExitCodes.Success;
    }

    private static void Print(JournalInspection journal, Summary summary, TextWriter output)
    {
        IReadOnlyList<SegmentScan> segments = journal.Segments;
        long bytes = segments.Sum(s => s.FileLength);
        Line(output, "journal", $"{journal.Location} (read only: nothing was changed)");
        Line(output, "segments", segments.Count == 0 ? "none" : $"{segments.Count} ({N(bytes)} bytes): {segments[0].Name} … {segments[^1].Name}");
        Line(output, "records", summary.Records == 0 ? "none" :
            $"{N(summary.Records)}, sequences {N(summary.First)} … {N(summary.Last)}: " +
            $"{N(summary.Kinds[(int)FrameType.Prediction])} Prediction, {N(summary.Kinds[(int)FrameType.Health])} Health, {N(summary.Kinds[(int)FrameType.Alarm])} Alarm, {N(summary.Kinds[(int)FrameType.Hello])} Hello");
        ulong next = Math.Max(summary.Records == 0 ? 0 : summary.Last + 1, journal.State?.NextSequence ?? 0);
        Line(output, "resumes", $"at sequence {N(next)}");
        foreach (string session in summary.Sessions) Line(output, "session", session);
        if (journal.State is { } state)
        {
            foreach (ConsumerAck consumer in state.Consumers)
            {
                long unacknowledged = summary.CountFrom(consumer.AckedNext);
                string acked = consumer.AckedNext == 0 ? "nothing acknowledged" : $"acknowledged through {N(consumer.AckedNext - 1)}";
                Line(output, "consumer", $"{consumer.Name}: {acked}; {N(unacknowledged)} unacknowledged");
            }

            Line(output, "evicted", $"{N(state.Evicted[(int)FrameType.Prediction])} Prediction, {N(state.Evicted[(int)FrameType.Health])} Health, " +
                $"{N(state.Evicted[(int)FrameType.Alarm])} Alarm, {N(state.Evicted[(int)FrameType.Event])} Event, {N(state.Evicted[(int)FrameType.Hello])} Hello (since the journal was created)");
        }
        else
        {
            Line(output, "state", $"{journal.StateProblem}: the next start rebuilds it from the segments (nothing acknowledged, no eviction counts)");
        }

        long damagedEver = journal.State?.DamagedSegments ?? 0;
        Line(output, "damaged", $"{N(damagedEver)} segment{(damagedEver == 1 ? "" : "s")} quarantined so far; quarantine/: {(journal.Quarantine.Count == 0 ? "empty" : string.Join(", ", journal.Quarantine))}");
        foreach (SegmentScan damaged in segments.Where(s => s.Problem == SegmentProblem.Damaged))
        {
            Line(output, "damage", $"{damaged.Name} at byte {N(damaged.ProblemOffset)}: {damaged.ProblemReason} " +
                $"(the next start keeps its {N(damaged.Records)} records before it and moves the file to quarantine/)");
        }

        long torn = segments.Sum(s => s.TornBytes);
        SegmentScan? tornSegment = segments.FirstOrDefault(s => s.TornBytes > 0);
        Line(output, "torn", tornSegment is null ? "0 bytes" : $"{N(torn)} bytes at the end of {tornSegment.Name} (a write cut by a power loss; the next start cuts them off)");
        if (journal.Temporaries.Count > 0) Line(output, "leftover", $"{string.Join(", ", journal.Temporaries)} (an interrupted rewrite; the next start finishes or removes it)");
        if (journal.IgnoredFiles.Count > 0) Line(output, "ignored", $"{string.Join(", ", journal.IgnoredFiles)} (not the journal's)");
    }

    private static void Line(TextWriter output, string property, string value) => output.WriteLine($"{property,-9} {value}");

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string N(ulong value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Counts by kind, the sequences (to count what each consumer has not acknowledged) and the sessions.</summary>
    private sealed class Summary
    {
        private readonly List<ulong> _sequences = [];

        public long Records => _sequences.Count;

        public long[] Kinds { get; } = new long[JournalFormat.KindSlots];

        public ulong First => _sequences[0];

        public ulong Last => _sequences[^1];

        public List<string> Sessions { get; } = [];

        public void Add(FrameType type, ulong sequence, ReadOnlySpan<byte> payload)
        {
            _sequences.Add(sequence);
            Kinds[(int)type]++;
            if (type == FrameType.Hello) Sessions.Add(Describe(sequence, payload));
        }

        public long CountFrom(ulong sequence)
        {
            int index = _sequences.BinarySearch(sequence);
            return _sequences.Count - (index >= 0 ? index : ~index);
        }

        private static string Describe(ulong sequence, ReadOnlySpan<byte> payload)
        {
            DecodeResult result = PayloadDecoder.Decode(payload.ToArray());
            if (!result.IsFrame || result.FrameType != FrameType.Hello) return $"Hello at sequence {N(sequence)}: the payload does not decode ({result})";
            HelloFrame hello = result.Hello;
            string epoch = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Min(hello.EpochUnixMs, 253402300799999UL)).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            return $"Hello at sequence {N(sequence)}: session {hello.SessionId:x16}, device {hello.DeviceId}, model {hello.ModelId}, epoch {hello.EpochUnixMs} ({epoch}), {hello.ChannelNames.Count} channels";
        }
    }
}
