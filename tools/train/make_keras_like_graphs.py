#!/usr/bin/env python3
"""Writes ONNX graphs shaped like tf2onnx 1.16's export of Keras LSTM/GRU models, for
tests/EdgeLstm.Convert.Tests/Fixtures/keras/<name>/.

TensorFlow cannot be installed on the development machine, so the graphs are built node by node with the onnx
package, following what tf2onnx 1.16.1 emits for tf.keras (TF 2.x) recurrent layers once its optimizers have run,
as read from its source (tf2onnx/rewriter/lstm_tf2_rewriter.py, gru_tf2_rewriter.py, lstm_rewriter.py,
gru_rewriter.py, onnx_opset/tensor.py, generator.py, optimizer/); they have not been compared with a real export:

  - the Keras input [batch, T, F] with T fixed (Input(shape=(T, F))); batch is a dim_param 'unk__N';
  - Transpose(perm=[1, 0, 2]) to time-major (keras.backend.rnn's swap_batch_timestep);
  - zero initial states from the layer input's run-time batch size, tf.zeros([tf.shape(x)[0], units]) through
    tf2onnx's Shape, StridedSlice, Pack and Fill handlers: Shape -> Cast(int32) -> Slice(0:1) -> Concat(.., [units])
    -> Cast(int64) -> ConstantOfShape(0), then the rewriter's Unsqueeze(axes=[0]). The back-to-back optimizer drops
    the Squeeze/Unsqueeze pair of StridedSlice + Pack; merge_duplication gives h and c one shared chain;
  - LSTM with activations Sigmoid/Tanh/Tanh, Keras gates i,f,c,o reordered to ONNX i,o,f,c, B = [bias, zeros], or
    GRU with linear_before_reset=1 (Keras reset_after=True), B = [input bias, recurrent bias]; sequence_lens empty;
  - Squeeze(Y, axes=[1]); return_sequences=False: outputs[-1] as Slice(starts=-1, ends=INT32_MAX, axes=0) +
    Squeeze(0); return_sequences=True: Transpose back to batch-major, which the transpose optimizer keeps when the
    next layer's Shape also reads it, or pushes through a following x[:, -1, :] (Slice on three axes + Squeeze);
  - Dense as MatMul + Add, then Relu / Softmax / Sigmoid; opset imports '' and ai.onnx.ml 2, IR version by opset.

The weights are seeded random values in Keras's own layout (kernel [F, G*H], recurrent_kernel [H, G*H]); the ONNX
weights are derived from them as tf2onnx does. A numpy transcription of the Keras cell equations, run on the Keras
weights, gives expected.csv, so the tests check the graph against ONNX Runtime and the gate reordering against
Keras's equations. Each folder holds:
  model.onnx     the graph
  input.csv      columns seq,t,x0..x{F-1}: a few random windows of T steps, one row per step
  expected.csv   columns seq,t,y0..: the Keras model's output for each window (t = T-1, the window's last step)

  /usr/bin/python3 tools/train/make_keras_like_graphs.py      # deterministic: rewrites identical files
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "EdgeLstm.Convert.Tests", "Fixtures", "keras")
INT32_MAX = np.iinfo(np.int32).max
IR_VERSION = {9: 4, 13: 7, 15: 8}  # tf2onnx's constants.OPSET_TO_IR_VERSION


class Tf2OnnxGraph:
    """Collects nodes and initializers the way tf2onnx names them (scope/op, generated names with a __N suffix)."""

    def __init__(self, opset, scope):
        self.opset = opset
        self.scope = scope
        self.nodes = []
        self.initializers = []
        self.counter = 10

    def name(self, base):
        self.counter += 1
        return f"{base}__{self.counter}"

    def const(self, base, array, dtype=np.float32):
        name = self.name(base)
        self.initializers.append(numpy_helper.from_array(np.asarray(array, dtype=dtype), name))
        return name

    def node(self, op, inputs, name, outputs=1, **attrs):
        outs = [f"{name}:0"] if outputs == 1 else [f"{name}:{i}" for i in range(outputs)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=name, **attrs))
        return outs[0] if outputs == 1 else outs

    def squeeze(self, data, axes, name):
        if self.opset >= 13:
            return self.node("Squeeze", [data, self.const("const_axes", axes, np.int64)], name)
        return self.node("Squeeze", [data], name, axes=axes)

    def unsqueeze(self, data, axes, name):
        if self.opset >= 13:
            return self.node("Unsqueeze", [data, self.const("const_axes", axes, np.int64)], name)
        return self.node("Unsqueeze", [data], name, axes=axes)

    def slice(self, data, starts, ends, axes, name):
        if self.opset >= 10:
            return self.node("Slice", [data, self.const("const_starts", starts, np.int64),
                                       self.const("const_ends", ends, np.int64),
                                       self.const("const_axes", axes, np.int64)], name)
        return self.node("Slice", [data], name, starts=starts, ends=ends, axes=axes)

    def zero_state(self, layer_input, units, scope):
        """tf.zeros([tf.shape(layer_input)[0], units]) as tf2onnx leaves it, with the rewriter's Unsqueeze(0)."""
        shape = self.node("Shape", [layer_input], f"{scope}/Shape")
        shape32 = self.node("Cast", [shape], self.name(f"{scope}/Shape"), to=TensorProto.INT32)
        batch = self.slice(shape32, [0], [1], [0], f"{scope}/strided_slice")
        dims = self.node("Concat", [batch, self.const(f"{scope}/zeros/packed/1", [units], np.int32)],
                         f"{scope}/zeros/packed_Concat__{self.counter}", axis=0)
        dims64 = self.node("Cast", [dims], self.name(f"{scope}/zeros"), to=TensorProto.INT64)
        zeros = self.node("ConstantOfShape", [dims64], f"{scope}/zeros",
                          value=numpy_helper.from_array(np.zeros(1, np.float32)))
        return self.unsqueeze(zeros, [0], self.name("Unsqueeze"))

    def dense(self, x, kernel, bias, activation, scope):
        y = self.node("MatMul", [x, self.const(f"{scope}/MatMul/ReadVariableOp", kernel)], f"{scope}/MatMul")
        y = self.node("Add", [y, self.const(f"{scope}/BiasAdd/ReadVariableOp", bias)], f"{scope}/BiasAdd")
        if activation == "relu":
            return self.node("Relu", [y], f"{scope}/Relu")
        if activation == "sigmoid":
            return self.node("Sigmoid", [y], f"{scope}/Sigmoid")
        if activation == "softmax":
            # tf2onnx sets the last axis explicitly below opset 13 (the default there is 1, which is the same here).
            attrs = {} if self.opset >= 13 else {"axis": 1}
            return self.node("Softmax", [y], f"{scope}/Softmax", **attrs)
        return y

    def save(self, folder, input_name, steps, features, output_name, outputs):
        batch_in, batch_out = self.name("unk"), self.name("unk")
        graph = helper.make_graph(
            self.nodes, "tf2onnx",
            [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, [batch_in, steps, features])],
            [helper.make_tensor_value_info(output_name, TensorProto.FLOAT, [batch_out, outputs])],
            self.initializers)
        model = helper.make_model(graph, producer_name="tf2onnx", producer_version="1.16.1 15c810",
                                  opset_imports=[helper.make_opsetid("", self.opset),
                                                 helper.make_opsetid("ai.onnx.ml", 2)])
        model.ir_version = IR_VERSION[self.opset]
        onnx.checker.check_model(model)
        os.makedirs(folder, exist_ok=True)
        onnx.save(model, os.path.join(folder, "model.onnx"))


