using BenchmarkDotNet.Attributes;
using EdgeLstm.Protocol;

namespace EdgeLstm.Bench;

/// <summary>
/// What damage costs the stream decoder: a Prediction behind 64 bytes of line noise (one bad block, then the
/// frame recovered from its tail), and the worst block a hostile sender can craft for the tail search
/// (4 KB in which every other byte starts a candidate tail, so the search's work cap is what bounds it).
/// </summary>
[MemoryDiagnoser]
public class ProtocolResyncBenchmarks
{
    private readonly StreamFrameDecoder _decoder = new();
    private byte[] _noiseThenPrediction = [];
    private byte[] _hostileBlock = [];

    [GlobalSetup]
    public void Setup()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        new StreamFrameEncoder().Write(
            new PredictionFrame { Sequence = 123_456, TimeMs = 3_600_000, Probabilities = new byte[] { 232, 13, 8, 3 }, AnomalyLevel = 15 },
            output);
        var random = new Random(42);
        byte[] noise = new byte[64];
        random.NextBytes(noise);
        for (int i = 0; i < noise.Length; i++)
        {
            noise[i] |= 1;
        }

        _noiseThenPrediction = [.. noise, .. output.WrittenSpan];

        // "02 91" repeated: each pair is a COBS group holding one array-header byte, so every even offset is a
        // candidate whose code chain ends exactly at the block end.
        _hostileBlock = new byte[DecoderLimits.Default.MaxPayloadBytes + 1];
        for (int i = 0; i + 1 < _hostileBlock.Length - 1; i += 2)
        {
            _hostileBlock[i] = 0x02;
            _hostileBlock[i + 1] = 0x91;
        }

        _hostileBlock[^2] = 0x01;
        _hostileBlock[^1] = 0x00;
    }

    /// <summary>Reports the noise block, then delivers the Prediction found at its tail.</summary>
    [Benchmark]
    public int NoiseThenPrediction() => DecodeAll(_noiseThenPrediction);

    /// <summary>One 4 KB block built to maximise tail candidates.</summary>
    [Benchmark]
    public int HostileBlock() => DecodeAll(_hostileBlock);

    private int DecodeAll(byte[] stream)
    {
        int results = 0;
        int offset = 0;
        while (_decoder.TryDecodeNext(stream.AsSpan(offset), out int consumed, out _))
        {
            offset += consumed;
            results++;
        }

        return results;
    }
}
