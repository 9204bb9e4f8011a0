using EdgeLstm.Core.Diagnostics;

namespace EdgeLstm.Core.Tests.Diagnostics;

/// <summary>Real file-system failures, worded from the exception the framework throws (not from its message).</summary>
public sealed class FileErrorsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("file-errors").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Caught(string path, Action<string> operation)
    {
        try
        {
            operation(path);
        }
        catch (Exception e) when (FileErrors.IsFileError(e))
        {
            return FileErrors.Describe(e, path);
        }

        throw new InvalidOperationException($"no file error on {path}");
    }

    [Fact]
    public void A_missing_file()
    {
        Assert.Equal("the file does not exist", Caught(Path.Combine(_folder, "model.elstm"), p => File.ReadAllBytes(p)));
    }

    [Fact]
    public void A_missing_folder_names_the_first_missing_one()
    {
        string path = Path.Combine(_folder, "models", "pump", "model.elstm");
        Assert.Equal($"the folder '{Path.Combine(_folder, "models")}' does not exist", Caught(path, p => File.ReadAllBytes(p)));
        Assert.Equal($"the folder '{Path.Combine(_folder, "models")}' does not exist", Caught(path, p => File.WriteAllBytes(p, [1])));
    }

    [Fact]
    public void A_file_where_a_folder_is_needed()
    {
        string file = Path.Combine(_folder, "frames.bin");
        File.WriteAllBytes(file, [1]);
        Assert.Equal($"'{file}' is a file, not a folder", Caught(Path.Combine(file, "x.bin"), p => File.ReadAllBytes(p)));
    }

    [Fact]
    public void A_folder_where_a_file_is_needed()
    {
        Assert.Equal("it is a folder, not a file", Caught(_folder, p => File.ReadAllBytes(p)));
        Assert.Equal("it is a folder, not a file", Caught(_folder, p => File.WriteAllBytes(p, [1])));
    }

    [Fact]
    public void A_full_disk()
    {
        // /dev/full answers every write with ENOSPC: the real errno through the real FileStream.
        Assert.Equal("the disk is full (no space left on the device)", Caught("/dev/full", p =>
        {
            using var stream = new FileStream(p, FileMode.Open, FileAccess.Write);
            stream.Write(new byte[16]);
            stream.Flush();
        }));
    }

    [Fact]
    public void A_path_too_long()
    {
        Assert.Equal("the path is too long for the file system", Caught(Path.Combine(_folder, new string('a', 300)), p => File.ReadAllBytes(p)));
    }

    [Theory]
    [InlineData(30, "the file system is read-only")]
    [InlineData(5, "the storage device reported an input/output error")]
    [InlineData(122, "the disk quota is exceeded")]
    [InlineData(24, "too many files are open in this process")]
    [InlineData(32, "the reading end was closed (broken pipe)")]
    public void Errno_values_the_framework_passes_through(int errno, string expected)
    {
        Assert.Equal(expected, FileErrors.Describe(new IOException("strerror text", errno), "/data/frames.bin"));
    }

    [Fact]
    public void Permission_denied_says_what_to_check()
    {
        string file = Path.Combine(_folder, "secret.elstm");
        File.WriteAllBytes(file, [1]);
        Assert.StartsWith("permission denied", FileErrors.Describe(new UnauthorizedAccessException("UnauthorizedAccess_IODenied_Path, " + file), file), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("IO_SharingViolation_File, /x", "an input/output error (code 11)")]
    [InlineData("Resource temporarily unavailable : '/x'", "Resource temporarily unavailable : '/x'")]
    public void Never_a_resource_key(string message, string expected)
    {
        Assert.Equal(expected, FileErrors.Describe(new IOException(message, 11), "/x"));
    }
}