# --- Keras layers: weights in Keras's layout, the ONNX node tf2onnx makes of them, and Keras's equations -------------

def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


class KerasLstm:
    def __init__(self, rng, features, units, return_sequences):
        self.units, self.return_sequences = units, return_sequences
        self.kernel = rng.normal(0, 0.45, (features, 4 * units)).astype(np.float32)
        self.recurrent = rng.normal(0, 0.35, (units, 4 * units)).astype(np.float32)
        self.bias = rng.normal(0, 0.3, (4 * units,)).astype(np.float32)

    def onnx_weights(self):
        """lstm_rewriter._process_weights_and_bias_per_layer for from_keras: gates i,f,c,o -> i,o,f,c."""
        def iofc(m):
            i, f, c, o = np.split(m, 4, axis=-1)
            return np.concatenate((i, o, f, c), axis=-1)
        w = iofc(self.kernel).T[None]
        r = iofc(self.recurrent).T[None]
        b = np.concatenate((iofc(self.bias[None]), np.zeros((1, 4 * self.units), np.float32)), axis=1)
        return w, r, b

    def emit(self, g, x_batch_major, x_time_major, scope):
        state = g.zero_state(x_batch_major, self.units, scope)
        w, r, b = self.onnx_weights()
        y = g.node("LSTM", [x_time_major, g.const("W0", w), g.const("R0", r), g.const("B0", b), "", state, state],
                   g.name(f"{scope}/PartitionedCall/LSTM"), outputs=3, direction="forward", hidden_size=self.units,
                   activations=["Sigmoid", "Tanh", "Tanh"])[0]
        return g.squeeze(y, [1], g.name("Squeeze"))

    def run(self, x):
        """Keras's standard_lstm on one sequence [T, F], in float64; returns [T, units]."""
        h = np.zeros(self.units)
        c = np.zeros(self.units)
        ys = []
        for xt in x:
            z = xt @ self.kernel.astype(np.float64) + h @ self.recurrent.astype(np.float64) + self.bias
            zi, zf, zc, zo = np.split(z, 4)
            c = sigmoid(zf) * c + sigmoid(zi) * np.tanh(zc)
            h = sigmoid(zo) * np.tanh(c)
            ys.append(h)
        return np.array(ys)


