#!/usr/bin/python3
"""Turns face-api.js's face recognition net (dlib's ResNet-29 face descriptor, uint8-quantised
TF.js weights) into an ONNX graph that OpenCV 4.6's cv::dnn loads.

Usage: convert_face_recognition.py MANIFEST.json WEIGHTS.bin OUT.onnx

The network (as face-api.js runs it; NHWC there, NCHW here):
  input 1x3x150x150 RGB, already (pixel - mean) / 256 (the caller's blobFromImage does that)
  conv 7x7/2 valid (32) + scale + ReLU, max-pool 3x3/2 valid
  3 x residual(32), residual-down(64), 3 x residual(64), residual-down(128), 2 x residual(128),
  residual-down(256), 2 x residual(256), residual-down(256), global mean, fully connected 256->128
where residual(x) = ReLU(x + scale(conv(ReLU(scale(conv(x)))))) with 3x3 "same" convolutions
and residual-down(x) = ReLU(avgpool2x2(x) zero-padded to the new channel count
                            + [conv 3x3/2 valid, then conv 3x3 same] zero-padded at the bottom
                              and right when it came out one smaller than the pooled map).
Every "scale" layer (x * w + b per channel) is folded into the convolution before it.

Only Debian's python3-onnx and python3-numpy are needed. The output is deterministic.
"""

import json
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

INPUT_SIZE = 150


def load_weights(manifest_path, weights_path):
    """Returns {name: float32 array} from a TF.js weights manifest and its (single) bin file."""
    with open(manifest_path, encoding="utf-8") as f:
        manifest = json.load(f)
    if len(manifest) != 1 or len(manifest[0].get("paths", [])) != 1:
        sys.exit(f"{manifest_path}: expected one weight group in one file")
    with open(weights_path, "rb") as f:
        data = f.read()
    weights = {}
    offset = 0
    for spec in manifest[0]["weights"]:
        shape = spec["shape"]
        count = int(np.prod(shape))
        quant = spec.get("quantization")
        if quant:
            if quant["dtype"] != "uint8":
                sys.exit(f"{spec['name']}: unsupported quantisation {quant['dtype']}")
            raw = np.frombuffer(data, dtype=np.uint8, count=count, offset=offset)
            offset += count
            # TF.js: value = q * scale + min
            values = raw.astype(np.float64) * quant["scale"] + quant["min"]
        else:
            if spec["dtype"] != "float32":
                sys.exit(f"{spec['name']}: unsupported dtype {spec['dtype']}")
            values = np.frombuffer(data, dtype="<f4", count=count, offset=offset).astype(np.float64)
            offset += 4 * count
        weights[spec["name"]] = values.reshape(shape)
    if offset != len(data):
        sys.exit(f"{weights_path}: {len(data)} bytes, the manifest describes {offset}")
    return weights


