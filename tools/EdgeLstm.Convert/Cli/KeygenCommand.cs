using System.CommandLine;
using System.Security.Cryptography;
using EdgeLstm.Core;
using EdgeLstm.Core.Signing;

namespace EdgeLstm.Convert.Cli;

/// <summary>
/// <c>keygen -o DIR</c>: a new ECDSA P-256 key pair, <c>DIR/private.pem</c> (mode 0600; keep it off the boards) and
/// <c>DIR/public.pem</c> (what boards pin in <c>trust.modelKeys</c>).
/// </summary>
internal static class KeygenCommand
{
    public static Command Create(Func<ParseResult, CommandContext> context)
    {
        var output = new Option<string>("--output", "-o") { Description = "Folder for private.pem and public.pem (made if missing; existing keys are never overwritten).", Required = true };
        var command = new Command("keygen", "Make an ECDSA P-256 key pair to sign models and updates with: DIR/private.pem (keep it secret) and DIR/public.pem (pin it on boards).") { output };
        command.SetAction(result =>
        {
            CommandContext ctx = context(result);
            return ctx.Execute(() => Run(ctx, result.GetValue(output)!));
        });
        return command;
    }

    private static int Run(CommandContext ctx, string folder)
    {
        string privatePath = Path.Combine(folder, "private.pem");
        string publicPath = Path.Combine(folder, "public.pem");
        foreach (string path in new[] { privatePath, publicPath })
        {
            if (File.Exists(path))
            {
                ctx.Error.WriteLine($"error: {path} exists; keygen never replaces a key (boards may pin it). Choose another folder.");
                return ExitCodes.BadInput;
            }
        }
        Directory.CreateDirectory(folder);
        using ECDsa key = SigningKeys.Generate();
        // The private key is created with owner-only permissions rather than tightened after it was written.
        var secret = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) secret.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(privatePath, secret)) writer.Write(SigningKeys.PrivatePem(key));
        File.WriteAllText(publicPath, SigningKeys.PublicPem(key));
        ctx.Output.WriteLine($"wrote {privatePath} (keep it secret, off the boards) and {publicPath}");
        ctx.Output.WriteLine($"key id {KeyId.Of(key)}");
        return ExitCodes.Success;
    }
}
