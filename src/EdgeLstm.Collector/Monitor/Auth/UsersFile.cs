namespace EdgeLstm.Collector.Monitor.Auth;

/// <summary>
/// The monitor's users: a text file of <c>name:hash</c> lines (<see cref="PasswordHash"/>), written by
/// <c>edgelstm-collector user add</c>. Blank lines and lines starting with <c>#</c> are skipped.
/// </summary>
internal sealed class UsersFile
{
    private readonly Dictionary<string, string> _hashes;

    private UsersFile(Dictionary<string, string> hashes) => _hashes = hashes;

    /// <summary>How many users there are.</summary>
    public int Count => _hashes.Count;

    /// <summary>Whether a user name is acceptable: not empty, no colon, no control characters or surrounding spaces.</summary>
    public static bool IsValidName(string name) => name.Length is > 0 and <= 100 && !name.Contains(':', StringComparison.Ordinal) && name.Trim() == name && !name.Any(char.IsControl);

    /// <summary>Reads <paramref name="path"/>; null and <paramref name="problem"/> when it is missing, malformed or empty.</summary>
    public static UsersFile? Load(string path, out string? problem)
    {
        problem = null;
        if (!File.Exists(path))
        {
            problem = $"no users file {path}";
            return null;
        }
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !IsValidName(line[..colon]) || !PasswordHash.IsWellFormed(line[(colon + 1)..]))
            {
                problem = $"{path} line {number} is not name:pbkdf2-sha256$iterations$salt$hash";
                return null;
            }
            hashes[line[..colon]] = line[(colon + 1)..];
        }
        if (hashes.Count == 0) problem = $"{path} has no users";
        return hashes.Count == 0 ? null : new UsersFile(hashes);
    }

    /// <summary>Whether <paramref name="name"/> is a user whose password is <paramref name="password"/>.</summary>
    public bool Verify(string name, string password) =>
        _hashes.TryGetValue(name, out string? hash) ? PasswordHash.Verify(password, hash) : PasswordHash.Verify(password, Decoy);

    /// <summary>Sets <paramref name="name"/>'s line in <paramref name="path"/> (replacing an older one), creating the file if needed.</summary>
    public static void Add(string path, string name, string password)
    {
        string prefix = name + ":";
        List<string> lines = File.Exists(path) ? File.ReadAllLines(path).Where(l => !l.StartsWith(prefix, StringComparison.Ordinal)).ToList() : [];
        lines.Add(prefix + PasswordHash.Create(password));
        File.WriteAllLines(path, lines);
    }

    // Unknown names cost as much as wrong passwords, so timing does not tell which names exist.
    private static readonly string Decoy = PasswordHash.Create("decoy");
}
