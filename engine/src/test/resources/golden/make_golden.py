#!/usr/bin/env python3
"""Golden cases for Elman's PyTorch interop, made with torch.nn.RNN.

Run from anywhere with Debian's python3-torch (no pip installs):

    /usr/bin/python3 engine/src/test/resources/golden/make_golden.py

For every case it writes, into a directory named after the case:

    W.safetensors   the float32 state_dict of torch.nn.RNN (weight_ih_l{k}, weight_hh_l{k},
                    bias_ih_l{k}, bias_hh_l{k} and the _reverse twins), exactly torch's keys
    X.npy           input (T, B, I), float32, time-major
    H0.npy          initial state (L*D, B, H), float32
    GY.npy          random upstream gradient (T, B, D*H), float32
    Y.npy           output (T, B, D*H), float64
    HN.npy          final state (L*D, B, H), float64
    G.safetensors   float64 dL/dtheta for every weight under its own key, plus "input" (dL/dX)
                    and "h0" (dL/dH0), where L = sum(GY * Y)

Y, HN and G are the oracle: torch.nn.RNN run in float64 on exactly the float32 weights and inputs
above, so they carry no float32 rounding of their own. The script also runs the same case in
float32 and checks that torch's own float32 result meets the comparison rule (see README.md) with
ten times the margin; the float32 deviations are recorded in manifest.json.

Cases with a window K run truncated BPTT the way PyTorch users write it: the sequence is cut into
chunks of K steps (the last may be shorter), each chunk starts from the previous chunk's final
state detached from the graph, Y is the concatenation of the chunks' outputs, and the gradients
of L = sum(GY * Y) are summed over the chunks (dL/dH0 therefore comes from the first chunk only).

Also written: conversions.safetensors, the same numbers as F16, BF16 and F64 together with torch's
conversion of each to float32, to check the readers' conversions against torch's.
"""

import copy
import json
import pathlib
import struct
import sys

import numpy as np
import torch

HERE = pathlib.Path(__file__).resolve().parent

# The comparison rule of README.md: per tensor, max|a - b| <= TOLERANCE * max|b|.
TOLERANCE = 1e-4

CASES = [
    dict(name="tanh_single", nonlinearity="tanh", num_layers=1, bidirectional=False, bias=True,
         input_size=3, hidden_size=5, seq_len=7, batch=2, window=None, seed=101),
    dict(name="relu_single", nonlinearity="relu", num_layers=1, bidirectional=False, bias=True,
         input_size=4, hidden_size=3, seq_len=6, batch=3, window=None, seed=102),
    dict(name="stacked", nonlinearity="tanh", num_layers=2, bidirectional=False, bias=True,
         input_size=3, hidden_size=4, seq_len=5, batch=2, window=None, seed=103),
    dict(name="bidirectional", nonlinearity="tanh", num_layers=1, bidirectional=True, bias=True,
         input_size=3, hidden_size=4, seq_len=6, batch=2, window=None, seed=104),
    dict(name="stacked_bidirectional", nonlinearity="relu", num_layers=2, bidirectional=True, bias=True,
         input_size=2, hidden_size=3, seq_len=5, batch=3, window=None, seed=105),
    dict(name="no_bias", nonlinearity="tanh", num_layers=2, bidirectional=False, bias=False,
         input_size=3, hidden_size=4, seq_len=5, batch=2, window=None, seed=106),
    dict(name="long_sequence", nonlinearity="tanh", num_layers=1, bidirectional=False, bias=True,
         input_size=2, hidden_size=4, seq_len=200, batch=2, window=None, seed=107),
    dict(name="window", nonlinearity="tanh", num_layers=1, bidirectional=False, bias=True,
         input_size=3, hidden_size=4, seq_len=23, batch=2, window=5, seed=108),
    dict(name="window_stacked_relu", nonlinearity="relu", num_layers=2, bidirectional=False, bias=True,
         input_size=2, hidden_size=3, seq_len=17, batch=2, window=4, seed=109),
]

SAFETENSORS_DTYPES = {
    torch.float32: "F32",
    torch.float64: "F64",
    torch.float16: "F16",
    torch.bfloat16: "BF16",
}


def write_safetensors(path, tensors):
    """A minimal safetensors writer: tensors in name order, header padded with spaces to 8 bytes."""
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        # Reinterpret the elements as bytes; this machine is little-endian (checked in main).
        raw = t.reshape(-1).view(torch.uint8).numpy().tobytes()
        header[name] = {
            "dtype": SAFETENSORS_DTYPES[t.dtype],
            "shape": list(t.shape),
            "data_offsets": [offset, offset + len(raw)],
        }
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def run(model, x, h0, gy, window):
    """Y, HN and the gradients of L = sum(GY * Y), optionally in detached chunks of `window` steps."""
    x = x.clone().requires_grad_(True)
    h0 = h0.clone().requires_grad_(True)
    model.zero_grad(set_to_none=True)
    if window is None:
        y, hn = model(x, h0)
    else:
        outputs = []
        h = h0
        for start in range(0, x.shape[0], window):
            y_chunk, h = model(x[start:start + window], h)
            outputs.append(y_chunk)
            h = h.detach()
        y = torch.cat(outputs)
        hn = h
    (gy * y).sum().backward()
    grads = {name: p.grad.detach().clone() for name, p in model.named_parameters()}
    grads["input"] = x.grad.detach().clone()
    grads["h0"] = h0.grad.detach().clone()
    return y.detach(), hn.detach(), grads


