#!/usr/bin/env python3
"""Writes hand-built ONNX graphs for tests/EdgeLstm.Convert.Tests/Fixtures/onnx/.

These cover what torch.onnx.export never emits: layout=1, peepholes, clip, constant initial states, reverse
direction, GRU with linear_before_reset=0 and non-default activations, MatMul+Add heads; and broken graphs the
converter must reject with a clear message. Their reference outputs come from ONNX Runtime inside the C# tests
(ORT's CPU LSTM rejects layout=1, so each layout=1 graph has a layout=0 twin with the same weights for ORT).

  /usr/bin/python3 tools/train/make_onnx_graphs.py
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "EdgeLstm.Convert.Tests", "Fixtures", "onnx")
OPSET = 14


def const(name, array):
    return numpy_helper.from_array(np.asarray(array, dtype=np.float32 if np.asarray(array).dtype.kind == "f" else np.int64), name)


def save(name, nodes, inputs, outputs, initializers, props=None):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="edgelstm-tests")
    model.ir_version = 8
    if props:
        helper.set_model_props(model, props)
    onnx.checker.check_model(model)
    os.makedirs(OUT, exist_ok=True)
    onnx.save(model, os.path.join(OUT, name + ".onnx"))
    print(name)


def lstm_peephole_clip(rng, layout):
    """LSTM, forward, peepholes, clip, constant initial states, Y_h head: MatMul + Add + Tanh."""
    I, H = 3, 5
    w = rng.normal(0, 1.2, (1, 4 * H, I))
    r = rng.normal(0, 1.2, (1, 4 * H, H))
    b = rng.normal(0, 0.5, (1, 8 * H))
    p = rng.normal(0, 0.5, (1, 3 * H))
    h0 = rng.normal(0, 0.5, (1, 1, H))
    c0 = rng.normal(0, 0.5, (1, 1, H))
    head_w = rng.normal(0, 0.7, (H, 2))
    head_b = rng.normal(0, 0.2, (2,))
    x_shape = ["time", 1, I] if layout == 0 else [1, "time", I]
    nodes = [
        helper.make_node("LSTM", ["x", "W", "R", "B", "", "h0", "c0", "P"], ["", "y_h"], hidden_size=H, clip=0.6,
                         layout=layout),
        helper.make_node("Squeeze", ["y_h", "axis_dir"], ["h"]),
        helper.make_node("MatMul", ["h", "head_w"], ["mm"]),
        helper.make_node("Add", ["mm", "head_b"], ["pre"]),
        helper.make_node("Tanh", ["pre"], ["y"]),
    ]
    inits = [const("W", w), const("R", r), const("B", b), const("P", p),
             const("h0", h0), const("c0", c0), const("head_w", head_w), const("head_b", head_b),
             const("axis_dir", [0 if layout == 0 else 1])]
    save(f"lstm_peephole_clip_layout{layout}", nodes,
         [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
         [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])], inits)


def gru_reverse(rng):
    """GRU, reverse, linear_before_reset=0, activations Sigmoid/Relu, clip; last-step head Gemm(transB=0) + Softmax."""
    I, H = 4, 6
    w = rng.normal(0, 0.8, (1, 3 * H, I))
    r = rng.normal(0, 0.8, (1, 3 * H, H))
    b = rng.normal(0, 0.3, (1, 6 * H))
    head_w = rng.normal(0, 0.8, (H, 3))
    head_b = rng.normal(0, 0.2, (1, 3))
    nodes = [
        helper.make_node("GRU", ["x", "W", "R", "B"], ["y", "y_h"], hidden_size=H, direction="reverse",
                         activations=["Sigmoid", "Relu"], clip=1.5),
        helper.make_node("Squeeze", ["y", "axis_dir"], ["seq"]),
        helper.make_node("Gather", ["seq", "last"], ["step"], axis=0),
        helper.make_node("Gemm", ["step", "head_w", "head_b"], ["logits"], transB=0),
        helper.make_node("Softmax", ["logits"], ["probs"], axis=1),
    ]
    inits = [const("W", w), const("R", r), const("B", b), const("head_w", head_w), const("head_b", head_b),
             const("axis_dir", [1]), numpy_helper.from_array(np.array(-1, dtype=np.int64), "last")]
    save("gru_reverse_relu", nodes,
         [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["time", 1, I])],
         [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [1, 3])], inits,
         {"edgelstm.mode": "windowed", "edgelstm.window": "8", "edgelstm.output_kind": "classifier",
          "edgelstm.outputs": "ok,warn,fault"})


def lstm_strong_clip(rng):
    """Large weights so that clip=0.3 changes every gate; the last step of Y feeds a Gemm."""
    I, H = 2, 4
    nodes = [
        helper.make_node("LSTM", ["x", "W", "R", "B"], ["y"], hidden_size=H, clip=0.3),
        helper.make_node("Squeeze", ["y", "axis_dir"], ["seq"]),
        helper.make_node("Gather", ["seq", "last"], ["step"], axis=0),
        helper.make_node("Gemm", ["step", "head_w", "head_b"], ["out"], transB=1),
    ]
    inits = [const("W", rng.normal(0, 3, (1, 4 * H, I))), const("R", rng.normal(0, 3, (1, 4 * H, H))),
             const("B", rng.normal(0, 1, (1, 8 * H))), const("head_w", rng.normal(0, 1, (1, H))),
             const("head_b", [0.1]), const("axis_dir", [1]),
             numpy_helper.from_array(np.array(-1, dtype=np.int64), "last")]
    save("lstm_strong_clip", nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["time", 1, I])],
         [helper.make_tensor_value_info("out", TensorProto.FLOAT, [1, 1])], inits)


def keras_like(rng):
    """The shape of a tf2onnx Keras export: batch-major input transposed, LSTM(activation='relu'), zero initial
    states broadcast with Expand from the run-time batch size, Y_h squeezed into Dense (MatMul + Add) + sigmoid."""
    I, H = 3, 9
    nodes = [
        helper.make_node("Transpose", ["x"], ["x_tm"], perm=[1, 0, 2]),
        helper.make_node("Shape", ["x"], ["x_shape"]),
        helper.make_node("Gather", ["x_shape", "zero"], ["batch"], axis=0),
        helper.make_node("Unsqueeze", ["batch", "zero_1d"], ["batch_1d"]),
        helper.make_node("Concat", ["one_1d", "batch_1d", "hidden_1d"], ["state_shape"], axis=0),
        helper.make_node("Expand", ["zeros", "state_shape"], ["h0"]),
        helper.make_node("LSTM", ["x_tm", "W", "R", "B", "", "h0", "h0"], ["", "y_h"], hidden_size=H,
                         activations=["Sigmoid", "Relu", "Relu"]),
        helper.make_node("Squeeze", ["y_h", "zero_1d"], ["h"]),
        helper.make_node("MatMul", ["h", "kernel"], ["mm"]),
        helper.make_node("Add", ["mm", "bias"], ["logit"]),
        helper.make_node("Sigmoid", ["logit"], ["p"]),
    ]
    inits = [const("W", rng.normal(0, 0.5, (1, 4 * H, I))), const("R", rng.normal(0, 0.3, (1, 4 * H, H))),
             const("B", rng.normal(0, 0.2, (1, 8 * H))), const("kernel", rng.normal(0, 0.5, (H, 1))),
             const("bias", [0.05]), const("zeros", np.zeros((1, 1, H))),
             numpy_helper.from_array(np.array(0, dtype=np.int64), "zero"), const("zero_1d", [0]),
             const("one_1d", [1]), const("hidden_1d", [H])]
    save("keras_like_lstm_relu", nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "time", I])],
         [helper.make_tensor_value_info("p", TensorProto.FLOAT, ["batch", 1])], inits)


def broken(rng):
    I, H = 3, 4
    # No recurrent layer at all.
    save("bad_no_recurrent", [helper.make_node("Gemm", ["x", "w"], ["y"], transB=1)],
         [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, I])],
         [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])], [const("w", rng.normal(0, 1, (2, I)))])
    lstm = [const("W", rng.normal(0, 1, (1, 4 * H, I))), const("R", rng.normal(0, 1, (1, 4 * H, H))),
            const("axis_dir", [0])]
    x = [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["time", 1, I])]
    # An operator the engine does not run, after the recurrent layer.
    save("bad_unsupported_op", [
        helper.make_node("LSTM", ["x", "W", "R"], ["", "y_h"], hidden_size=H),
        helper.make_node("Squeeze", ["y_h", "axis_dir"], ["h"]),
        helper.make_node("LeakyRelu", ["h"], ["y"], name="head_leaky"),
    ], x, [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, H])], lstm)
    # The head's weight does not fit the hidden size.
    save("bad_head_shape", [
        helper.make_node("LSTM", ["x", "W", "R"], ["", "y_h"], hidden_size=H),
        helper.make_node("Squeeze", ["y_h", "axis_dir"], ["h"]),
        helper.make_node("Gemm", ["h", "head_w"], ["y"], name="head_gemm", transB=1),
    ], x, [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])],
        lstm + [const("head_w", rng.normal(0, 1, (2, H + 3)))])


def main():
    rng = np.random.default_rng(20261128)
    for layout in (0, 1):
        lstm_peephole_clip(np.random.default_rng(7), layout)
    gru_reverse(rng)
    lstm_strong_clip(rng)
    broken(rng)
    keras_like(np.random.default_rng(11))


if __name__ == "__main__":
    main()
