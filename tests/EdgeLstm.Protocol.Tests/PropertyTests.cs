using CsCheck;
using MessagePack;

namespace EdgeLstm.Protocol.Tests;

/// <summary>
/// Random frames round-trip; random damage to valid streams never crashes or hangs the decoder, and every frame
/// that was not itself damaged is still delivered, in order.
/// </summary>
public class PropertyTests
{
    private const int Iterations = 300;

    /// <summary>What happens to one frame's bytes on the way.</summary>
    private enum Damage
    {
        None,
        FlipByte,
        Truncate,
        LoseDelimiter,
        GarbageBefore,
    }

    private sealed record DamagedFrame(object Frame, Damage Damage, int Position, byte Value, byte[] Garbage);

    private static readonly Gen<DamagedFrame> DamagedFrameBytes = Gen.Select(
        FrameGenerators.Any,
        Gen.Frequency((5, Gen.Const(Damage.None)), (1, Gen.Const(Damage.FlipByte)), (1, Gen.Const(Damage.Truncate)),
            (1, Gen.Const(Damage.LoseDelimiter)), (1, Gen.Const(Damage.GarbageBefore))),
        Gen.Int[0, int.MaxValue],
        Gen.Byte,
        Gen.Byte.Array[1, 64],
        (frame, damage, position, value, garbage) => new DamagedFrame(frame, damage, position, value, garbage));

    [Fact]
    public void Random_frames_round_trip_through_stream_framing_and_datagrams() =>
        FrameGenerators.Any.Sample(
            frame =>
            {
                FrameAssert.Decoded(frame, Assert.Single(StreamDecoding.DecodeAll(FrameGenerators.Framed(frame))));
                FrameAssert.Decoded(frame, DatagramFrames.Decode(FrameGenerators.Payload(frame)));
            },
            iter: Iterations);

    [Fact]
    public void Random_frames_cut_to_their_version_1_fields_decode_with_the_appended_fields_at_their_defaults() =>
        FrameGenerators.Any.Sample(
            frame => FrameAssert.Decoded(WithoutVersion2Fields(frame), PayloadDecoder.Decode(CutToVersion1Fields(FrameGenerators.Payload(frame)))),
            iter: Iterations);

    [Fact]
    public void Damaged_streams_never_crash_and_every_undamaged_frame_is_delivered_in_order() =>
        Gen.Select(DamagedFrameBytes.Array[1, 12], Gen.Int[1, 40]).Sample(
            input =>
            {
                (DamagedFrame[] frames, int chunkSize) = input;
                var stream = new List<byte>();
                var undamaged = new List<object>();
                foreach (DamagedFrame item in frames)
                {
                    stream.AddRange(Apply(item, FrameGenerators.Framed(item.Frame)));

                    // Garbage in front of a frame belongs to the gap, not to the frame: the frame must survive it.
                    if (item.Damage is Damage.None or Damage.GarbageBefore)
                    {
                        undamaged.Add(item.Frame);
                    }
                }

                List<DecodeResult> results = StreamDecoding.DecodeAll(stream.ToArray(), chunkSize: chunkSize);

                AssertDeliveredInOrder(undamaged, results);
            },
            iter: Iterations);

    [Fact]
    public void Concatenated_streams_with_cut_off_ends_lose_only_the_cut_frames() =>
        Gen.Select(FrameGenerators.Any.Array[1, 5].Array[2, 5], Gen.Int[0, int.MaxValue].Array[5]).Sample(
            input =>
            {
                (object[][] parts, int[] cuts) = input;
                var stream = new List<byte>();
                var whole = new List<object>();
                for (int p = 0; p < parts.Length; p++)
                {
                    byte[][] framed = parts[p].Select(FrameGenerators.Framed).ToArray();
                    whole.AddRange(parts[p][..^1]);

                    // Each part but the last is cut somewhere inside its last frame, as when a logger restarts.
                    byte[] last = framed[^1];
                    int keep = p == parts.Length - 1 ? last.Length : cuts[p] % last.Length;
                    if (p == parts.Length - 1)
                    {
                        whole.Add(parts[p][^1]);
                    }

                    foreach (byte[] frame in framed[..^1])
                    {
                        stream.AddRange(frame);
                    }

                    stream.AddRange(last[..keep]);
                }

                AssertDeliveredInOrder(whole, StreamDecoding.DecodeAll(stream.ToArray()));
            },
            iter: Iterations);

    [Fact]
    public void Random_bytes_never_crash_the_stream_decoder() =>
        Gen.Select(Gen.Byte.Array[0, 2000], Gen.Int[1, 300]).Sample(
            input =>
            {
                var limits = new DecoderLimits { MaxPayloadBytes = 256 };
                List<DecodeResult> results = StreamDecoding.DecodeAll(input.Item1, limits, input.Item2);
                Assert.True(results.Count <= input.Item1.Length + 1);
            },
            iter: Iterations);

