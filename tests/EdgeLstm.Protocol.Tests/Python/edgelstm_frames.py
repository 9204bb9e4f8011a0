#!/usr/bin/python3
"""An independent Python implementation of the EdgeLstm wire protocol, version 2 (docs/protocol.md), used by the
cross-language tests. It shares no code with the C# library: framing and CRC are written here from the spec,
MessagePack comes from Debian's python3-msgpack.

Usage:
  edgelstm_frames.py decode FILE   read a framed stream, print one JSON object per line per frame
  edgelstm_frames.py encode FILE   write the frames listed in PYTHON_FRAMES as a framed stream
  edgelstm_frames.py examples      print the documented example frames as hex (payload and framed)
"""
import binascii
import json
import math
import sys

import msgpack

# Field names by type tag, in wire order. Version 2 appended the fields after the "|" of each comment; a
# version-1 sender stops before them, and a decoder then has fewer names than the list (zip stops early).
FIELDS = {
    1: ["protocolVersion", "deviceId", "firmwareVersion", "modelId", "channelNames", "outputLabels",
        "sampleRateHz", "epochUnixMs",  # | version 2:
        "sessionId", "sequence"],
    2: ["sequence", "timeMs", "status", "probabilities", "anomalyLevel",  # | version 2:
        "values", "flags"],
    3: ["sequence", "timeMs", "raised", "classIndex", "score", "durationMs",  # | version 2:
        "flags", "degraded"],
    4: ["sequence", "timeMs", "uptimeSeconds", "samplesRead", "overruns", "channelReadErrors",
        "inferenceP50Us", "inferenceP99Us", "inferenceMaxUs", "sendQueueDepth", "sendQueueDrops",
        "cpuTemperatureMilliCelsius",  # | version 2:
        "journalBacklog", "journalEvictions", "journalDamaged", "flags",
        "channelReadTimeouts", "channelNonFinite", "modelResets", "alarmThresholds"],
    5: ["highestSequence",  # | version 2:
        "sessionId", "lowestSequence"],
}

# Bits of the flags field (Prediction, Alarm, Health).
HISTORICAL = 1


def crc16_ccitt_false(data):
    return binascii.crc_hqx(data, 0xFFFF)


def cobs_encode(data):
    out = bytearray([0])
    code_index, code = 0, 1
    for byte in data:
        if byte == 0:
            out[code_index] = code
            code_index, code = len(out), 1
            out.append(0)
            continue
        out.append(byte)
        code += 1
        if code == 0xFF:
            out[code_index] = code
            code_index, code = len(out), 1
            out.append(0)
    out[code_index] = code
    return bytes(out)


def cobs_decode(data):
    out, i = bytearray(), 0
    while i < len(data):
        code = data[i]
        if code == 0 or i + code > len(data):
            raise ValueError("bad COBS")
        out += data[i + 1:i + code]
        i += code
        if code != 0xFF and i < len(data):
            out.append(0)
    return bytes(out)


def frame(payload):
    crc = crc16_ccitt_false(payload)
    return cobs_encode(payload + bytes([crc >> 8, crc & 0xFF])) + b"\x00"


def unframe(stream):
    """Yields (payload or None) for each 0x00-terminated block; None when COBS or CRC fail."""
    for block in stream.split(b"\x00")[:-1]:
        if not block:
            continue
        try:
            decoded = cobs_decode(block)
        except ValueError:
            yield None
            continue
        body, crc = decoded[:-2], decoded[-2:]
        if len(decoded) < 3 or crc16_ccitt_false(body) != (crc[0] << 8 | crc[1]):
            yield None
            continue
        yield body


