"""Decision stage and pooled point-wise metrics, written to match what the runtime's decision stage does.

Development only: the reported numbers come from the runtime replaying the converted models.
"""
import numpy as np


class Settings:
    """Decision settings, the same for every file (none is chosen per file or from labels)."""

    def __init__(self, quantile=0.99, factor=1.0, alpha=0.1, off_ratio=0.75, min_on=1):
        self.quantile = quantile    # of the smoothed score over the fitting rows
        self.factor = factor        # threshold = factor * that quantile
        self.alpha = alpha          # EWMA weight of the newest score
        self.off_ratio = off_ratio  # alarm turns off below threshold * off_ratio (hysteresis)
        self.min_on = min_on        # consecutive samples above threshold before the alarm turns on

    def as_dict(self):
        return dict(quantile=self.quantile, factor=self.factor, alpha=self.alpha,
                    off_ratio=self.off_ratio, min_on=self.min_on)


def ewma(score, alpha):
    """EWMA that starts at the first finite score; NaN (no output yet) before it."""
    out = np.full(len(score), np.nan)
    s = None
    for t, v in enumerate(score):
        if not np.isfinite(v):
            continue
        s = v if s is None else alpha * v + (1.0 - alpha) * s
        out[t] = s
    return out


def threshold(score, train_rows, st, calib_from=0):
    """factor x quantile of the smoothed score over fitting rows calib_from..train_rows-1 (the EWMA runs from
    the first score, as on the board; only the quantile window is restricted)."""
    sm = ewma(score[:train_rows], st.alpha)[calib_from:]
    return st.factor * float(np.quantile(sm[np.isfinite(sm)], st.quantile))


def decide(score, thr, st, start):
    """Alarm state per row: on after min_on consecutive smoothed scores > thr, off when smoothed < thr*off_ratio.
    The EWMA runs from the first score; the alarm logic starts (off) at row `start`, the first row after the
    fitting rows, because only then is the threshold known on the device."""
    sm = ewma(score, st.alpha)
    alarm = np.zeros(len(score), dtype=np.int8)
    on = False
    above = 0
    for t in range(start, len(sm)):
        s = sm[t]
        if not np.isfinite(s):
            continue
        above = above + 1 if s > thr else 0
        if not on and above >= st.min_on:
            on = True
        elif on and s < thr * st.off_ratio:
            on = False
        alarm[t] = on
    return alarm


def confusion(pred, true):
    """[TP, FP, FN, TN] of point-wise binary labels."""
    pred = pred.astype(bool)
    true = true.astype(bool)
    return np.array([(pred & true).sum(), (pred & ~true).sum(), (~pred & true).sum(), (~pred & ~true).sum()],
                    dtype=np.int64)


def metrics(c):
    """F1, FAR %, MAR % from pooled [TP, FP, FN, TN] (SKAB's definitions: FAR = FP/(FP+TN), MAR = FN/(FN+TP))."""
    tp, fp, fn, tn = [float(v) for v in c]
    f1 = 2 * tp / (2 * tp + fp + fn) if tp > 0 else 0.0
    far = 100.0 * fp / (fp + tn) if fp + tn > 0 else 0.0
    mar = 100.0 * fn / (fn + tp) if fn + tp > 0 else 0.0
    return f1, far, mar
