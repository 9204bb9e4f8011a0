#!/usr/bin/env python3
"""Writes the runtime's bundled demo assets from a committed strict-protocol model:

  src/EdgeLstm.Runtime/Assets/demo-model.onnx   copy of tools/train/skab/models/strict/<file>.onnx
  src/EdgeLstm.Runtime/Assets/skab-excerpt.csv  rows of the same SKAB file, bytes as in the original
and prints the Python-side reference (threshold, alarm intervals) for Assets/README.md.

  /usr/bin/python3 tools/train/skab/make_assets.py [--file valve1/5] [--rows 0:1154]
"""
import argparse
import os
import shutil
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import evaluate as ev  # noqa: E402
import export as ex  # noqa: E402
import model as mdl  # noqa: E402
import skabdata as sd  # noqa: E402

ASSETS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "src", "EdgeLstm.Runtime", "Assets"))


def intervals(flags, offset=0):
    """[start, end] row ranges (inclusive) where flags is 1."""
    out, start = [], None
    for i, v in enumerate(list(flags) + [0]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            out.append((start + offset, i - 1 + offset))
            start = None
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=sd.default_root())
    ap.add_argument("--file", default="valve1/5")
    ap.add_argument("--rows", default="", help="data-row range a:b (0-based, b exclusive); default: whole file")
    args = ap.parse_args()

    src_csv = os.path.join(args.data, args.file + ".csv")
    onnx_src = os.path.join(HERE, "models", "strict", args.file.replace("/", "-") + ".onnx")
    os.makedirs(ASSETS, exist_ok=True)
    shutil.copyfile(onnx_src, os.path.join(ASSETS, "demo-model.onnx"))

    with open(src_csv, "rb") as f:
        lines = f.read().splitlines(keepends=True)  # keeps the original CRLF/LF
    header, rows = lines[0], lines[1:]
    a, b = (int(v) for v in args.rows.split(":")) if args.rows else (0, len(rows))
    with open(os.path.join(ASSETS, "skab-excerpt.csv"), "wb") as f:
        f.write(header)
        f.writelines(rows[a:b])

    # Python-side reference over the excerpt, from the ONNX graph itself (float64 ONNX equations).
    meta = {p.key: p.value for p in __import__("onnx").load(onnx_src).metadata_props}
    mean = np.array([float(v) for v in meta["edgelstm.mean"].split(",")], dtype=np.float32)
    std = np.array([float(v) for v in meta["edgelstm.std"].split(",")], dtype=np.float32)
    window = int(meta["edgelstm.window"])
    _, X, y = sd.read_csv(src_csv)
    X, y = X[a:b], y[a:b]
    Z = mdl.normalize(X, mean, std)
    score = mdl.score(ex.onnx_reference(onnx_src, mdl.windows(Z, window)), Z, window)
    st = ev.Settings(float(meta["skab.quantile"]), float(meta["skab.factor"]), float(meta["skab.alpha"]),
                     float(meta["skab.off_ratio"]), int(meta["skab.min_on"]))
    train_rows = sd.TRAIN_ROWS - a
    thr = ev.threshold(score, train_rows, st, int(meta["skab.calib_from"]))
    alarm = ev.decide(score, thr, st, train_rows)
    print(f"file {args.file}, data rows {a}..{b - 1} (file lines {a + 2}..{b + 1}), {b - a} rows")
    print(f"threshold (from excerpt rows < {train_rows}) {thr:.6g}; stored in model {meta['skab.threshold']}")
    print("labelled fault rows (excerpt-relative):", intervals(y))
    print("alarm rows (excerpt-relative):", intervals(alarm))
    c = ev.confusion(alarm[train_rows:], y[train_rows:])
    print("test part TP FP FN TN:", c.tolist(), "F1 %.3f FAR %.2f%% MAR %.2f%%" % ev.metrics(c))
    np.savetxt(os.path.join("/tmp", "skab_demo_reference.csv"),
               np.column_stack([np.arange(len(score)), score, ev.ewma(score, st.alpha), alarm, y]),
               delimiter=",", header="row,score,smoothed,alarm,label", fmt="%.6g", comments="")


if __name__ == "__main__":
    main()