    [Fact]
    public void Mutated_payloads_never_crash_the_payload_decoder() =>
        Gen.Select(FrameGenerators.Any, Gen.Int[0, int.MaxValue].Array[1, 4], Gen.Byte.Array[4], Gen.Int[0, int.MaxValue]).Sample(
            input =>
            {
                (object frame, int[] positions, byte[] values, int cut) = input;
                byte[] payload = FrameGenerators.Payload(frame);
                byte[] mutated = (byte[])payload.Clone();
                for (int i = 0; i < positions.Length; i++)
                {
                    mutated[positions[i] % mutated.Length] = values[i];
                }

                // A mutated payload may still be some valid frame, but decoding it must return, not throw;
                // a strict prefix of a valid payload is never a whole MessagePack value, so it must be an error.
                DecodeResult damaged = PayloadDecoder.Decode(mutated);
                DecodeResult damagedPrefix = PayloadDecoder.Decode(mutated.AsMemory(0, cut % mutated.Length));
                DecodeResult prefix = PayloadDecoder.Decode(payload.AsMemory(0, cut % payload.Length));
                Assert.True(Enum.IsDefined(damaged.Status) && Enum.IsDefined(damagedPrefix.Status));
                Assert.Equal(DecodeStatus.Malformed, prefix.Status);
            },
            iter: Iterations * 3);

    /// <summary>What a version-1 sender would have written: the array cut after the fields version 1 required.</summary>
    private static byte[] CutToVersion1Fields(byte[] payload)
    {
        var reader = new MessagePackReader(payload);
        reader.ReadArrayHeader();
        int header = (int)reader.Consumed;
        FrameFields fields = (FrameType)reader.ReadByte() switch
        {
            FrameType.Hello => HelloFrameFormatter.Fields,
            FrameType.Prediction => PredictionFrameFormatter.Fields,
            FrameType.Alarm => AlarmFrameFormatter.Fields,
            FrameType.Health => HealthFrameFormatter.Fields,
            _ => AckFrameFormatter.Fields,
        };
        for (int i = 0; i < fields.RequiredCount; i++)
        {
            MessagePackStructure.SkipValidated(ref reader);
        }

        // Version 1's frames have at most 13 elements, so their header is always a one-byte fixarray.
        return [(byte)(0x90 + fields.RequiredCount + 1), .. payload[header..(int)reader.Consumed]];
    }

    private static object WithoutVersion2Fields(object frame) => frame switch
    {
        HelloFrame f => f with { SessionId = 0, Sequence = 0 },
        PredictionFrame f => f with { Values = ReadOnlyMemory<float>.Empty, Flags = FrameFlags.None },
        AlarmFrame f => f with { Flags = FrameFlags.None },
        HealthFrame f => f with
        {
            JournalBacklog = 0, JournalEvictions = 0, JournalDamaged = 0, Flags = FrameFlags.None, ChannelReadTimeouts = ReadOnlyMemory<uint>.Empty,
            ChannelNonFinite = ReadOnlyMemory<uint>.Empty, ModelResets = 0, AlarmThresholds = ReadOnlyMemory<float>.Empty,
        },
        AckFrame f => f with { SessionId = 0, LowestSequence = null },
        _ => throw new ArgumentException($"not a frame: {frame}", nameof(frame)),
    };

    private static byte[] Apply(DamagedFrame item, byte[] framed)
    {
        switch (item.Damage)
        {
            case Damage.FlipByte:
                // Any byte including the delimiter; XOR with a non-zero value so the byte really changes.
                framed[item.Position % framed.Length] ^= (byte)(item.Value | 1);
                return framed;
            case Damage.Truncate:
                return framed[..(item.Position % framed.Length)];
            case Damage.LoseDelimiter:
                return framed[..^1];
            case Damage.GarbageBefore:
                return [.. item.Garbage, .. framed];
            default:
                return framed;
        }
    }

    private static void AssertDeliveredInOrder(List<object> expected, List<DecodeResult> results)
    {
        // Undamaged frames must appear as a subsequence of what was decoded (damaged ones may or may not appear).
        int next = 0;
        foreach (DecodeResult result in results)
        {
            if (next < expected.Count && result.IsFrame && SameFrame(expected[next], result))
            {
                next++;
            }
        }

        Assert.True(next == expected.Count, $"only {next} of {expected.Count} undamaged frames were delivered; results: {string.Join(" | ", results)}");
    }

    private static bool SameFrame(object expected, DecodeResult result)
    {
        // Damaged frames can still decode (a lost delimiter replaced by a 0x00 of the garbage that follows),
        // so results of another type are expected here and simply do not match.
        if (result.FrameType != ((IWireFrame)expected).Type)
        {
            return false;
        }

        try
        {
            FrameAssert.Decoded(expected, result);
            return true;
        }
        catch (Xunit.Sdk.XunitException)
        {
            return false;
        }
    }
}
