using System.Net.Sockets;

namespace EdgeLstm.Runtime.Sinks.Tls;

/// <summary>
/// A TLS connection (an OpenSSL SSL*) over a non-blocking socket, made by <see cref="TlsClientContext.Connect"/>.
/// MQTTnet reads on one task while it writes on others, and an SSL* must never be used by two threads at once: every
/// OpenSSL call on it is made under one lock, and a call that wants the socket readable or writable returns at once
/// (the socket is non-blocking) and is retried after waiting for readiness outside the lock, so a reader waiting for
/// the next packet never holds up a writer.
/// </summary>
internal sealed class OpenSslStream : Stream
{
    private readonly Lock _lock = new();
    private readonly Socket _socket;
    private readonly TlsLink _link;
    private nint _ssl;
    private bool _received;

    internal OpenSslStream(nint ssl, Socket socket, TlsLink link)
    {
        _ssl = ssl;
        _socket = socket;
        _link = link;
    }

    /// <summary>How long a write may wait for the socket to take bytes before it fails.</summary>
    public TimeSpan WriteTimeoutSpan { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The socket under the TLS session (owned by this stream).</summary>
    public Socket Socket => _socket;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// What has arrived, without waiting: the number of bytes read, 0 when nothing has. Throws <see cref="TlsException"/>
    /// when the server closed the connection or the session failed.
    /// </summary>
    public int ReadAvailable(Span<byte> buffer)
    {
        int read = TryRead(buffer, out int want);
        if (read > 0) return read;
        if (want == OpenSsl.SslErrorWantWrite) WaitUntilReady(_socket, SelectMode.SelectWrite, Deadline());
        return 0;
    }

    /// <summary>Waits for bytes at most the socket's <see cref="Socket.ReceiveTimeout"/> (0: without end, as for a socket).</summary>
    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            int read = TryRead(buffer, out int want);
            if (read > 0 || want == OpenSsl.SslErrorNone) return read;
            int timeoutMs = _socket.ReceiveTimeout;
            if (!_socket.Poll(timeoutMs <= 0 ? -1 : timeoutMs * 1000L > int.MaxValue ? int.MaxValue : timeoutMs * 1000, want == OpenSsl.SslErrorWantRead ? SelectMode.SelectRead : SelectMode.SelectWrite))
                throw new TimeoutException($"TLS to {_link}: nothing received within {timeoutMs} ms");
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            int read = TryRead(buffer.Span, out int want);
            if (read > 0 || want == OpenSsl.SslErrorNone) return read;
            if (want == OpenSsl.SslErrorWantRead)
            {
                // A zero-byte receive completes when data has arrived, without taking any: OpenSSL reads it next.
                try
                {
                    await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }
                catch (ObjectDisposedException e)
                {
                    throw new TlsException($"TLS to {_link}: the connection was closed", e);
                }
            }
            else if (!WaitUntilReady(_socket, SelectMode.SelectWrite, Deadline()))
            {
                throw new TimeoutException($"TLS to {_link}: the socket took no bytes within {DeliveryTimings.Words(WriteTimeoutSpan)}");
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Writes all of <paramref name="buffer"/>, waiting at most <see cref="WriteTimeoutSpan"/> for the socket each time it is full.</summary>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int written = TryWrite(buffer, out int want);
            if (written > 0)
            {
                buffer = buffer[written..];
                continue;
            }
            if (!WaitUntilReady(_socket, want == OpenSsl.SslErrorWantRead ? SelectMode.SelectRead : SelectMode.SelectWrite, Deadline()))
                throw new TimeoutException($"TLS to {_link}: the socket took no bytes within {DeliveryTimings.Words(WriteTimeoutSpan)}");
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Written synchronously: a write only waits when the socket's send buffer is full, and then at most <see cref="WriteTimeoutSpan"/>.</summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>
    /// One SSL_read under the lock: bytes read (&gt; 0); or 0 with <paramref name="want"/> saying which readiness to wait for
    /// (<see cref="OpenSsl.SslErrorNone"/> for an empty buffer). Throws when the session ended or failed.
    /// </summary>
    private unsafe int TryRead(Span<byte> buffer, out int want)
    {
        want = OpenSsl.SslErrorNone;
        if (buffer.IsEmpty) return 0;
        lock (_lock)
        {
            nint ssl = Live();
            OpenSsl.ErrClearError();
            int result;
            fixed (byte* pointer = buffer) result = OpenSsl.SslRead(ssl, pointer, buffer.Length);
            if (result > 0)
            {
                _received = true;
                return result;
            }
            want = OpenSsl.SslGetError(ssl, result);
            if (want is OpenSsl.SslErrorWantRead or OpenSsl.SslErrorWantWrite) return 0;
            throw TlsException.FromOpenSsl(_link, ssl, want, handshake: false, nothingReceived: !_received);
        }
    }

    /// <summary>One SSL_write under the lock: bytes written, or 0 with <paramref name="want"/> saying which readiness to wait for.</summary>
    private unsafe int TryWrite(ReadOnlySpan<byte> buffer, out int want)
    {
        lock (_lock)
        {
            nint ssl = Live();
            OpenSsl.ErrClearError();
            int result;
            fixed (byte* pointer = buffer) result = OpenSsl.SslWrite(ssl, pointer, buffer.Length);
            want = OpenSsl.SslErrorNone;
            if (result > 0) return result;
            want = OpenSsl.SslGetError(ssl, result);
            if (want is OpenSsl.SslErrorWantRead or OpenSsl.SslErrorWantWrite) return 0;
            throw TlsException.FromOpenSsl(_link, ssl, want, handshake: false, nothingReceived: !_received);
        }
    }

    private nint Live() => _ssl != 0 ? _ssl : throw new ObjectDisposedException(nameof(OpenSslStream), $"TLS to {_link}: the connection was closed");

    private long Deadline() => Environment.TickCount64 + (long)WriteTimeoutSpan.TotalMilliseconds;

    /// <summary>Waits (never under the lock) until the socket is ready for <paramref name="mode"/>; false when <paramref name="deadline"/> (Environment.TickCount64) passed first.</summary>
    internal static bool WaitUntilReady(Socket socket, SelectMode mode, long deadline)
    {
        long left = deadline - Environment.TickCount64;
        return left > 0 && socket.Poll((int)Math.Min(left * 1000, int.MaxValue), mode);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_lock)
            {
                if (_ssl != 0)
                {
                    // close_notify, best effort and without waiting for the server's: the socket closes right after.
                    OpenSsl.ErrClearError();
                    _ = OpenSsl.SslShutdown(_ssl);
                    OpenSsl.ErrClearError();
                    TlsClientContext.Free(_ssl);
                    _ssl = 0;
                }
            }
            _socket.Dispose();
        }
        base.Dispose(disposing);
    }
}
