using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace EdgeLstm.Protocol;

/// <summary>
/// Reads framed frames from a <see cref="Stream"/> or <see cref="PipeReader"/> as an async sequence. Bad input yields
/// <see cref="DecodeStatus.Malformed"/> results and the loop carries on; only transport failures (an
/// <see cref="IOException"/> from the stream) or cancellation end it.
/// </summary>
public static class FrameStreamReader
{
    private const int ReadChunkBytes = 4096;

    /// <summary>Yields one result per frame until the stream ends.</summary>
    /// <param name="stream">A readable stream of frames, e.g. a <c>NetworkStream</c>, file or serial port.</param>
    /// <param name="limits">Caps on sizes and nesting; <see cref="DecoderLimits.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>Frames, unknown-type notices and errors, in stream order.</returns>
    public static async IAsyncEnumerable<DecodeResult> ReadAllAsync(
        Stream stream,
        DecoderLimits? limits = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var decoder = new StreamFrameDecoder(limits ?? DecoderLimits.Default);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ReadChunkBytes);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                int offset = 0;
                while (decoder.TryDecodeNext(buffer.AsSpan(offset, read - offset), out int consumed, out DecodeResult result))
                {
                    offset += consumed;
                    yield return result;
                }
            }

            while (decoder.TryFinish(out DecodeResult rest))
            {
                yield return rest;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Yields one result per frame until the pipe completes. The caller still owns (and completes) the reader.</summary>
    /// <param name="reader">A pipe of frames.</param>
    /// <param name="limits">Caps on sizes and nesting; <see cref="DecoderLimits.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>Frames, unknown-type notices and errors, in stream order.</returns>
    public static async IAsyncEnumerable<DecodeResult> ReadAllAsync(
        PipeReader reader,
        DecoderLimits? limits = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var decoder = new StreamFrameDecoder(limits ?? DecoderLimits.Default);
        while (true)
        {
            ReadResult read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = read.Buffer;

            // The decoder copies what it keeps, so the whole buffer is consumed once every segment was fed.
            foreach (ReadOnlyMemory<byte> segment in buffer)
            {
                int offset = 0;
                while (decoder.TryDecodeNext(segment.Span[offset..], out int consumed, out DecodeResult result))
                {
                    offset += consumed;
                    yield return result;
                }
            }

            reader.AdvanceTo(buffer.End);
            if (read.IsCompleted || read.IsCanceled)
            {
                break;
            }
        }

        while (decoder.TryFinish(out DecodeResult rest))
        {
            yield return rest;
        }
    }
}
