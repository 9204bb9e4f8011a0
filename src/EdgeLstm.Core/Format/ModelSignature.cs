using System.Buffers.Binary;
using System.Security.Cryptography;
using EdgeLstm.Core.Signing;

namespace EdgeLstm.Core.Format;

/// <summary>
/// Signed .elstm files: header flag <see cref="ModelFile.SignedFlag"/> set and a <see cref="SignatureBlock"/> after
/// the payload, signing every byte before it (the header, flag included, and the payload). Reading the trailer needs
/// no cryptography; verifying it does (<see cref="TrustedKeys"/>).
/// </summary>
public static class ModelSignature
{
    /// <summary>
    /// The bytes a signature covers and the model id hashes: the header and the payload, without a trailer. For bytes
    /// that are not a well-formed signed file, all of them (the model reader then says what is wrong).
    /// </summary>
    public static ReadOnlySpan<byte> SignedPart(ReadOnlySpan<byte> file) =>
        TrailerOffset(file) is int offset ? file[..offset] : file;

    /// <summary>The file's signature, or null when the file is not signed (its header flag is clear).</summary>
    /// <exception cref="InvalidModelException">The header says signed but the file does not hold a readable signature.</exception>
    public static SignatureBlock? Read(ReadOnlySpan<byte> file)
    {
        if (file.Length < ModelFile.HeaderSize || !file[..8].SequenceEqual(ModelFile.Magic)) return null;
        if ((BinaryPrimitives.ReadUInt16LittleEndian(file[10..]) & ModelFile.SignedFlag) == 0) return null;
        if (TrailerOffset(file) is not int offset)
            throw new InvalidModelException($"The header (offset 10) says the file is signed, but it is {file.Length} bytes, not its header, payload and {SignatureBlock.Size}-byte signature.");
        try
        {
            return SignatureBlock.Read(file[offset..], $"the signature at offset {offset}");
        }
        catch (SignatureException e)
        {
            throw new InvalidModelException(e.Message, e);
        }
    }

    /// <summary>
    /// Signs an .elstm file with <paramref name="key"/>: checks it is a readable model, sets the signed flag and appends the
    /// signature. A file signed before is signed anew (its old signature replaced).
    /// </summary>
    /// <exception cref="InvalidModelException">The bytes are not a usable model.</exception>
    public static byte[] Sign(ReadOnlySpan<byte> file, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ModelFile.Load(file);
        ReadOnlySpan<byte> unsigned = SignedPart(file);
        var signed = new byte[unsigned.Length + SignatureBlock.Size];
        unsigned.CopyTo(signed);
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(signed.AsSpan(10));
        BinaryPrimitives.WriteUInt16LittleEndian(signed.AsSpan(10), (ushort)(flags | ModelFile.SignedFlag));
        SignatureBlock.Sign(signed.AsSpan(0, unsigned.Length), key).Write(signed.AsSpan(unsigned.Length));
        return signed;
    }

    /// <summary>
    /// Enforces a board's trust policy on a model file: with no key pinned, anything readable passes; with keys
    /// pinned, the file must be signed by one of them and unchanged since. The policy is the board's, never the file's.
    /// </summary>
    /// <exception cref="SignatureException">The file is unsigned, signed by a key not pinned, or changed; the message says which.</exception>
    public static void Verify(ReadOnlySpan<byte> file, TrustedKeys trusted)
    {
        ArgumentNullException.ThrowIfNull(trusted);
        if (trusted.IsEmpty) return;
        SignatureBlock? signature;
        try
        {
            signature = Read(file);
        }
        catch (InvalidModelException e)
        {
            throw new SignatureException($"the model's signature is unreadable: {e.Message}", e);
        }
        if (signature is null)
            throw new SignatureException($"the model is not signed, and this board accepts only models signed by a pinned key ({trusted.Describe()}); sign it with 'edgelstm-convert sign'.");
        trusted.Verify(SignedPart(file), signature, "the model");
    }

    /// <summary>Where a signed file's trailer starts, or null when the bytes are not a signed file of consistent length.</summary>
    private static int? TrailerOffset(ReadOnlySpan<byte> file)
    {
        if (file.Length < ModelFile.HeaderSize + SignatureBlock.Size) return null;
        if ((BinaryPrimitives.ReadUInt16LittleEndian(file[10..]) & ModelFile.SignedFlag) == 0) return null;
        long end = ModelFile.HeaderSize + (long)BinaryPrimitives.ReadUInt32LittleEndian(file[12..]);
        return end + SignatureBlock.Size == file.Length ? (int)end : null;
    }
}