class KerasGru:
    """tf.keras.layers.GRU with reset_after=True (the TF 2 default): bias [2, 3H], the reset gate applied after R·h."""

    def __init__(self, rng, features, units, return_sequences):
        self.units, self.return_sequences = units, return_sequences
        self.kernel = rng.normal(0, 0.45, (features, 3 * units)).astype(np.float32)
        self.recurrent = rng.normal(0, 0.35, (units, 3 * units)).astype(np.float32)
        self.bias = rng.normal(0, 0.3, (2, 3 * units)).astype(np.float32)

    def onnx_weights(self):
        """gru_rewriter._process_weights_and_bias_keras: gates z,r,h in both; B = [input bias, recurrent bias]."""
        return self.kernel.T[None], self.recurrent.T[None], np.concatenate((self.bias[0], self.bias[1]))[None]

    def emit(self, g, x_batch_major, x_time_major, scope):
        state = g.zero_state(x_batch_major, self.units, scope)
        w, r, b = self.onnx_weights()
        y = g.node("GRU", [x_time_major, g.const("W0", w), g.const("R0", r), g.const("B0", b), "", state],
                   g.name(f"{scope}/PartitionedCall/GRU"), outputs=2, direction="forward", hidden_size=self.units,
                   activations=["Sigmoid", "Tanh"], linear_before_reset=1)[0]
        return g.squeeze(y, [1], g.name("Squeeze"))

    def run(self, x):
        """Keras's standard_gru (reset_after=True) on one sequence [T, F], in float64; returns [T, units]."""
        h = np.zeros(self.units)
        kernel, recurrent = self.kernel.astype(np.float64), self.recurrent.astype(np.float64)
        ys = []
        for xt in x:
            x_z, x_r, x_h = np.split(xt @ kernel + self.bias[0], 3)
            r_z, r_r, r_h = np.split(h @ recurrent + self.bias[1], 3)
            z = sigmoid(x_z + r_z)
            r = sigmoid(x_r + r_r)
            hh = np.tanh(x_h + r * r_h)
            h = z * h + (1 - z) * hh
            ys.append(h)
        return np.array(ys)


class KerasDense:
    def __init__(self, rng, inputs, units, activation):
        self.activation = activation
        self.kernel = rng.normal(0, 0.5, (inputs, units)).astype(np.float32)
        self.bias = rng.normal(0, 0.2, (units,)).astype(np.float32)

    def run(self, v):
        y = v @ self.kernel.astype(np.float64) + self.bias
        if self.activation == "relu":
            return np.maximum(y, 0)
        if self.activation == "sigmoid":
            return sigmoid(y)
        if self.activation == "softmax":
            e = np.exp(y - y.max())
            return e / e.sum()
        return y


# --- the fixtures ------------------------------------------------------------------------------------------------

