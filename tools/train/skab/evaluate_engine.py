#!/usr/bin/env python3
"""Scores the committed ONNX models through the C# engine: converts each with edgelstm-convert (float32 and
int8), runs `predict --raw` on the whole recording (one step per sample, state carried from row 0 — the
streaming mode) and applies the same score and decision as evaluate_onnx.py. A preview of the runtime's
numbers (same engine, no frames, no replay board), not the issue's result.

  /usr/bin/python3 tools/train/skab/evaluate_engine.py --convert "dotnet path/to/edgelstm-convert.dll"
"""
import argparse
import os
import shlex
import subprocess
import sys
import tempfile

import numpy as np
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import evaluate as ev  # noqa: E402
import model as mdl  # noqa: E402
import skabdata as sd  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=sd.default_root())
    ap.add_argument("--variant", default="strict")
    ap.add_argument("--convert", required=True, help="command that runs edgelstm-convert")
    ap.add_argument("--factor-key", default="skab.factor")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "skab-engine"))
    args = ap.parse_args()
    cli = shlex.split(args.convert)
    os.makedirs(args.work, exist_ok=True)
    for precision in ("float32", "int8"):
        pooled = np.zeros(4, dtype=np.int64)
        sizes = []
        for path in sd.labelled_files(args.data):
            key = sd.file_key(path).replace("/", "-")
            onnx_path = os.path.join(HERE, "models", args.variant, key + ".onnx")
            elstm = os.path.join(args.work, f"{key}.{precision}.elstm")
            out_csv = os.path.join(args.work, f"{key}.{precision}.csv")
            subprocess.run(cli + ["convert", onnx_path, "-o", elstm, "--precision", precision],
                           check=True, stdout=subprocess.DEVNULL)
            subprocess.run(cli + ["predict", "--model", elstm, "--input", path, "--output", out_csv, "--raw"],
                           check=True, stdout=subprocess.DEVNULL)
            sizes.append(os.path.getsize(elstm))
            meta = {p.key: p.value for p in onnx.load(onnx_path).metadata_props}
            mean = np.array([float(v) for v in meta["edgelstm.mean"].split(",")], dtype=np.float32)
            std = np.array([float(v) for v in meta["edgelstm.std"].split(",")], dtype=np.float32)
            window = int(meta["edgelstm.window"])
            with open(out_csv) as f:
                names = f.readline().strip().split(",")
            y = np.loadtxt(out_csv, delimiter=",", skiprows=1, ndmin=2)
            _, X, labels = sd.read_csv(path)
            Z = mdl.normalize(X, mean, std)
            cols = [sd.CHANNELS.index(n) for n in names]  # outputs paired with inputs by name
            s = np.full(len(Z), np.nan)
            s[window - 1:] = np.abs(y - Z[:, cols]).sum(1)[window - 1:]
            st = ev.Settings(float(meta["skab.quantile"]), float(meta[args.factor_key]), float(meta["skab.alpha"]),
                             float(meta["skab.off_ratio"]), int(meta["skab.min_on"]))
            thr = ev.threshold(s, sd.TRAIN_ROWS, st, int(meta["skab.calib_from"]))
            pooled += ev.confusion(ev.decide(s, thr, st, sd.TRAIN_ROWS)[sd.TRAIN_ROWS:], labels[sd.TRAIN_ROWS:])
        f1, far, mar = ev.metrics(pooled)
        print(f"{args.variant} engine streaming {args.factor_key} {precision:7s}: F1 {f1:.3f}  FAR {far:.2f}%  "
              f"MAR {mar:.2f}%  TP/FP/FN/TN {pooled.tolist()}  .elstm {min(sizes)}-{max(sizes)} bytes")


if __name__ == "__main__":
    main()