def to_json_value(value):
    if isinstance(value, bytes):
        return list(value)
    if isinstance(value, list):
        return [to_json_value(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or infinities: "nan", "inf", "-inf"
    return value


def decode(path):
    with open(path, "rb") as f:
        stream = f.read()
    for payload in unframe(stream):
        if payload is None:
            print(json.dumps({"error": "framing"}))
            continue
        array = msgpack.unpackb(payload, raw=False)
        tag, values = array[0], array[1:]
        names = FIELDS.get(tag, [])
        record = {"type": tag}
        for name, value in zip(names, values):
            record[name] = to_json_value(value)
        if "flags" in record:
            record["historical"] = bool(record["flags"] & HISTORICAL)
        print(json.dumps(record))


# Frames Python sends to C#: default msgpack settings (floats as float64), version-2 frames with every field
# (values, non-finite ones included, historical flags, 64-bit sequences and session ids), version-1 frames that
# end before the fields version 2 appended, one frame with extra trailing fields and one of an unknown type, to
# prove compatibility across languages in both directions of time.
PYTHON_FRAMES = [
    [1, 2, "py-board", "py-1.2", "model-\u00e9", ["a", "b"], ["rul", "fault"], 12.5, 1795845600123, 2**64 - 1, 69999],
    [2, 70000, 4000000000, 1, bytes([200, 55]), 127, [87.5, -0.25, float("nan"), float("inf"), float("-inf")], 0],
    [2, 2**64 - 1, 5, 0, b"", 0, [], HISTORICAL],
    [3, 70001, 5, False, -1, 0.25, 0, HISTORICAL],
    [4, 70002, 6, 7, 2**40, 8, [1, 2**32 - 1], 9, 10, 11, 12, 13, -1500, 2**32 - 1, 2**64 - 1, 3, HISTORICAL, [], [], 0,
     [float("nan"), float("nan"), 0.75, 0.5]],
    [4, 70003, 6, 7, 8, 9, [], 10, 11, 12, 13, 14, None],
    [99, "from the future", {"nested": [1, 2]}],
    [5, 2**64 - 1, 2**63, 2**62, "extra", [1, {"k": b"v"}]],
    [1, 1, "old-board", "0.0.9", "m", [], [], 1.0, 5],
    [2, 7, 8, 0, bytes([255]), 3],
    [5, 4294967295],
]


def encode(path):
    with open(path, "wb") as f:
        for array in PYTHON_FRAMES:
            f.write(frame(msgpack.packb(array, use_bin_type=True)))


# The examples in docs/protocol.md; floats as float32, as the C# encoder writes them.
SESSION = 0x8F3A5C71D2E4B609
EXAMPLES = {
    "Hello": [1, 2, "pump-07", "0.1.0", "bearing-lstm@3f2a", ["vib_x", "vib_y", "temp"],
              ["normal", "imbalance", "misalign", "bearing"], 100.0, 1795845600000, SESSION, 120000],
    "Prediction": [2, 123456, 3600000, 0, bytes([232, 13, 8, 3]), 15, [], 0],
    "PredictionWithValues": [2, 2**32 + 17, 3600000, 0, b"", 15, [87.0, 0.3125], 0],
    "PredictionHistorical": [2, 123456, 3600000, 0, bytes([232, 13, 8, 3]), 15, [], HISTORICAL],
    "Alarm": [3, 123457, 3600250, True, 3, 0.87, 4000, 0, True],
    "Health": [4, 123500, 3660000, 3720, 372000, 2, [0, 5, 0], 180, 420, 950, 1, 0, 48312, 1250, 17, 1, 0, [0, 0, 3],
               [0, 0, 0], 1, [2.5, 1.875]],
    "Ack": [5, 123456, SESSION],
    "AckRange": [5, 123456, SESSION, 123400],
}

# Version-1 frames, still read by version-2 decoders: the same examples as version 1 of docs/protocol.md showed.
EXAMPLES_V1 = {
    "HelloV1": [1, 1, "pump-07", "0.1.0", "bearing-lstm@3f2a", ["vib_x", "vib_y", "temp"],
                ["normal", "imbalance", "misalign", "bearing"], 100.0, 1795845600000],
    "PredictionV1": [2, 123456, 3600000, 0, bytes([232, 13, 8, 3]), 15],
    "AlarmV1": [3, 123457, 3600250, True, 3, 0.87, 4000],
    "HealthV1": [4, 123500, 3660000, 3720, 372000, 2, [0, 5, 0], 180, 420, 950, 1, 0, 48312],
    "AckV1": [5, 123456],
}


def examples():
    for name, array in list(EXAMPLES.items()) + list(EXAMPLES_V1.items()):
        payload = msgpack.packb(array, use_bin_type=True, use_single_float=True)
        print(name, len(payload), payload.hex(" "))
        framed = frame(payload)
        print(name, len(framed), framed.hex(" "))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "decode":
        decode(sys.argv[2])
    elif command == "encode":
        encode(sys.argv[2])
    elif command == "examples":
        examples()
    else:
        sys.exit("unknown command " + command)