class Graph:
    def __init__(self, weights):
        self.w = weights
        self.nodes = []
        self.inits = []
        self.counter = 0

    def name(self, stem):
        self.counter += 1
        return f"{stem}_{self.counter}"

    def const(self, stem, array, dtype=np.float32):
        n = self.name(stem)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype=dtype), n))
        return n

    def node(self, op, inputs, stem, **attrs):
        out = self.name(stem)
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def conv_scaled(self, x, prefix, stride, pad, relu):
        """conv + bias, then the per-channel scale layer folded in: (conv(x,W)+b)*s+t."""
        filters = self.w[f"{prefix}/conv/filters"]  # kh, kw, in, out
        bias = self.w[f"{prefix}/conv/bias"]
        s = self.w[f"{prefix}/scale/weights"]
        t = self.w[f"{prefix}/scale/biases"]
        w = np.transpose(filters, (3, 2, 0, 1)) * s[:, None, None, None]  # out, in, kh, kw
        b = bias * s + t
        k = filters.shape[0]
        out = self.node("Conv", [x, self.const(prefix + "/W", w), self.const(prefix + "/B", b)],
                        prefix.replace("/", "_"), kernel_shape=[k, k], strides=[stride, stride],
                        pads=[pad, pad, pad, pad])
        return self.node("Relu", [out], "relu") if relu else out

    def residual(self, x, prefix):
        out = self.conv_scaled(x, prefix + "/conv1", 1, 1, True)
        out = self.conv_scaled(out, prefix + "/conv2", 1, 1, False)
        return self.node("Relu", [self.node("Add", [out, x], "add")], "relu")

    def residual_down(self, x, prefix, in_channels, in_size):
        out_channels = self.w[prefix + "/conv1/conv/filters"].shape[3]
        out = self.conv_scaled(x, prefix + "/conv1", 2, 0, True)
        out = self.conv_scaled(out, prefix + "/conv2", 1, 1, False)
        conv_size = (in_size - 3) // 2 + 1
        pooled_size = in_size // 2
        if conv_size != pooled_size:
            # face-api.js appends a zero row and a zero column to the convolution's output
            extra = pooled_size - conv_size
            pads = self.const(prefix + "/pads", [0, 0, 0, 0, 0, 0, extra, extra], np.int64)
            out = self.node("Pad", [out, pads], "pad", mode="constant")
        # 2x2 average pooling plus zero channels in one convolution: each output channel
        # below in_channels averages its own input channel, the rest stay zero
        pool = np.zeros((out_channels, in_channels, 2, 2))
        for c in range(in_channels):
            pool[c, c] = 0.25
        shortcut = self.node("Conv", [x, self.const(prefix + "/pool", pool)], "pool",
                             kernel_shape=[2, 2], strides=[2, 2], pads=[0, 0, 0, 0])
        summed = self.node("Add", [out, shortcut], "add")
        return self.node("Relu", [summed], "relu"), out_channels, pooled_size


def build(weights):
    g = Graph(weights)
    x = "input"
    size = INPUT_SIZE
    x = g.conv_scaled(x, "conv32_down", 2, 0, True)
    size = (size - 7) // 2 + 1
    x = g.node("MaxPool", [x], "maxpool", kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 0, 0])
    size = (size - 3) // 2 + 1
    channels = 32
    for block in ["conv32_1", "conv32_2", "conv32_3"]:
        x = g.residual(x, block)
    x, channels, size = g.residual_down(x, "conv64_down", channels, size)
    for block in ["conv64_1", "conv64_2", "conv64_3"]:
        x = g.residual(x, block)
    x, channels, size = g.residual_down(x, "conv128_down", channels, size)
    for block in ["conv128_1", "conv128_2"]:
        x = g.residual(x, block)
    x, channels, size = g.residual_down(x, "conv256_down", channels, size)
    for block in ["conv256_1", "conv256_2"]:
        x = g.residual(x, block)
    x, channels, size = g.residual_down(x, "conv256_down_out", channels, size)
    x = g.node("GlobalAveragePool", [x], "mean")
    x = g.node("Flatten", [x], "flatten", axis=1)
    fc = weights["fc"]  # 256 x 128
    out = "embedding"
    # OpenCV's importer wants the weights as [out, in] with transB
    g.nodes.append(helper.make_node("Gemm", [x, g.const("fc/W", fc.T), g.const("fc/B", np.zeros(fc.shape[1]))],
                                    [out], name="fc", transB=1))
    graph = helper.make_graph(
        g.nodes, "dlib_resnet29_face_descriptor",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, INPUT_SIZE, INPUT_SIZE])],
        [helper.make_tensor_value_info(out, TensorProto.FLOAT, [1, fc.shape[1]])],
        g.inits)
    model = helper.make_model(graph, producer_name="pingyi convert_face_recognition.py",
                              opset_imports=[helper.make_opsetid("", 11)])
    model.ir_version = 6
    onnx.checker.check_model(model)
    return model


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: convert_face_recognition.py MANIFEST.json WEIGHTS.bin OUT.onnx")
    model = build(load_weights(sys.argv[1], sys.argv[2]))
    with open(sys.argv[3], "wb") as f:
        f.write(model.SerializeToString())


if __name__ == "__main__":
    main()
