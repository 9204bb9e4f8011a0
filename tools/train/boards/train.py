#!/usr/bin/env python3
"""Trains the example boards' models on their simulated twins' normal behaviour, the way a user would.

For each model (pump-lstm: the Pi 4 pump monitor; pumphouse-gru: the Pi 5 pump house):

 1. the normal twin: the board's simulated config (firmware-config/sim-*.json) with every fault entry and
    every bus fault removed, written to the work folder;
 2. the training data: `edgelstm record` on that twin, i.e. the register-level simulated chips read through
    the Iot.Device.Bindings drivers by the runtime's own sampler (and `edgelstm record` on the board with its
    faults, for verifying the conversion on fault data);
 3. a one-step-ahead forecaster (LSTM or GRU, one layer, a Linear head on the last step) trained with
    truncated backpropagation through time on contiguous streams, state carried across chunks, so it runs
    on the board the same way: streaming from a zero state at the first sample;
 4. `torch.onnx.export` with the edgelstm.* metadata (channels, units, mean/std, outputs = channel names,
    forecaster, streaming, sample rate), `edgelstm-convert convert` to int8, `edgelstm-convert verify`
    against ONNX Runtime on held-out normal data and on fault data (reports in the work folder);
 5. `edgelstm run` of the simulated fault board and `edgelstm validate` of the real board, as a check.

  /usr/bin/python3 tools/train/boards/train.py [--model pump-lstm|pumphouse-gru|all] [--work DIR] [--seed 0]

Deterministic: seeds are fixed, torch runs on one thread, and the recordings come from the simulation's
own seeded signals on a virtual clock (a re-run writes the same recordings; the models are bit-identical on
the same machine and torch version). The recordings are regenerated, not committed (several MB).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import warnings

import numpy as np
import onnx
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
CONFIGS = os.path.join(ROOT, "firmware-config")
OPSET = 14

# What each model is trained on and for. Times are board seconds of the normal twin's recording.
MODELS = {
    "pump-lstm": dict(
        cell="lstm", hidden=24,
        sim="sim-synthetic-faults.json", real="pi4-pump-monitor.json",
        record_seconds=1200,
        # The first minute is held out: it is the fault board's commissioning and pre-fault period (the
        # simulated noise is a function of time, so training on it would show the model those very samples).
        validation=(0, 60), train_from=60,
        # The fault board around its faults, for verifying the int8 conversion on inputs far from normal.
        fault_seconds=240, verify_normal=(1.0, 6.0), verify_faults=(178.0, 184.0),
        chunk=200, streams=32, epochs=40, lr=5e-3, burn_in=50,
    ),
    "pumphouse-gru": dict(
        cell="gru", hidden=16,
        sim="sim-pump-house.json", real="pi5-env-power.json",
        record_seconds=3600,
        validation=(0, 600), train_from=600,
        fault_seconds=3600, verify_normal=(10.0, 70.0), verify_faults=(895.0, 955.0),
        chunk=200, streams=32, epochs=60, lr=5e-3, burn_in=30,
    ),
}


def dotnet(project, *args, capture=False, check=True):
    """`dotnet run --project <project> -- args` from the repository root (builds first when needed)."""
    cmd = ["dotnet", "run", "--project", project, "--"] + [str(a) for a in args]
    print("$ " + " ".join(cmd), flush=True)
    result = subprocess.run(cmd, cwd=ROOT, text=True, capture_output=capture)
    if result.returncode != 0 and check:
        if capture:
            sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"failed ({result.returncode}): {' '.join(cmd)}")
    return result


def edgelstm(*args, capture=False):
    return dotnet("src/EdgeLstm.Runtime", *args, capture=capture)


def convert(*args, capture=False, check=True):
    return dotnet("tools/EdgeLstm.Convert", *args, capture=capture, check=check)


def load_board(name):
    with open(os.path.join(CONFIGS, name)) as f:
        return json.load(f)


def channels_of(board):
    """(name, unit) of every channel, in the board's (frame) order."""
    return [(c["name"], c.get("unit", "")) for d in board["devices"] for c in d["channels"]]


