"""ONNX export with the runtime's metadata keys (edgelstm.*) and the decision settings (skab.*), plus a sidecar JSON."""
import json

import numpy as np
import onnx
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
    with open(path[:-5] + ".json", "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    return sorted({n.op_type for n in model.graph.node})
