#!/usr/bin/env python3
"""Scores the committed ONNX models on SKAB exactly as the runtime should (normalize with the model's mean/std,
window of 16 at stride 1, score = sum |y - x_norm| over the output channels, threshold from the fitting rows,
EWMA + hysteresis), in float64 and in a simulation of the engine's int8 scheme. No training, no labels used
except for the final metrics. Development cross-check only; the reported numbers come from the runtime.

  /usr/bin/python3 tools/train/skab/evaluate_onnx.py [--variant strict] [--threshold stored|recompute]
"""
import argparse
import os
import sys

import numpy as np
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import evaluate as ev  # noqa: E402
import export as ex  # noqa: E402
import model as mdl  # noqa: E402
import skabdata as sd  # noqa: E402


def score_file(onnx_path, X, int8, streaming=False):
    meta = {p.key: p.value for p in onnx.load(onnx_path).metadata_props}
    mean = np.array([float(v) for v in meta["edgelstm.mean"].split(",")], dtype=np.float32)
    std = np.array([float(v) for v in meta["edgelstm.std"].split(",")], dtype=np.float32)
    window = int(meta["edgelstm.window"])
    outputs = meta["edgelstm.outputs"].split(",")
    cols = [sd.CHANNELS.index(o) for o in outputs]  # pair outputs with input channels by name
    Z = mdl.normalize(X, mean, std)
    s = np.full(len(Z), np.nan)
    if streaming:
        # one step per sample, state carried from row 0; scored from the same first row as windowed mode
        y = ex.onnx_reference(onnx_path, Z[None], int8=int8, every_step=True)[0]
        s[window - 1:] = np.abs(y - Z[:, cols]).sum(1)[window - 1:]
    else:
        y = ex.onnx_reference(onnx_path, mdl.windows(Z, window), int8=int8)
        s[window - 1:] = np.abs(y - Z[window - 1:, cols]).sum(1)
    return s, meta


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=sd.default_root())
    ap.add_argument("--variant", default="strict")
    ap.add_argument("--streaming", action="store_true",
                    help="run each model one step per sample with state carried (instead of its 16-sample windows)")
    ap.add_argument("--factor-key", default="skab.factor", help="skab.factor | skab.factor_logo | skab.factor_label_free")
    args = ap.parse_args()
    for int8 in (False, True):
        pooled = np.zeros(4, dtype=np.int64)
        for path in sd.labelled_files(args.data):
            _, X, y = sd.read_csv(path)
            s, meta = score_file(os.path.join(HERE, "models", args.variant, sd.file_key(path).replace("/", "-") + ".onnx"),
                                 X, int8, args.streaming)
            st = ev.Settings(float(meta["skab.quantile"]), float(meta[args.factor_key]), float(meta["skab.alpha"]),
                             float(meta["skab.off_ratio"]), int(meta["skab.min_on"]))
            # threshold recomputed from this precision's own scores on the fitting rows, as the device would
            thr = ev.threshold(s, sd.TRAIN_ROWS, st, int(meta["skab.calib_from"]))
            pooled += ev.confusion(ev.decide(s, thr, st, sd.TRAIN_ROWS)[sd.TRAIN_ROWS:], y[sd.TRAIN_ROWS:])
        f1, far, mar = ev.metrics(pooled)
        print(f"{args.variant} {'streaming' if args.streaming else 'windowed'} {args.factor_key} "
              f"{'int8-sim' if int8 else 'float64 '}: "
              f"F1 {f1:.3f}  FAR {far:.2f}%  MAR {mar:.2f}%  TP/FP/FN/TN {pooled.tolist()}")


if __name__ == "__main__":
    main()