def deviation(actual, expected):
    """max|a - b| / max|b|: the quantity the comparison rule bounds (0 when both are all zero)."""
    scale = expected.abs().max().item()
    error = (actual.double() - expected).abs().max().item()
    if scale == 0.0:
        return 0.0 if error == 0.0 else float("inf")
    return error / scale


def make_case(case):
    torch.manual_seed(case["seed"])
    d = 2 if case["bidirectional"] else 1
    layers, hidden = case["num_layers"], case["hidden_size"]
    steps, batch, inputs = case["seq_len"], case["batch"], case["input_size"]
    # PyTorch's default initialisation, U(-1/sqrt(H), 1/sqrt(H)), in float32.
    rnn = torch.nn.RNN(inputs, hidden, num_layers=layers, nonlinearity=case["nonlinearity"],
                       bias=case["bias"], bidirectional=case["bidirectional"])
    x = torch.randn(steps, batch, inputs)
    h0 = 0.5 * torch.randn(layers * d, batch, hidden)
    gy = torch.randn(steps, batch, d * hidden)

    oracle = copy.deepcopy(rnn).double()
    y, hn, grads = run(oracle, x.double(), h0.double(), gy.double(), case["window"])
    y32, hn32, grads32 = run(rnn, x, h0, gy, case["window"])

    deviations = {"Y": deviation(y32, y), "HN": deviation(hn32, hn)}
    deviations.update({"G." + k: deviation(grads32[k], grads[k]) for k in grads})
    worst = max(deviations, key=deviations.get)
    if deviations[worst] > TOLERANCE / 10:
        sys.exit(f"{case['name']}: torch float32 deviates {deviations[worst]:.3g} from the float64 oracle "
                 f"in {worst}, more than a tenth of the tolerance; choose better-conditioned weights")

    out = HERE / case["name"]
    out.mkdir(exist_ok=True)
    write_safetensors(out / "W.safetensors", rnn.state_dict())
    np.save(out / "X.npy", x.numpy())
    np.save(out / "H0.npy", h0.numpy())
    np.save(out / "GY.npy", gy.numpy())
    np.save(out / "Y.npy", y.numpy())
    np.save(out / "HN.npy", hn.numpy())
    write_safetensors(out / "G.safetensors", grads)

    entry = dict(case)
    entry["float32_deviation"] = {k: float(f"{v:.3g}") for k, v in sorted(deviations.items())}
    if case["window"] is not None:
        # How far the gradients of neighbouring semantics are from the golden ones (the largest
        # deviation over G's tensors): an engine that got the window wrong fails by this much.
        alternatives = {"full BPTT": None, "window K-1": case["window"] - 1, "window K+1": case["window"] + 1}
        entry["wrong_window_deviation"] = {}
        for label, other in alternatives.items():
            _, _, other_grads = run(copy.deepcopy(oracle), x.double(), h0.double(), gy.double(), other)
            worst_other = max(deviation(other_grads[k], grads[k]) for k in grads)
            entry["wrong_window_deviation"][label] = float(f"{worst_other:.3g}")
    return entry


def make_conversions():
    """The same numbers as F16, BF16 and F64, with torch's float32 conversion of each."""
    singles = torch.tensor([0.0, -0.0, 1.0, -2.5, 1 / 3, 65504.0, 65520.0, 6.0e-8, 6.1e-5, 1e-9,
                            3.0e38, float("inf"), float("-inf"), float("nan")], dtype=torch.float32)
    half = singles.half()
    brain = singles.bfloat16()
    doubles = torch.tensor([1 + 2.0 ** -24, 1 + 3 * 2.0 ** -24, 1 + 2.0 ** -24 + 2.0 ** -40, 0.1, -1 / 3,
                            1e-40, 1e-46, 5e-324, 3.4028235e38, -3.4028234663852886e38, float("inf"),
                            float("nan"), -0.0, 123456789.123456789], dtype=torch.float64)
    write_safetensors(HERE / "conversions.safetensors", {
        "f16": half, "f16_as_f32": half.float(),
        "bf16": brain, "bf16_as_f32": brain.float(),
        "f64": doubles, "f64_as_f32": doubles.float(),
    })


def main():
    if sys.byteorder != "little":
        sys.exit("the writers here assume a little-endian machine")
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    manifest = {
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "tolerance": TOLERANCE,
        "rule": "per tensor: max|a - b| <= tolerance * max|b|, b the golden value",
        "cases": [make_case(case) for case in CASES],
    }
    make_conversions()
    with open(HERE / "manifest.json", "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