def build(name, opset, steps, features, layers, dense, last_step_lambda=False, windows=4):
    """A Sequential model: recurrent layers, optionally Lambda(lambda x: x[:, -1, :]) after the last, Dense layers."""
    g = Tf2OnnxGraph(opset, "sequential")
    x_name = "lstm_input" if isinstance(layers[0], KerasLstm) else "gru_input"
    batch_major = x_name
    time_major = None
    for i, layer in enumerate(layers):
        scope = f"sequential/{'lstm' if isinstance(layer, KerasLstm) else 'gru'}{'' if i == 0 else '_' + str(i)}"
        if time_major is None:
            # Keras transposes the layer input to time-major; back-to-back transposes from the previous layer stay,
            # because that layer's batch-major output also feeds this layer's Shape.
            time_major = g.node("Transpose", [batch_major], f"{scope}/transpose", perm=[1, 0, 2])
        seq = layer.emit(g, batch_major, time_major, scope)
        if layer.return_sequences and not last_step_lambda:
            batch_major = g.node("Transpose", [seq], f"{scope}/transpose_1", perm=[1, 0, 2])
            time_major = None
            continue
        if layer.return_sequences:
            # x[:, -1, :] on the batch-major output; the transpose optimizer pushes the Transpose through the Slice
            # (permuting its axes) and the Squeeze, where it becomes the identity and is removed.
            step = g.slice(seq, [0, -1, 0], [INT32_MAX] * 3, [1, 0, 2], "sequential/lambda/strided_slice")
            vector = g.squeeze(step, [0], g.name("sequential/lambda/strided_slice"))
        else:
            # outputs[-1] in keras.backend.rnn: StridedSlice with shrink_axis_mask=1 on the time-major outputs.
            step = g.slice(seq, [-1], [INT32_MAX], [0], f"{scope}/PartitionedCall/strided_slice")
            vector = g.squeeze(step, [0], g.name(f"{scope}/PartitionedCall/strided_slice"))
    for i, d in enumerate(dense):
        vector = g.dense(vector, d.kernel, d.bias, d.activation, f"sequential/dense{'' if i == 0 else '_' + str(i)}")
    # The identity optimizer renames the last node's output to the Keras output name.
    output_name = "dense" if len(dense) == 1 else f"dense_{len(dense) - 1}"
    g.nodes[-1].output[0] = output_name
    folder = os.path.join(OUT, name)
    g.save(folder, x_name, steps, features, output_name, dense[-1].kernel.shape[1])

    rng = np.random.default_rng(len(name) * 7919)
    xs = rng.standard_normal((windows, steps, features)).astype(np.float32)
    in_rows, out_rows = [], []
    for s, x in enumerate(xs):
        in_rows += [[s, t] + [float(v) for v in x[t]] for t in range(steps)]
        seq = x.astype(np.float64)
        for layer in layers:
            seq = layer.run(seq)
        v = seq[-1]
        for d in dense:
            v = d.run(v)
        out_rows.append([s, steps - 1] + [float(np.float32(v_)) for v_ in v])
    write_csv(os.path.join(folder, "input.csv"), ["seq", "t"] + [f"x{i}" for i in range(features)], in_rows)
    write_csv(os.path.join(folder, "expected.csv"), ["seq", "t"] + [f"y{i}" for i in range(len(out_rows[0]) - 2)],
              out_rows)
    print(f"{name}: opset {opset}, input [batch, {steps}, {features}], {len(g.nodes)} nodes")


def write_csv(path, header, rows):
    with open(path, "w", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(repr(v) if isinstance(v, float) else str(v) for v in row) + "\n")


def main():
    # The reported model: two LSTM layers over 8-step windows, Dense(relu) + Dense(softmax), opset 9.
    rng = np.random.default_rng(1216)
    build("keras_lstm2_stacked", 9, 8, 6,
          [KerasLstm(rng, 6, 16, return_sequences=True), KerasLstm(rng, 16, 10, return_sequences=False)],
          [KerasDense(rng, 10, 12, "relu"), KerasDense(rng, 12, 4, "softmax")])
    rng = np.random.default_rng(1217)
    build("keras_lstm_last_step", 9, 8, 5, [KerasLstm(rng, 5, 12, return_sequences=False)],
          [KerasDense(rng, 12, 8, "relu"), KerasDense(rng, 8, 3, "softmax")])
    rng = np.random.default_rng(1218)
    build("keras_lstm_sequences", 13, 10, 3, [KerasLstm(rng, 3, 9, return_sequences=True)],
          [KerasDense(rng, 9, 1, "sigmoid")], last_step_lambda=True)
    rng = np.random.default_rng(1219)
    # tf2onnx 1.16's default opset is 15.
    build("keras_gru_reset_after", 15, 12, 4, [KerasGru(rng, 4, 10, return_sequences=False)],
          [KerasDense(rng, 10, 2, "linear")])


if __name__ == "__main__":
    main()
