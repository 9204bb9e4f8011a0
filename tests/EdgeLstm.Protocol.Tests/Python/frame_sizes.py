#!/usr/bin/python3
"""Prints the size table of docs/protocol.md: each version-2 example frame as EdgeLstm bytes, as compact JSON
(one line, newline counted, fields at their default left out) and as a Sparkplug B payload (protobuf encoded by
hand from eclipse/tahu's sparkplug_b.proto: Payload.timestamp=1, metrics=2, seq=3; Metric.name=1, alias=2,
timestamp=3, datatype=4, is_historical=5, int_value=10, long_value=11, float_value=12, boolean_value=14,
string_value=15). MQTT headers and topic are not counted for Sparkplug, just as TCP/UDP headers are not counted
for the others."""
import json
import struct

import edgelstm_frames as ef
import msgpack

EPOCH = 1795845600000
UINT32, UINT64, FLOAT, BOOLEAN, STRING, INT32 = 7, 8, 9, 11, 12, 3


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field(number, wire_type, body):
    return varint(number << 3 | wire_type) + body


def metric(alias, datatype, value, name=None, timestamp=None, historical=False):
    body = b""
    if name is not None:
        body += field(1, 2, varint(len(name.encode())) + name.encode())
    body += field(2, 0, varint(alias))
    if timestamp is not None:
        body += field(3, 0, varint(timestamp))
    body += field(4, 0, varint(datatype))
    if historical:
        body += field(5, 0, varint(1))
    if datatype == FLOAT:
        body += field(12, 5, struct.pack("<f", value))
    elif datatype == BOOLEAN:
        body += field(14, 0, varint(int(value)))
    elif datatype == STRING:
        body += field(15, 2, varint(len(value.encode())) + value.encode())
    elif datatype == UINT64:
        body += field(11, 0, varint(value))
    elif datatype == INT32:
        body += field(10, 0, varint(value & 0xFFFFFFFF))
    else:
        body += field(10, 0, varint(value))
    return field(2, 2, varint(len(body)) + body)


def payload(metrics, timestamp, seq=0):
    return field(1, 0, varint(timestamp)) + b"".join(metrics) + field(3, 0, varint(seq))


def sparkplug(name, values, timestamp, historical=False):
    """One metric per field (arrays: one per element); Hello is a birth, so its metrics carry names; a frame
    resent from the journal marks each metric is_historical."""
    metrics, alias = [], 1
    for key, (datatype, value) in values.items():
        for item in (value if isinstance(value, list) else [value]):
            metrics.append(metric(alias, datatype, item, name=key if name == "Hello" else None, historical=historical))
            alias += 1
    return payload(metrics, timestamp)