def normal_twin(board):
    """The simulated board without its injected faults: no fault entries, no bus faults."""
    twin = json.loads(json.dumps(board))
    twin.pop("$schema", None)
    twin["board"]["name"] += "-normal"
    twin["board"]["description"] = "Normal twin of " + board["board"]["name"] + " (faults removed) for training."
    for device in twin["devices"]:
        sim = device.get("simulation")
        if sim is None:
            continue
        sim.pop("bus", None)
        for signal in sim.get("inputs", {}).values():
            signal.pop("faults", None)
    for key in ("model", "decision", "sinks", "health", "alarm"):
        twin.pop(key, None)
    return twin


def read_recording(path):
    """(times [N], values [N, C], header) of an `edgelstm record` CSV; empty fields (held or bad) are NaN."""
    with open(path) as f:
        header = f.readline().strip().split(",")
    data = np.genfromtxt(path, delimiter=",", skip_header=1, dtype=np.float64)
    return data[:, 0], data[:, 1:].astype(np.float32), header[1:]


def as_sampled(X):
    """What the runtime feeds the model for a recording's empty fields: the channel's last good value, 0 before any."""
    X = X.copy()
    last = np.zeros(X.shape[1], dtype=X.dtype)
    for i in range(len(X)):
        bad = np.isnan(X[i])
        X[i, bad] = last[bad]
        last = X[i]
    return X


class Forecaster(nn.Module):
    """One recurrent layer over the normalized channels; a Linear head forecasts every channel one step ahead."""

    def __init__(self, cell, channels, hidden):
        super().__init__()
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(channels, hidden, batch_first=True)
        self.head = nn.Linear(hidden, channels)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.head(y[:, -1, :])

    def steps(self, x, state=None):
        """Every step's forecast [B, T, C] and the final state (training and streaming evaluation)."""
        y, state = self.rnn(x, state)
        return self.head(y), state


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()


def train(Z, spec, seed):
    """Truncated BPTT on `streams` contiguous segments of Z (normalized, [N, C]), state carried across chunks of
    `chunk` steps and reset at each segment's start, whose start moves every epoch. The target of step t is
    Z[t + 1]; the first `burn_in` steps of a segment (a cold state, as on the board after start) are not scored.
    L1 loss: the board's score is the sum of absolute forecast errors."""
    torch.manual_seed(seed)
    gen = np.random.default_rng(seed)
    net = Forecaster(spec["cell"], Z.shape[1], spec["hidden"])
    opt = torch.optim.Adam(net.parameters(), lr=spec["lr"])
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=spec["epochs"])
    B, K = spec["streams"], spec["chunk"]
    seg = (len(Z) - 1 - K) // B
    x_all = torch.from_numpy(Z[:-1])
    y_all = torch.from_numpy(Z[1:])
    for epoch in range(spec["epochs"]):
        offset = int(gen.integers(0, K))
        starts = offset + np.arange(B) * seg
        state, total, count = None, 0.0, 0
        for c in range(0, seg - K, K):
            idx = torch.from_numpy((starts[:, None] + c + np.arange(K)[None, :]).astype(np.int64))
            pred, state = net.steps(x_all[idx], state)
            err = (pred - y_all[idx]).abs()
            if c == 0:
                err = err[:, spec["burn_in"]:]
            loss = err.mean()
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            state = detach(state)
            total += float(loss)
            count += 1
        sched.step()
        if epoch % 10 == 9 or epoch == spec["epochs"] - 1:
            print(f"  epoch {epoch + 1}: mean L1 {total / count:.4f}", flush=True)
    net.eval()
    return net


def stream_scores(net, Z):
    """The board's score streaming from a zero state: score[t] = Σ|forecast made at t−1 − Z[t]| (NaN at t = 0)."""
    with torch.no_grad():
        pred, _ = net.steps(torch.from_numpy(Z[None]))
    pred = pred[0].numpy()
    s = np.full(len(Z), np.nan)
    s[1:] = np.abs(pred[:-1] - Z[1:]).sum(1)
    return s


def ewma(s, alpha):
    out, m = np.empty_like(s), np.nan
    for i, v in enumerate(s):
        if np.isfinite(v):
            m = v if np.isnan(m) else alpha * v + (1 - alpha) * m
        out[i] = m
    return out


def floats(v):
    return ",".join("%.9g" % float(x) for x in v)


