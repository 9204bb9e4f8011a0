using System.Text;
using CsCheck;
using EdgeLstm.Core;
using EdgeLstm.Runtime.Cli;

namespace EdgeLstm.Runtime.Tests.Configuration;

/// <summary>
/// Text-level mutations of every committed board file (characters flipped, spans deleted or repeated, JSON tokens
/// inserted, the file cut short) through the loader and validator: each is accepted or refused with exit 2 and
/// a message, never an exception.
/// </summary>
public sealed class ConfigFuzzTests : IDisposable
{
    private const int Cases = 10_000;

    private static readonly string[] Tokens = ["{", "}", "[", "]", "\"", ",", ":", "null", "true", "1e999", "-", "0", "\"\"", "\\u0000", "/*", "é", "\uFFFF"];

    private static readonly string[] Files =
    [
        .. Directory.GetFiles(Repository.Path("firmware-config"), "*.json").Where(f => !f.EndsWith("schema.json", StringComparison.Ordinal)),
        Repository.Path("src", "EdgeLstm.Runtime", "Assets", "demo-board.json"),
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("edgelstm-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Mutate(string text, int kind, int at, int length, int token)
    {
        if (TextMutations.TryApply(ref text, kind, ref at, ref length, Tokens[token % Tokens.Length])) return text;
        return kind switch
        {
            4 when at < text.Length => text.Remove(at, 1).Insert(at, ((char)(text[at] ^ (1 << (token % 7)))).ToString()),
            _ => text.Replace(":", ": " + Tokens[token % Tokens.Length] + ",", StringComparison.Ordinal),
        };
    }

    [Fact]
    public void Every_mutated_board_file_is_accepted_or_refused_with_exit_2_and_never_throws()
    {
        string[] texts = [.. Files.Select(File.ReadAllText)];
        int refused = 0;
        Gen.Select(Gen.Int[0, texts.Length - 1], Gen.Int[0, 5].Array[1, 4], Gen.Int[0, int.MaxValue].Array[4], Gen.Int[0, 40], Gen.Int[0, 100])
            .Sample((file, kinds, positions, length, token) =>
            {
                string text = texts[file];
                for (int i = 0; i < kinds.Length; i++) text = Mutate(text, kinds[i], positions[i], length, token + i);
                // The copy sits in another folder: relative model and replay paths break, which is one more fault to report.
                string path = Path.Combine(_directory, $"{Guid.NewGuid():N}.json");
                File.WriteAllText(path, text, Encoding.UTF8);
                try
                {
                    var error = new StringWriter();
                    int exit = ValidateCommand.Run(path, null, new StringWriter(), error);
                    Assert.True(exit is ExitCodes.Success or ExitCodes.BadInput, $"exit {exit}: {error}");
                    if (exit == ExitCodes.BadInput)
                    {
                        Assert.Contains("edgelstm:", error.ToString());
                        Interlocked.Increment(ref refused);
                    }
                }
                finally
                {
                    File.Delete(path);
                }
            }, iter: Cases, threads: 2);
        Assert.True(refused > Cases / 2, $"only {refused} of {Cases} mutated files were refused");
    }
}
