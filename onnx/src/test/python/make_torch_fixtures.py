#!/usr/bin/env python3
"""Makes the torch-exported ONNX fixtures of the onnx module's tests.

Each fixture is a folder in ONNX's backend-test layout (model.onnx and test_data_set_0 with
input_N.pb and output_N.pb), written by torch.onnx.export (opset 14, and 9 and 11 for two of them) from a seeded nn.RNN, with
the outputs torch computed for a seeded input. Run with Debian's python3-torch and python3-onnx:

    /usr/bin/python3 onnx/src/test/python/make_torch_fixtures.py onnx/src/test/resources/torch

The fixtures are committed; the tests never run this script.
"""
import os
import sys

import numpy as np
import onnx
import torch
from onnx import numpy_helper


class WithHead(torch.nn.Module):
    """An nn.RNN followed by an nn.Linear on every step's features."""

    def __init__(self, rnn, outputs):
        super().__init__()
        self.rnn = rnn
        features = rnn.hidden_size * (2 if rnn.bidirectional else 1)
        self.head = torch.nn.Linear(features, outputs)

    def forward(self, x):
        y, _ = self.rnn(x)
        return self.head(y)


class NoState(torch.nn.Module):
    """An nn.RNN called without h0: the export makes the zero state itself."""

    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        return self.rnn(x)


def write(folder, name, module, inputs, input_names, output_names, batch_first, opset=14):
    path = os.path.join(folder, name)
    data = os.path.join(path, "test_data_set_0")
    os.makedirs(data, exist_ok=True)
    module.eval()
    with torch.no_grad():
        outputs = module(*inputs)
    if not isinstance(outputs, tuple):
        outputs = (outputs,)
    seq, batch = (1, 0) if batch_first else (0, 1)
    axes = {input_names[0]: {seq: "sequence", batch: "batch"}, output_names[0]: {seq: "sequence", batch: "batch"}}
    for extra in input_names[1:] + output_names[1:]:
        axes[extra] = {1: "batch"}
    torch.onnx.export(module, tuple(inputs), os.path.join(path, "model.onnx"), opset_version=opset,
                      input_names=input_names, output_names=output_names, dynamic_axes=axes)
    onnx.checker.check_model(onnx.load(os.path.join(path, "model.onnx")))
    for i, t in enumerate(inputs):
        with open(os.path.join(data, "input_%d.pb" % i), "wb") as f:
            f.write(numpy_helper.from_array(t.numpy(), input_names[i]).SerializeToString())
    for i, t in enumerate(outputs):
        with open(os.path.join(data, "output_%d.pb" % i), "wb") as f:
            f.write(numpy_helper.from_array(t.numpy(), output_names[i]).SerializeToString())


def main(folder):
    torch.manual_seed(20261201)
    steps, batch = 7, 3

    rnn = torch.nn.RNN(4, 8)
    write(folder, "torch_tanh_zero_state", NoState(rnn), [torch.randn(steps, batch, 4)], ["x"], ["y", "h_n"], False)

    rnn = torch.nn.RNN(3, 5, num_layers=2, nonlinearity="relu", bidirectional=True)
    write(folder, "torch_relu_stacked_bidirectional_h0", rnn,
          [torch.randn(steps, batch, 3), torch.randn(4, batch, 5)], ["x", "h0"], ["y", "h_n"], False)

    rnn = torch.nn.RNN(4, 6, batch_first=True)
    write(folder, "torch_batch_first_linear_head", WithHead(rnn, 2), [torch.randn(batch, steps, 4)], ["x"], ["y"], True)

    rnn = torch.nn.RNN(2, 3, num_layers=3, bias=False)
    write(folder, "torch_three_layers_no_bias_h0", rnn,
          [torch.randn(steps, batch, 2), torch.randn(3, batch, 3)], ["x", "h0"], ["y", "h_n"], False)

    rnn = torch.nn.RNN(5, 4, bidirectional=True, batch_first=True)
    write(folder, "torch_bidirectional_batch_first_head", WithHead(rnn, 3), [torch.randn(batch, steps, 5)], ["x"],
          ["y"], True)

    # Older opsets: Slice with attributes (opset 9), Squeeze and Unsqueeze with attributes (before 13).
    rnn = torch.nn.RNN(3, 4, num_layers=2, bidirectional=True)
    write(folder, "torch_opset9_stacked_bidirectional_h0", rnn,
          [torch.randn(steps, batch, 3), torch.randn(4, batch, 4)], ["x", "h0"], ["y", "h_n"], False, opset=9)

    rnn = torch.nn.RNN(4, 5, nonlinearity="relu", batch_first=True)
    write(folder, "torch_opset11_relu_batch_first_head", WithHead(rnn, 2), [torch.randn(batch, steps, 4)], ["x"], ["y"],
          True, opset=11)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "resources", "torch"))