def export(net, path, name, channels, mean, std, rate):
    dummy = torch.zeros(1, 8, len(channels))
    with warnings.catch_warnings():
        # torch 1.13's notices about LSTM/GRU batch sizes; the graph is checked against ONNX Runtime by verify
        warnings.filterwarnings("ignore", category=UserWarning, module=r"torch\.onnx")
        torch.onnx.export(net, dummy, path, opset_version=OPSET, input_names=["x"], output_names=["y"],
                          dynamic_axes={"x": {0: "batch", 1: "time"}, "y": {0: "batch"}})
    model = onnx.load(path)
    onnx.helper.set_model_props(model, {
        "edgelstm.name": name,
        "edgelstm.channels": ",".join(c for c, _ in channels),
        "edgelstm.units": ",".join(u for _, u in channels),
        "edgelstm.mean": floats(mean),
        "edgelstm.std": floats(std),
        # Each output forecasts the normalized value of the channel of the same name at the next sample.
        "edgelstm.outputs": ",".join(c for c, _ in channels),
        "edgelstm.output_kind": "forecaster",
        "edgelstm.mode": "streaming",
        "edgelstm.sample_rate_hz": "%g" % rate,
    })
    onnx.checker.check_model(model)
    onnx.save(model, path)


def write_slice(path, header, t, X, window):
    """Rows of a recording with `window[0] <= t < window[1]`, as a CSV `verify --raw` reads by column name; empty
    fields (held or bad readings) carry the last good value, as the runtime feeds them to the model."""
    rows = (t >= window[0]) & (t < window[1])
    X = as_sampled(X)
    with open(path, "w") as f:
        f.write(",".join(["time"] + header) + "\n")
        for ti, xi in zip(t[rows], X[rows]):
            f.write("%.9g," % ti + ",".join("%.9g" % v for v in xi) + "\n")
    return int(rows.sum())


def build(name, spec, work, seed):
    os.makedirs(work, exist_ok=True)
    models_dir = os.path.join(CONFIGS, "models")
    onnx_dir = os.path.join(HERE, "models")
    for d in (models_dir, onnx_dir):
        os.makedirs(d, exist_ok=True)
    sim, real = load_board(spec["sim"]), load_board(spec["real"])
    channels = channels_of(sim)
    if channels != channels_of(real):
        raise SystemExit(f"{spec['sim']} and {spec['real']} must have the same channels: {channels} vs {channels_of(real)}")
    rate = float(sim["sampler"]["rateHz"])

    print(f"== {name}: {spec['cell'].upper()}({len(channels)} -> {spec['hidden']}) on {spec['sim']} without its faults, {rate:g} Hz")
    twin_path = os.path.join(work, f"{name}-normal.json")
    with open(twin_path, "w") as f:
        json.dump(normal_twin(sim), f, indent=1)
    normal_csv = os.path.join(work, f"{name}-normal.csv")
    faults_csv = os.path.join(work, f"{name}-faults.csv")
    edgelstm("record", "--config", twin_path, "--duration", spec["record_seconds"], "--speed", "max", "-o", normal_csv)
    edgelstm("record", "--config", os.path.join(CONFIGS, spec["sim"]), "--duration", spec["fault_seconds"], "--speed", "max", "-o", faults_csv)

    t, X, header = read_recording(normal_csv)
    if header != [c for c, _ in channels]:
        raise SystemExit(f"{normal_csv}: columns {header}, expected {channels}")
    train_rows = t >= spec["train_from"]
    Xtrain = X[train_rows]
    if np.isnan(Xtrain).any():
        raise SystemExit(f"{normal_csv}: the training part has empty fields (held or bad readings) on a twin without faults")
    mean = Xtrain.mean(0).astype(np.float32)
    std = np.maximum(Xtrain.std(0), 1e-6).astype(np.float32)
    Z = ((Xtrain - mean) / std).astype(np.float32)
    print(f"  {len(Xtrain)} training samples (t >= {spec['train_from']} s), validation t in {spec['validation']} s")
    net = train(Z, spec, seed)

    # Held-out check in float: streaming from t = 0 as the board does (empty fields as the runtime carries them).
    val = (t >= spec["validation"][0]) & (t < spec["validation"][1])
    Zv = ((as_sampled(X[val]) - mean) / std).astype(np.float32)
    sv = stream_scores(net, Zv)
    warm = int(2 * rate)
    print(f"  validation score (torch float, after {warm} samples): mean {np.nanmean(sv[warm:]):.3f}, "
          f"p99 {np.nanpercentile(sv[warm:], 99):.3f}, max {np.nanmax(sv[warm:]):.3f}")

    onnx_path = os.path.join(onnx_dir, f"{name}.onnx")
    elstm_path = os.path.join(models_dir, f"{name}.elstm")
    export(net, onnx_path, name, channels, mean, std, rate)
    convert("convert", onnx_path, "-o", elstm_path)

    # Against ONNX Runtime with the default int8 tolerance: on held-out normal data (must pass), then on the
    # onset of the fault board's most extreme fault, an input tens of standard deviations out of range, where the
    # engine's per-vector input quantization is coarse for the other inputs (reported, not required).
    tf, Xf, _ = read_recording(faults_csv)
    for label, (tt, XX, window) in {"normal": (t, X, spec["verify_normal"]), "faults": (tf, Xf, spec["verify_faults"])}.items():
        data = os.path.join(work, f"{name}-verify-{label}.csv")
        rows = write_slice(data, header, tt, XX, window)
        print(f"  verify on {rows} rows, t in {window} s of the {'normal twin' if label == 'normal' else spec['sim']}")
        convert("verify", onnx_path, elstm_path, "--data", data, "--raw", "--report", os.path.join(work, f"{name}-verify-{label}.md"),
                check=label == "normal")
    convert("info", elstm_path)
    edgelstm("validate", "--config", os.path.join(CONFIGS, spec["real"]))
    edgelstm("validate", "--config", os.path.join(CONFIGS, spec["sim"]))
    sim_path = os.path.join(CONFIGS, spec["sim"])
    print(f"  {spec['sim']} as shipped, 3600 s: alarms at {alarm_changes(sim_path, 3600)}")
    # Each injected fault on its own (the board with only that fault entry, or only its bus faults): which
    # faults the model sees by itself, and how fast.
    for label, variant in single_faults(sim, elstm_path):
        path = os.path.join(work, f"{name}-only-{label}.json")
        with open(path, "w") as f:
            json.dump(variant, f, indent=1)
        print(f"  only {label}: alarms at {alarm_changes(path, 3600)}")


