using System.CommandLine;
using System.Security.Cryptography;
using EdgeLstm.Core;
using EdgeLstm.Core.Format;
using EdgeLstm.Core.Signing;

namespace EdgeLstm.Convert.Cli;

/// <summary>
/// <c>sign model.elstm --key private.pem [-o signed.elstm]</c>: appends an ECDSA P-256 signature over the file
/// (docs/model-format.md, "Signed models"); a file signed before is signed anew.
/// </summary>
internal static class SignCommand
{
    public static Command Create(Func<ParseResult, CommandContext> context)
    {
        var model = new Argument<string>("model.elstm") { Description = "The model to sign." };
        var key = new Option<string>("--key", "-k") { Description = "The private.pem from 'keygen'.", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "Write the signed model here. Default: replace model.elstm (atomically)." };
        var command = new Command("sign", "Sign a .elstm model so boards that pin the matching public key run it.") { model, key, output };
        command.SetAction(result =>
        {
            CommandContext ctx = context(result);
            return ctx.Execute(() => Run(ctx, result.GetValue(model)!, result.GetValue(key)!, result.GetValue(output)));
        });
        return command;
    }

    private static int Run(CommandContext ctx, string modelPath, string keyPath, string? outputPath)
    {
        ECDsa key;
        try
        {
            key = SigningKeys.LoadPrivate(keyPath);
        }
        catch (SignatureException e)
        {
            ctx.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        using (key)
        {
            byte[] file = ModelFile.ReadFile(modelPath);
            byte[] signed;
            try
            {
                signed = ModelSignature.Sign(file, key);
            }
            catch (InvalidModelException e)
            {
                throw new InvalidModelException($"{modelPath}: {e.Message}", e);
            }
            string destination = outputPath ?? modelPath;
            string temporary = destination + ".tmp";
            File.WriteAllBytes(temporary, signed);
            File.Move(temporary, destination, overwrite: true);
            ctx.Output.WriteLine($"signed {destination} with key {KeyId.Of(key)}: model id {ModelFile.ComputeModelId(signed)}, {signed.Length:N0} bytes");
            return ExitCodes.Success;
        }
    }
}
