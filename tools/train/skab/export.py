"""ONNX export with the runtime's metadata keys (edgelstm.*) and the decision settings (skab.*, also written
to <model>.decision.json)."""
import json
import warnings

import numpy as np
import onnx
from onnx import numpy_helper
import torch

from skabdata import CHANNELS, UNITS
from model import SCORED

OPSET = 14


def _floats(v):
    return ",".join("%.9g" % float(x) for x in v)


def metadata(name, mean, std, window, decision):
    """Keys as tools/train/export_models.py (converter fixtures) uses them; skab.* keys are for the decision stage."""
    meta = {
        "edgelstm.name": name,
        "edgelstm.channels": ",".join(CHANNELS),
        "edgelstm.units": ",".join(UNITS),
        "edgelstm.mean": _floats(mean),
        "edgelstm.std": _floats(std),
        # Outputs estimate the normalized value of these channels at the window's last sample.
        "edgelstm.outputs": ",".join(SCORED),
        "edgelstm.output_kind": "regressor",
        "edgelstm.mode": "windowed",
        "edgelstm.window": str(window),
        "edgelstm.stride": "1",
        "skab.score": "sum over outputs o of |y[o] - x_norm[channel named o]| at the same sample",
    }
    for k, v in decision.items():
        meta["skab." + k] = v if isinstance(v, str) else "%.9g" % v if isinstance(v, float) else str(v)
    return meta


def export(net, window, path, meta):
    """Fixed-shape export [1, window, 8] -> [1, outputs]; writes path and path minus .onnx plus .json."""
    net.eval()
    dummy = torch.zeros(1, window, len(CHANNELS))
    with warnings.catch_warnings():
        # torch 1.13's notices about LSTM batch sizes and prim::Constant shape inference; we export batch 1 at a
        # fixed length and check the graph numerically below, so they say nothing here
        warnings.filterwarnings("ignore", category=UserWarning, module=r"torch\.onnx")
        torch.onnx.export(net, dummy, path, opset_version=OPSET, input_names=["x"], output_names=["y"],
                          do_constant_folding=True)
    model = onnx.load(path)
    del model.metadata_props[:]
    for k, v in meta.items():
        p = model.metadata_props.add()
        p.key = k
        p.value = v
    onnx.checker.check_model(model)
    onnx.save(model, path)
    write_decision_json(path)
    return sorted({n.op_type for n in model.graph.node})


def write_decision_json(onnx_path):
    """<model>.decision.json: the skab.* decision settings of a model, for the runtime-side evaluator (the .elstm
    file keeps no free-form metadata). Not a converter sidecar: the edgelstm.* keys are in the ONNX itself."""
    props = {p.key: p.value for p in onnx.load(onnx_path).metadata_props}
    out = {"model": props["edgelstm.name"], "outputs": props["edgelstm.outputs"].split(",")}
    for k, v in props.items():
        if k.startswith("skab."):
            name = k[5:]
            try:
                out[name] = int(v) if v.lstrip("-").isdigit() else float(v)
            except ValueError:
                out[name] = v
    with open(onnx_path[:-5] + ".decision.json", "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


def _sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def _q_rows(m):
    """Per-row symmetric int8 weights as docs/model-format.md states: scale = max|row| / 127."""
    scale = np.abs(m).max(1) / 127.0
    scale[scale == 0] = 1.0
    return np.clip(np.round(m / scale[:, None]), -127, 127), scale


def _q_matvec(qm, scale, v):
    """int8 matrix x dynamically quantized vectors (one symmetric scale per vector), exact integer sums.
    v: [n, columns] (one vector per window) -> [n, rows]."""
    vs = np.abs(v).max(1, keepdims=True) / 127.0
    safe = np.where(vs == 0, 1.0, vs)
    qv = np.clip(np.round(v / safe), -127, 127)
    return (qv @ qm.T) * scale[None, :] * vs


def onnx_reference(path, windows, int8=False, every_step=False):
    """Runs an exported graph (one LSTM node, Gemm head on the last step) from its initializers with the ONNX
    equations (gate order i, o, f, c) in float64. An independent check of the export, and the Python-side
    reference for the runtime (no ONNX Runtime here). windows: [n, T, 8] -> [n, outputs].
    int8=True simulates the engine's int8 scheme (a development estimate, not the engine's exact bits).
    every_step=True returns [n, T, outputs]: the head after every step (streaming with state carried)."""
    model = onnx.load(path)
    init = {t.name: numpy_helper.to_array(t).astype(np.float64) for t in model.graph.initializer}
    lstm = [n for n in model.graph.node if n.op_type == "LSTM"]
    gemm = [n for n in model.graph.node if n.op_type == "Gemm"]
    if len(lstm) != 1 or len(gemm) != 1:
        raise ValueError(f"{path}: expected one LSTM and one Gemm node")
    W, R, B = (init[n][0] for n in lstm[0].input[1:4])
    H = R.shape[1]
    Wh, bh = init[gemm[0].input[1]], init[gemm[0].input[2]]
    if not next((a.i for a in gemm[0].attribute if a.name == "transB"), 0):
        Wh = Wh.T
    if int8:
        qW, qR, qH = _q_rows(W), _q_rows(R), _q_rows(Wh)
        mv_w = lambda v: _q_matvec(*qW, v)  # noqa: E731
        mv_r = lambda v: _q_matvec(*qR, v)  # noqa: E731
        mv_h = lambda v: _q_matvec(*qH, v)  # noqa: E731
    else:
        mv_w, mv_r, mv_h = (lambda v: v @ W.T), (lambda v: v @ R.T), (lambda v: v @ Wh.T)
    x = np.asarray(windows, dtype=np.float64)
    h = np.zeros((len(x), H))
    c = np.zeros((len(x), H))
    steps = []
    for t in range(x.shape[1]):
        g = mv_w(x[:, t]) + mv_r(h) + B[:4 * H] + B[4 * H:]
        i, o, f, cc = _sigmoid(g[:, :H]), _sigmoid(g[:, H:2 * H]), _sigmoid(g[:, 2 * H:3 * H]), np.tanh(g[:, 3 * H:])
        c = f * c + i * cc
        h = o * np.tanh(c)
        if every_step:
            steps.append(mv_h(h) + bh)
    return np.stack(steps, axis=1) if every_step else mv_h(h) + bh


def check_export(net, path, windows, tol=1e-4):
    """Exported graph (read back by onnx_reference) must match torch on these windows."""
    with torch.no_grad():
        expected = net(torch.from_numpy(np.ascontiguousarray(windows, dtype=np.float32))).numpy()
    got = onnx_reference(path, windows)
    err = float(np.abs(got - expected).max())
    if err > tol:
        raise AssertionError(f"{path}: ONNX graph differs from torch by {err:g}")
    return err