ALARM_LINE = re.compile(r"^\s*([0-9.]+)s\s+#\d+\s+ALARM (RAISED|cleared)")


def alarm_changes(config, seconds):
    """`edgelstm run` of a board for `seconds` at full speed: [(time s, 'raised'|'cleared')], and the commissioning."""
    run = edgelstm("run", "--config", config, "--speed", "max", "--duration", seconds, capture=True)
    changes = [(float(m.group(1)), m.group(2).lower()) for m in map(ALARM_LINE.match, run.stdout.splitlines()) if m]
    commissioned = [line.split(": ", 1)[1] for line in run.stderr.splitlines() if "commissioned" in line]
    return f"{changes} ({'; '.join(commissioned)})"


def single_faults(board, model_path):
    """(label, config) for every fault entry and every bus-fault section of a simulated board, each alone."""
    clean = json.loads(json.dumps(board))
    clean["model"]["path"] = model_path  # the variants live in the work folder
    for device in clean["devices"]:
        sim = device.get("simulation", {})
        sim.pop("bus", None)
        for signal in sim.get("inputs", {}).values():
            signal.pop("faults", None)
    for d, device in enumerate(board["devices"]):
        sim = device.get("simulation", {})
        for input_name, signal in sim.get("inputs", {}).items():
            for fault in signal.get("faults", []):
                variant = json.loads(json.dumps(clean))
                variant["devices"][d]["simulation"]["inputs"][input_name]["faults"] = [fault]
                yield f"{fault['kind']}-{input_name}-{fault['startSeconds']:g}s", variant
        if "bus" in sim:
            variant = json.loads(json.dumps(clean))
            variant["devices"][d]["simulation"]["bus"] = sim["bus"]
            yield f"bus-{device['name']}", variant


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="all", choices=["all"] + list(MODELS))
    ap.add_argument("--work", default="/tmp/edgelstm-boards", help="recordings, normal twins, verify reports go here")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(1)
    for name, spec in MODELS.items():
        if args.model in ("all", name):
            build(name, spec, args.work, args.seed)


if __name__ == "__main__":
    main()
