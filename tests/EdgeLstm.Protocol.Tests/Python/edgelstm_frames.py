#!/usr/bin/python3
"""An independent Python implementation of the EdgeLstm wire protocol (docs/protocol.md), used by the
cross-language tests. It shares no code with the C# library: framing and CRC are written here from the spec,
MessagePack comes from Debian's python3-msgpack.

Usage:
  edgelstm_frames.py decode FILE   read a framed stream, print one JSON object per line per frame
  edgelstm_frames.py encode FILE   write the frames listed in PYTHON_FRAMES as a framed stream
  edgelstm_frames.py examples      print the documented example frames as hex (payload and framed)
"""
import binascii
import json
import sys

import msgpack

FIELDS = {
    1: ["protocolVersion", "deviceId", "firmwareVersion", "modelId", "channelNames", "outputLabels",
        "sampleRateHz", "epochUnixMs"],
    2: ["sequence", "timeMs", "status", "probabilities", "anomalyLevel"],
    3: ["sequence", "timeMs", "raised", "classIndex", "score", "durationMs"],
    4: ["sequence", "timeMs", "uptimeSeconds", "samplesRead", "overruns", "channelReadErrors",
        "inferenceP50Us", "inferenceP99Us", "inferenceMaxUs", "sendQueueDepth", "sendQueueDrops",
        "cpuTemperatureMilliCelsius"],
    5: ["highestSequence"],
}


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
        print(json.dumps(record))


# Frames Python sends to C#: default msgpack settings (floats as float64), one frame with two extra trailing
# fields, and one frame of an unknown type, to prove forward compatibility across languages.
PYTHON_FRAMES = [
    [1, 1, "py-board", "py-1.2", "model-\u00e9", ["a", "b"], ["ok", "fault"], 12.5, 1795845600123],
    [2, 70000, 4000000000, 1, bytes([200, 55]), 127],
    [3, 70001, 5, False, -1, 0.25, 0],
    [4, 70002, 6, 7, 2**40, 8, [1, 2**32 - 1], 9, 10, 11, 12, 13, -1500],
    [4, 70003, 6, 7, 8, 9, [], 10, 11, 12, 13, 14, None],
    [99, "from the future", {"nested": [1, 2]}],
    [5, 4294967295, "extra", [1, {"k": b"v"}]],
]


def encode(path):
    with open(path, "wb") as f:
        for array in PYTHON_FRAMES:
            f.write(frame(msgpack.packb(array, use_bin_type=True)))


# The examples in docs/protocol.md; floats as float32, as the C# encoder writes them.
EXAMPLES = {
    "Hello": [1, 1, "pump-07", "0.1.0", "bearing-lstm@3f2a", ["vib_x", "vib_y", "temp"],
              ["normal", "imbalance", "misalign", "bearing"], 100.0, 1795845600000],
    "Prediction": [2, 123456, 3600000, 0, bytes([232, 13, 8, 3]), 15],
    "Alarm": [3, 123457, 3600250, True, 3, 0.87, 4000],
    "Health": [4, 123500, 3660000, 3720, 372000, 2, [0, 5, 0], 180, 420, 950, 1, 0, 48312],
    "Ack": [5, 123456],
}


def examples():
    for name, array in EXAMPLES.items():
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
