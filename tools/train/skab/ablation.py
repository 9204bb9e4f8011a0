#!/usr/bin/env python3
"""Development ablation on the strict protocol (Python float32; uses labels for reporting and for a
leave-one-file-out choice only): which channels the score sums over, and what the LSTM adds over a plain
z-score of the same channels. Same decision settings as train.py.

  /usr/bin/python3 tools/train/skab/ablation.py   (about 4 minutes on one core)
"""
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import evaluate as ev  # noqa: E402
import model as mdl  # noqa: E402
import skabdata as sd  # noqa: E402
from train import FACTORS  # noqa: E402

SETS = {
    "6 (no temperatures)": mdl.SCORED_IDX,
    "7 (no Thermocouple)": [i for i, c in enumerate(sd.CHANNELS) if c != "Thermocouple"],
    "8 (all)": list(range(len(sd.CHANNELS))),
}


def table(scores, labels, st0):
    """[factor, file, 4] confusion of each file's test part."""
    out = np.zeros((len(FACTORS), len(scores), 4), dtype=np.int64)
    for j, f in enumerate(FACTORS):
        st = ev.Settings(st0.quantile, f, st0.alpha, st0.off_ratio, st0.min_on)
        for i, (s, y) in enumerate(zip(scores, labels)):
            alarm = ev.decide(s, ev.threshold(s, sd.TRAIN_ROWS, st), st, sd.TRAIN_ROWS)
            out[j, i] = ev.confusion(alarm[sd.TRAIN_ROWS:], y[sd.TRAIN_ROWS:])
    return out


def lofo(tables, max_far=15.0):
    """Leave-one-file-out over (candidate, factor): per file, the pair with the best F1 at FAR <= max_far on
    the other files. Returns pooled confusion and the candidates picked."""
    n = tables[0].shape[1]
    pooled = np.zeros(4, dtype=np.int64)
    picked = []
    for i in range(n):
        others = [k for k in range(n) if k != i]
        best = None
        for c, tab in enumerate(tables):
            for j in range(len(FACTORS)):
                f1, far, _ = ev.metrics(tab[j, others].sum(0))
                rank = (far <= max_far, f1 if far <= max_far else -far)
                if best is None or rank > best[0]:
                    best = (rank, c, j)
        pooled += tables[best[1]][best[2], i]
        picked.append(best[1])
    return pooled, picked


def main():
    torch.set_num_threads(1)
    st = ev.Settings()
    window, hidden, epochs = 16, 16, 30
    data = [sd.read_csv(p)[1:] for p in sd.labelled_files()]
    labels = [y for _, y in data]
    lstm_tables, z_tables = [], []
    for name, cols in SETS.items():
        lstm_scores, z_scores = [], []
        for i, (X, _) in enumerate(data):
            mean, std = mdl.fit_scaler(X[:sd.TRAIN_ROWS])
            Z = mdl.normalize(X, mean, std)
            net = mdl.train_windows(mdl.windows(Z[:sd.TRAIN_ROWS], window), hidden, epochs, i, scored=cols)
            lstm_scores.append(mdl.score(mdl.outputs(net, Z, window), Z, window, cols))
            z = np.abs(Z[:, cols]).sum(1)
            z[:window - 1] = np.nan  # same first scored row as the LSTM
            z_scores.append(z)
        for kind, scores, keep in (("LSTM", lstm_scores, lstm_tables), ("z-score", z_scores, z_tables)):
            tab = table(scores, labels, st)
            keep.append(tab)
            f1, far, mar = ev.metrics(lofo([tab])[0])
            best = max(range(len(FACTORS)), key=lambda j: ev.metrics(tab[j].sum(0))[0]
                       if ev.metrics(tab[j].sum(0))[1] <= 15 else -1)
            bf = ev.metrics(tab[best].sum(0))
            print(f"{kind:8s} scored {name:20s} LOFO factor: F1 {f1:.3f} FAR {far:5.2f}% MAR {mar:5.2f}% | "
                  f"best single factor {FACTORS[best]:g} (label-tuned): F1 {bf[0]:.3f} FAR {bf[1]:5.2f}%")
    pooled, picked = lofo(lstm_tables)
    f1, far, mar = ev.metrics(pooled)
    names = list(SETS)
    print(f"LSTM, channel set AND factor chosen leave-one-file-out: F1 {f1:.3f} FAR {far:.2f}% MAR {mar:.2f}%; "
          f"picked: " + ", ".join(f"{names[c]} x{picked.count(c)}" for c in sorted(set(picked))))


if __name__ == "__main__":
    main()
