#!/usr/bin/env python3
"""Plots one recording with a committed model's Python-side score and alarm (float64 ONNX equations):
channels (normalized), score (smoothed), threshold, alarm state and the labelled fault.

  /usr/bin/python3 tools/train/skab/plot.py [--file valve1/5] [--out docs/skab-valve1-5-python.png]
"""
import argparse
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import evaluate as ev  # noqa: E402
import evaluate_onnx as eo  # noqa: E402
import skabdata as sd  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=sd.default_root())
    ap.add_argument("--file", default="valve1/5")
    ap.add_argument("--variant", default="strict")
    ap.add_argument("--out", default=os.path.normpath(os.path.join(HERE, "..", "..", "..", "docs",
                                                                   "skab-valve1-5-python.png")))
    args = ap.parse_args()
    _, X, y = sd.read_csv(os.path.join(args.data, args.file + ".csv"))
    onnx_path = os.path.join(HERE, "models", args.variant, args.file.replace("/", "-") + ".onnx")
    s, meta = eo.score_file(onnx_path, X, int8=False)
    st = ev.Settings(float(meta["skab.quantile"]), float(meta["skab.factor"]), float(meta["skab.alpha"]),
                     float(meta["skab.off_ratio"]), int(meta["skab.min_on"]))
    thr = ev.threshold(s, sd.TRAIN_ROWS, st, int(meta["skab.calib_from"]))
    alarm = ev.decide(s, thr, st, sd.TRAIN_ROWS)
    mean = np.array([float(v) for v in meta["edgelstm.mean"].split(",")])
    std = np.array([float(v) for v in meta["edgelstm.std"].split(",")])
    Z = (X - mean) / std
    t = np.arange(len(X))

    fig, ax = plt.subplots(3, 1, figsize=(10, 7), sharex=True, gridspec_kw=dict(height_ratios=[3, 2, 1]))
    for c, name in enumerate(sd.CHANNELS):
        ax[0].plot(t, np.clip(Z[:, c], -30, 30), lw=0.7, label=name)
    ax[0].set_ylabel("normalized (clipped ±30)")
    ax[0].legend(fontsize=7, ncol=4, loc="upper left")
    ax[1].plot(t, s, lw=0.5, color="0.6", label="score")
    ax[1].plot(t, ev.ewma(s, st.alpha), lw=1.2, color="C0", label=f"EWMA (α={st.alpha:g})")
    ax[1].axhline(thr, color="C3", lw=1, label=f"threshold {thr:.2f}")
    ax[1].axhline(thr * st.off_ratio, color="C3", lw=0.8, ls="--", label="release")
    ax[1].set_yscale("log")
    ax[1].legend(fontsize=7, loc="upper left")
    ax[2].fill_between(t, 0, y, step="mid", color="C1", alpha=0.4, label="labelled fault")
    ax[2].step(t, alarm, where="mid", color="C3", label="alarm")
    ax[2].set_yticks([0, 1])
    ax[2].legend(fontsize=7, loc="upper left")
    ax[2].set_xlabel("row (1 Hz)")
    for a in ax:
        a.axvspan(0, sd.TRAIN_ROWS - 0.5, color="0.92", zorder=-1)
    ax[0].set_title(f"SKAB {args.file}, {args.variant} model: Python-side float64 reference (grey: 400 fitting rows)")
    fig.tight_layout()
    fig.savefig(args.out, dpi=72)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
