#!/usr/bin/env python3
"""Exports the PyTorch test models of tests/EdgeLstm.Convert.Tests with random weights.

For each model it writes, under tests/EdgeLstm.Convert.Tests/Fixtures/torch/<name>/:
  model.onnx     torch.onnx.export of the module (dynamic batch and time axes)
  input.csv      columns seq,t,x0..x{I-1}: a few random sequences, one row per time step
  expected.csv   columns seq,t,y0..y{M-1}: torch's output for the prefix 0..t of each sequence, every t
                 (what streaming gives for unidirectional models; a window of t+1 steps for bidirectional ones)

Run with Debian's interpreter (python3-torch, python3-onnx, python3-numpy):
  /usr/bin/python3 tools/train/export_models.py
The weights are seeded, so a re-run rewrites the same models (up to exporter version differences).
"""
import os
import sys
import zlib

import numpy as np
import onnx
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "EdgeLstm.Convert.Tests", "Fixtures", "torch")


class RecurrentNet(nn.Module):
    """A recurrent stack with a dense head on the last time step or on the final hidden state."""

    def __init__(self, cell, inputs, hidden, layers, bidirectional, batch_first, head, final_state=False, slice_last=False,
                 per_step_head=False):
        super().__init__()
        rnn = nn.LSTM if cell == "lstm" else nn.GRU
        self.rnn = rnn(inputs, hidden, num_layers=layers, bidirectional=bidirectional, batch_first=batch_first)
        self.batch_first = batch_first
        self.final_state = final_state
        self.slice_last = slice_last
        self.per_step_head = per_step_head
        self.head = head

    def forward(self, x):
        y, state = self.rnn(x)
        if self.per_step_head:
            z = self.head(y)
            return z[:, -1, :] if self.batch_first else z[-1]
        if self.final_state:
            h_n = state[0] if isinstance(state, tuple) else state
            if self.rnn.bidirectional:
                z = torch.cat((h_n[-2], h_n[-1]), dim=1)
            else:
                z = h_n[-1]
        elif self.slice_last:
            z = (y[:, -1:, :] if self.batch_first else y[-1:]).squeeze(1 if self.batch_first else 0)
        else:
            z = y[:, -1, :] if self.batch_first else y[-1]
        return self.head(z)


def models():
    """(name, module factory, input size, opset, metadata[, torch.onnx.export options]) for every fixture;
    export() seeds before building."""
    yield ("lstm1_classifier",
           lambda: RecurrentNet("lstm", 5, 12, 1, False, True, nn.Sequential(nn.Linear(12, 3), nn.Softmax(dim=-1))),
           5, 14,
           {"edgelstm.name": "pump-bearing", "edgelstm.channels": "vib_x,vib_y,vib_z,current,temp",
            "edgelstm.units": "g,g,g,A,degC", "edgelstm.mean": "0.1,0.2,0.3,4.5,40",
            "edgelstm.std": "1,1,1,0.5,10", "edgelstm.outputs": "normal,imbalance,wear",
            "edgelstm.output_kind": "classifier"})
    yield ("lstm2_regressor",
           lambda: RecurrentNet("lstm", 4, 20, 2, False, False, nn.Linear(20, 2)), 4, 13, {})
    yield ("lstm3_mlp_head",
           lambda: RecurrentNet("lstm", 6, 13, 3, False, True,
                        nn.Sequential(nn.Linear(13, 8), nn.ReLU(), nn.Linear(8, 4), nn.Sigmoid())), 6, 17, {})
    yield ("bilstm2",
           lambda: RecurrentNet("lstm", 3, 10, 2, True, True, nn.Linear(20, 2)), 3, 14,
           {"edgelstm.mode": "windowed", "edgelstm.window": "16", "edgelstm.stride": "4"})
    yield ("gru1_regressor",
           lambda: RecurrentNet("gru", 5, 11, 1, False, True, nn.Linear(11, 1)), 5, 14, {})
    yield ("bigru2_classifier",
           lambda: RecurrentNet("gru", 4, 9, 2, True, False, nn.Sequential(nn.Linear(18, 3), nn.Softmax(dim=1))), 4, 17,
           {"edgelstm.mode": "windowed", "edgelstm.window": "16", "edgelstm.output_kind": "classifier"})
    yield ("lstm2_final_state",
           lambda: RecurrentNet("lstm", 3, 7, 2, False, True, nn.Sequential(nn.Tanh(), nn.Linear(7, 2)), final_state=True),
           3, 14, {})
    yield ("gru2_slice_head",
           lambda: RecurrentNet("gru", 8, 32, 2, False, True, nn.Sequential(nn.Linear(32, 2), nn.Softmax(dim=-1)),
                        slice_last=True), 8, 14, {})
    yield ("lstm1_per_step_head",
           lambda: RecurrentNet("lstm", 4, 10, 1, False, True,
                                nn.Sequential(nn.Linear(10, 6), nn.ReLU(), nn.Linear(6, 3), nn.Softmax(dim=-1)),
                                per_step_head=True), 4, 14, {})
    yield ("bigru2_no_constant_folding",
           lambda: RecurrentNet("gru", 3, 7, 2, True, True, nn.Linear(14, 2)), 3, 14,
           {"edgelstm.window": "16"}, {"do_constant_folding": False})
    yield ("bigru1_final_state",
           lambda: RecurrentNet("gru", 3, 6, 1, True, True, nn.Linear(12, 2), final_state=True), 3, 14,
           {"edgelstm.mode": "windowed", "edgelstm.window": "16"})


def write_csv(path, header, rows):
    with open(path, "w", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(v if isinstance(v, str) else repr(float(v)) if isinstance(v, float) else str(v)
                             for v in row) + "\n")


def export(name, factory, inputs, opset, props, export_options=None, sequences=3, steps=16):
    torch.manual_seed(zlib.crc32(name.encode()))
    net = factory()
    net.eval()
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    batch_first = net.batch_first
    example = torch.randn(2, 5, inputs) if batch_first else torch.randn(5, 2, inputs)
    axes = {0: "batch", 1: "time"} if batch_first else {0: "time", 1: "batch"}
    path = os.path.join(folder, "model.onnx")
    torch.onnx.export(net, example, path, opset_version=opset, input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": axes, "y": {0: "batch"}}, **(export_options or {}))
    if props:
        model = onnx.load(path)
        onnx.helper.set_model_props(model, props)
        onnx.save(model, path)

    rng = np.random.default_rng(len(name) * 7919)
    xs = rng.standard_normal((sequences, steps, inputs)).astype(np.float32)
    in_rows, out_rows = [], []
    with torch.no_grad():
        for s in range(sequences):
            for t in range(steps):
                in_rows.append([s, t] + [float(v) for v in xs[s, t]])
            for end in range(1, steps + 1):
                seq = torch.from_numpy(xs[s, :end]).unsqueeze(0 if batch_first else 1)
                y = net(seq)[0].numpy()
                out_rows.append([s, end - 1] + [float(v) for v in y])
    outputs = len(out_rows[0]) - 2
    write_csv(os.path.join(folder, "input.csv"), ["seq", "t"] + [f"x{i}" for i in range(inputs)], in_rows)
    write_csv(os.path.join(folder, "expected.csv"), ["seq", "t"] + [f"y{i}" for i in range(outputs)], out_rows)
    print(f"{name}: {os.path.getsize(path)} bytes")


def main():
    only = set(sys.argv[1:])
    for name, factory, inputs, opset, props, *options in models():
        if not only or name in only:
            export(name, factory, inputs, opset, props, *options)


if __name__ == "__main__":
    main()