def main():
    ex = ef.EXAMPLES
    p = [b / 255 for b in ex["Prediction"][4]]
    session = ef.SESSION
    prediction_json = {"type": "prediction", "seq": 123456, "ts": EPOCH + 3600000, "probs": [round(x, 3) for x in p],
                       "anomaly": round(15 / 127, 3), "degraded": False}
    prediction_metrics = {"seq": (UINT64, 123456), "prob": (FLOAT, p), "anomaly": (FLOAT, 15 / 127),
                          "degraded": (BOOLEAN, False)}
    v = ex["PredictionWithValues"]
    # (example name, row label, JSON object, Sparkplug metrics, Sparkplug is_historical)
    rows = [
        ("Hello", "Hello",
            {"type": "hello", "protocolVersion": 2, "deviceId": "pump-07", "firmwareVersion": "0.1.0",
             "modelId": "bearing-lstm@3f2a", "channels": ["vib_x", "vib_y", "temp"],
             "labels": ["normal", "imbalance", "misalign", "bearing"], "sampleRateHz": 100.0, "epochUnixMs": EPOCH,
             "sessionId": session, "seq": 120000},
            {"protocolVersion": (UINT32, 2), "deviceId": (STRING, "pump-07"), "firmwareVersion": (STRING, "0.1.0"),
             "modelId": (STRING, "bearing-lstm@3f2a"), "channel": (STRING, ["vib_x", "vib_y", "temp"]),
             "label": (STRING, ["normal", "imbalance", "misalign", "bearing"]), "sampleRateHz": (FLOAT, 100.0),
             "sessionId": (UINT64, session), "seq": (UINT64, 120000)}, False),
        ("Prediction", "Prediction (4 classes)", prediction_json, prediction_metrics, False),
        ("PredictionHistorical", "Prediction (4 classes), historical", dict(prediction_json, historical=True),
            prediction_metrics, True),
        ("PredictionWithValues", "Prediction (2 values)",
            {"type": "prediction", "seq": v[1], "ts": EPOCH + 3600000, "values": v[6], "anomaly": round(15 / 127, 3),
             "degraded": False},
            {"seq": (UINT64, v[1]), "value": (FLOAT, v[6]), "anomaly": (FLOAT, 15 / 127),
             "degraded": (BOOLEAN, False)}, False),
        ("Alarm", "Alarm",
            {"type": "alarm", "seq": 123457, "ts": EPOCH + 3600250, "raised": True, "class": 3, "score": 0.87,
             "durationMs": 4000, "degraded": True},
            {"seq": (UINT64, 123457), "raised": (BOOLEAN, True), "class": (INT32, 3), "score": (FLOAT, 0.87),
             "durationMs": (UINT32, 4000), "degraded": (BOOLEAN, True)}, False),
        ("Health", "Health (3 channels)",
            {"type": "health", "seq": 123500, "ts": EPOCH + 3660000, "uptimeS": 3720, "samples": 372000,
             "overruns": 2, "readErrors": [0, 5, 0], "inferUsP50": 180, "inferUsP99": 420, "inferUsMax": 950,
             "queueDepth": 1, "queueDrops": 0, "cpuTempMilliC": 48312, "journalBacklog": 1250,
             "journalEvictions": 17, "journalDamaged": 1, "readTimeouts": [0, 0, 3], "nonFinite": [0, 0, 0],
             "modelResets": 1, "alarmThresholds": [2.5, 1.875]},
            {"seq": (UINT64, 123500), "uptimeS": (UINT32, 3720), "samples": (UINT64, 372000),
             "overruns": (UINT32, 2), "readErrors": (UINT32, [0, 5, 0]), "p50": (UINT32, 180), "p99": (UINT32, 420),
             "max": (UINT32, 950), "depth": (UINT32, 1), "drops": (UINT32, 0), "cpuTemp": (INT32, 48312),
             "backlog": (UINT32, 1250), "evictions": (UINT64, 17), "damaged": (UINT32, 1),
             "timeouts": (UINT32, [0, 0, 3]), "nonFinite": (UINT32, [0, 0, 0]), "resets": (UINT32, 1),
             "thresholds": (FLOAT, [2.5, 1.875])}, False),
        ("Ack", "Ack",
            {"type": "ack", "highestSeq": 123456, "sessionId": session},
            {"highestSeq": (UINT64, 123456), "sessionId": (UINT64, session)}, False),
    ]
    print("| frame | EdgeLstm payload (UDP datagram) | EdgeLstm on a stream (COBS + CRC + 0x00) "
          "| compact JSON + newline | Sparkplug B payload |")
    print("|---|---|---|---|---|")
    for name, label, as_json, as_metrics, historical in rows:
        packed = msgpack.packb(ex[name], use_bin_type=True, use_single_float=True)
        text = json.dumps(as_json, separators=(",", ":")) + "\n"
        spb = sparkplug(name, as_metrics, EPOCH, historical)
        print(f"| {label} | {len(packed)} | {len(ef.frame(packed))} | {len(text.encode())} | {len(spb)} |")
    one = payload([metric(1, FLOAT, 0.5, timestamp=EPOCH)], EPOCH)
    print(f"\nSparkplug B, one float metric with alias and timestamp: {len(one)} bytes")
    print("JSON prediction example:", json.dumps(prediction_json, separators=(",", ":")))


if __name__ == "__main__":
    main()
