"""The per-file normal-behaviour model: an LSTM that reconstructs the current sample's fault-relevant channels."""
import numpy as np
import torch
from torch import nn

from skabdata import CHANNELS

# Channels the anomaly score is computed on. Temperature and Thermocouple are model inputs (operating
# context) but not scored: they are slow thermal states that drift through a recording whatever the
# pump does (in anomaly-free.csv the thermocouple drifts ~3 std of its first 400 rows), so 400 rows
# cannot bound them. See docs/skab.md for how this choice was made.
SCORED = ["Accelerometer1RMS", "Accelerometer2RMS", "Current", "Pressure", "Voltage", "Volume Flow RateRMS"]
SCORED_IDX = [CHANNELS.index(c) for c in SCORED]


class Reconstructor(nn.Module):
    """LSTM(8 -> hidden) over a window; a Linear head on the last step estimates that step's scored channels."""

    def __init__(self, hidden=16, layers=1, outputs=len(SCORED)):
        super().__init__()
        self.rnn = nn.LSTM(len(CHANNELS), hidden, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden, outputs)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.head(y[:, -1, :])


def fit_scaler(X):
    """Per-channel mean/std of the fitting rows; std floored so the runtime's std > 0 check holds."""
    mean = X.mean(0).astype(np.float32)
    std = X.std(0).astype(np.float32)
    std = np.maximum(std, np.float32(1e-6))
    return mean, std


def normalize(X, mean, std):
    return ((X - mean) / std).astype(np.float32)


def windows(Z, window):
    """All windows of `window` rows; windows[k] ends at row k + window - 1 (what the runtime runs at that row)."""
    n = len(Z) - window + 1
    idx = np.arange(window)[None, :] + np.arange(n)[:, None]
    return Z[idx]


def train(Z, window, hidden, epochs, seed, **kw):
    """Fits a Reconstructor on normalized rows Z (all rows are fitting data). Deterministic for a seed."""
    return train_windows(windows(Z, window), hidden, epochs, seed, **kw)


def train_windows(W, hidden, epochs, seed, lr=1e-2, batch=32, weight_decay=1e-4, init=None, scored=SCORED_IDX):
    """Fits on windows W [n, window, 8]; the target of each is its last row's scored channels.
    init: a network to start from (fine-tuning); it is copied, not changed. scored: target channel indices."""
    torch.manual_seed(seed)
    net = Reconstructor(hidden, outputs=len(scored))
    if init is not None:
        net.load_state_dict(init.state_dict())
    xin = torch.from_numpy(np.ascontiguousarray(W))
    tgt = torch.from_numpy(np.ascontiguousarray(W[:, -1, scored]))
    opt = torch.optim.Adam(net.parameters(), lr=lr, weight_decay=weight_decay)
    gen = torch.Generator().manual_seed(seed)
    net.train()
    for _ in range(epochs):
        perm = torch.randperm(len(xin), generator=gen)
        for i in range(0, len(xin), batch):
            b = perm[i:i + batch]
            opt.zero_grad()
            # L1: robust to the occasional spike in the fitting rows (SKAB's LSTMs use MAE too).
            loss = (net(xin[b]) - tgt[b]).abs().mean()
            loss.backward()
            opt.step()
    net.eval()
    return net


def outputs(net, Z, window):
    """Model output for every row from window-1 on: out[k] belongs to row k + window - 1."""
    with torch.no_grad():
        return net(torch.from_numpy(windows(Z, window))).numpy()


def score(out, Z, window, scored=SCORED_IDX):
    """Anomaly score per row (NaN before the first full window): sum over scored channels of |y - x_norm|."""
    s = np.full(len(Z), np.nan)
    s[window - 1:] = np.abs(out - Z[window - 1:, scored]).sum(1)
    return s
