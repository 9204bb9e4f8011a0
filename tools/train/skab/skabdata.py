"""SKAB data loading and the benchmark's split (first 400 rows of each labelled file = fitting data)."""
import os

import numpy as np

CHANNELS = ["Accelerometer1RMS", "Accelerometer2RMS", "Current", "Pressure",
            "Temperature", "Thermocouple", "Voltage", "Volume Flow RateRMS"]
# Units from SKAB's README description of the sensors.
UNITS = ["g", "g", "A", "bar", "degC", "degC", "V", "l/min"]
TRAIN_ROWS = 400  # SKAB protocol: the first 400 rows of each file are its only fitting data


def default_root():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "datasets", "skab"))


def read_csv(path):
    """Returns (datetimes, X float32 [n, 8], anomaly int8 [n] or None). Handles CRLF and LF."""
    with open(path, "r", newline="") as f:
        lines = [ln.rstrip("\r\n") for ln in f.read().splitlines() if ln.strip()]
    header = [h.strip() for h in lines[0].split(";")]
    idx = [header.index(c) for c in CHANNELS]
    ai = header.index("anomaly") if "anomaly" in header else None
    times, rows, labels = [], [], []
    for ln in lines[1:]:
        parts = ln.split(";")
        times.append(parts[0])
        rows.append([float(parts[i]) for i in idx])
        if ai is not None:
            labels.append(int(float(parts[ai])))
    X = np.asarray(rows, dtype=np.float32)
    y = np.asarray(labels, dtype=np.int8) if ai is not None else None
    return times, X, y


def labelled_files(root=None):
    """The 34 labelled files in a fixed order: valve1/0..15, valve2/0..3, other/1..14 (numeric order)."""
    root = root or default_root()
    out = []
    for folder in ("valve1", "valve2", "other"):
        d = os.path.join(root, folder)
        names = sorted((n for n in os.listdir(d) if n.endswith(".csv")), key=lambda n: int(n[:-4]))
        out += [os.path.join(d, n) for n in names]
    return out


def file_key(path):
    """'valve1/3' style identifier."""
    return os.path.basename(os.path.dirname(path)) + "/" + os.path.basename(path)[:-4]
