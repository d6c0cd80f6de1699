#!/usr/bin/env python3
"""Generate the PyTorch parity fixtures for Torchlet's tests.

What it does
    Runs small, fixed computations in PyTorch (LSTMCell, LSTM in its
    variants, GRUCell, GRU in its variants, Linear, Embedding, losses, softmax, masked softmax and max,
    gather, SGD, Adam and AdamW steps, gradient clipping, learning-rate
    schedulers) and
    writes one JSON file per computation into
    Tests/TorchletTests/Fixtures/<name>.json. The Swift tests read those
    committed files; they never need Python. The state dict fixtures also
    write <name>.safetensors with safetensors.torch.save_file, the file a
    PyTorch user would hand to Torchlet.

How to run
    python3 scripts/make_fixtures.py            # from the repository root
    python3 scripts/make_fixtures.py lstm_cell  # only the named fixtures

    Written with torch 2.13.0+cpu and safetensors 0.8.0
    (pip install 'torch==2.13.0+cpu' 'safetensors==0.8.0').
    Output is deterministic: every fixture seeds torch.manual_seed itself,
    uses float32 and one thread, so re-running rewrites identical files
    (a different torch version may change the last bits).

File format (the Swift loader Tests/TestSupport/Fixture.swift depends on it)
    {
      "name": "...", "torch": "<torch version>", "description": "...",
      "config":  {"key": int | float | bool | string, ...},
      "tensors": {"key": {"shape": [..], "data": [row-major floats]}, ...},
      "ints":    {"key": {"shape": [..], "data": [row-major ints]}, ...}
    }
    A 0-d tensor is {"shape": [], "data": [x]}.

Naming conventions inside "tensors"
    - parameters use PyTorch's state_dict names (weight_ih_l0, bias_hh_l1_reverse, ...);
    - "weight.<out>" is a fixed random tensor with the shape of output <out>;
      the scalar loss is sum over outputs of (<out> * weight.<out>).sum(),
      so every output element gets a distinct, nonzero gradient;
    - "grad.<name>" is d(loss)/d(<name>) for each input and parameter.

Adding a fixture
    Write one function that builds the tensors and calls
    save(name, description, config, tensors, ints), then decorate it with
    @fixture. Keep every file under ~100 KB.
"""

import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file as save_safetensors

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "Tests", "TorchletTests", "Fixtures")

FIXTURES = []  # (name, function), in definition order


def fixture(fn):
    """Registers a fixture function; its name (without 'fix_') is the fixture name."""
    FIXTURES.append((fn.__name__[len("fix_"):], fn))
    return fn


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------

def _float_entry(t):
    t = t.detach().to(torch.float32).contiguous()
    data = t.reshape(-1).tolist()
    for x in data:
        if not math.isfinite(x):
            raise ValueError("non-finite value in fixture tensor")
    return {"shape": list(t.shape), "data": data}


def _int_entry(t):
    if not torch.is_tensor(t):
        t = torch.tensor(t, dtype=torch.int64)
    t = t.detach().to(torch.int64).contiguous()
    return {"shape": list(t.shape), "data": [int(x) for x in t.reshape(-1).tolist()]}


def save(name, description, config, tensors, ints=None):
    """Writes Tests/TorchletTests/Fixtures/<name>.json.

    tensors: {key: float tensor}; ints: {key: integer tensor or nested list}.
    Keys keep their insertion order. Each tensor is written on one line.
    """
    for k, v in config.items():
        if not isinstance(v, (bool, int, float, str)):
            raise TypeError(f"{name}: config[{k!r}] must be int/float/bool/str")
    lines = ["{"]
    lines.append(f'  "name": {json.dumps(name)},')
    lines.append(f'  "torch": {json.dumps(torch.__version__)},')
    lines.append(f'  "description": {json.dumps(description)},')
    lines.append(f'  "config": {json.dumps(config, allow_nan=False)},')

    def block(title, entries, last):
        lines.append(f'  "{title}": {{')
        items = list(entries.items())
        for i, (k, v) in enumerate(items):
            comma = "," if i < len(items) - 1 else ""
            lines.append(f"    {json.dumps(k)}: {json.dumps(v, allow_nan=False)}{comma}")
        lines.append("  }" + ("" if last else ","))

    block("tensors", {k: _float_entry(v) for k, v in tensors.items()}, last=False)
    block("ints", {k: _int_entry(v) for k, v in (ints or {}).items()}, last=True)
    lines.append("}")
    text = "\n".join(lines) + "\n"
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, name + ".json")
    with open(path, "w") as f:
        f.write(text)
    print(f"{name:28s} {len(text):7d} bytes  {len(tensors)} tensors, {len(ints or {})} int tensors")


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def weighted_loss(outputs):
    """outputs: {name: tensor}. Returns (loss, {"weight.<name>": w}) with
    loss = sum_name (outputs[name] * w_name).sum() and w ~ N(0, 1)."""
    weights = {}
    loss = 0
    for k, v in outputs.items():
        w = torch.randn(v.shape)
        weights["weight." + k] = w
        loss = loss + (v * w).sum()
    return loss, weights


def leaf(t):
    return t.detach().clone().requires_grad_(True)


def module_fixture(name, description, config, module, inputs, run):
    """Generic fixture for a module.

    inputs: {name: leaf tensor requiring grad}, run(module, inputs) -> {output name: tensor}.
    Saves inputs, the module's parameters, outputs, loss weights and grads.
    """
    outputs = run(module, inputs)
    loss, weights = weighted_loss(outputs)
    loss.backward()
    tensors = {}
    tensors.update({k: v for k, v in inputs.items()})
    params = dict(module.named_parameters())
    tensors.update(params)
    tensors.update(outputs)
    tensors.update(weights)
    tensors["loss"] = loss
    for k, v in inputs.items():
        tensors["grad." + k] = v.grad
    for k, v in params.items():
        tensors["grad." + k] = v.grad
    save(name, description, config, tensors)


# --------------------------------------------------------------------------
# LSTM
# --------------------------------------------------------------------------

def weighted(*outs):
    """Describes the loss built by weighted_loss for the named outputs."""
    terms = " + ".join(f"({o} * weight.{o}).sum()" for o in outs)
    return f"loss = {terms}; grad.K = d loss / d K"


@fixture
def fix_lstm_cell():
    torch.manual_seed(1)
    cell = nn.LSTMCell(3, 4)
    inputs = {"input": leaf(torch.randn(2, 3)),
              "h0": leaf(torch.randn(2, 4)),
              "c0": leaf(torch.randn(2, 4))}

    def run(m, i):
        h1, c1 = m(i["input"], (i["h0"], i["c0"]))
        return {"h1": h1, "c1": c1}

    module_fixture(
        "lstm_cell",
        "nn.LSTMCell(input_size=3, hidden_size=4), batch 2, (h1, c1) = cell(input, (h0, c0)); "
        "gate order i, f, g, o; " + weighted('h1', 'c1'),
        {"inputSize": 3, "hiddenSize": 4, "batch": 2, "bias": True},
        cell, inputs, run)


@fixture
def fix_gru_cell_exercise():
    torch.manual_seed(9)
    cell = nn.GRUCell(3, 4)
    inputs = {"input": leaf(torch.randn(2, 3)),
              "h0": leaf(torch.randn(2, 4))}

    def run(m, i):
        return {"h1": m(i["input"], i["h0"])}

    module_fixture(
        "gru_cell_exercise",
        "nn.GRUCell(input_size=3, hidden_size=4), batch 2, h1 = cell(input, h0); gate order r, z, n; "
        "n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), h1 = (1 - z) * n + z * h0; " + weighted('h1'),
        {"inputSize": 3, "hiddenSize": 4, "batch": 2, "bias": True},
        cell, inputs, run)


GRU_FORMULA = ("gate order r, z, n; n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), "
               "h' = (1 - z) * n + z * h")


def rnn_call(kind, module, x, state):
    """Runs nn.LSTM or nn.GRU on x (a tensor or a PackedSequence) from the
    initial state given as a list ([h0, c0] or [h0]; [] for zeros) and
    returns (output, [h_n, c_n] or [h_n])."""
    if kind == "LSTM":
        out, (h, c) = module(x, tuple(state)) if state else module(x)
        return out, [h, c]
    out, h = module(x, state[0]) if state else module(x)
    return out, [h]


def rnn_state_names(kind):
    return ["h0", "c0"] if kind == "LSTM" else ["h0"]


def rnn_final_names(kind):
    return ["h_n", "c_n"] if kind == "LSTM" else ["h_n"]


def rnn_fixture(kind, name, seed, num_layers=1, bidirectional=False, batch_first=False,
                initial_state=False, seq=5, batch=2, input_size=3, hidden_size=4):
    """A dense nn.LSTM or nn.GRU fixture (kind "LSTM" or "GRU")."""
    torch.manual_seed(seed)
    rnn = getattr(nn, kind)(input_size, hidden_size, num_layers=num_layers,
                            bidirectional=bidirectional, batch_first=batch_first, dropout=0.0)
    d = 2 if bidirectional else 1
    shape = (batch, seq, input_size) if batch_first else (seq, batch, input_size)
    inputs = {"input": leaf(torch.randn(*shape))}
    if initial_state:
        for k in rnn_state_names(kind):
            inputs[k] = leaf(torch.randn(num_layers * d, batch, hidden_size))
    state_names = rnn_state_names(kind) if initial_state else []
    finals = rnn_final_names(kind)

    def run(m, i):
        out, final = rnn_call(kind, m, i["input"], [i[k] for k in state_names])
        return {"output": out, **dict(zip(finals, final))}

    layout = "[batch, seq, feature]" if batch_first else "[seq, batch, feature]"
    given = "(h0, c0)" if kind == "LSTM" else "h0"
    state = f"initial state {given} given, shape [numLayers*numDirections, batch, hidden]" \
        if initial_state else "no initial state (zeros)"
    formula = "" if kind == "LSTM" else GRU_FORMULA + "; "
    final_shapes = "h_n, c_n are" if kind == "LSTM" else "h_n is"
    desc = (f"nn.{kind}(input_size={input_size}, hidden_size={hidden_size}, num_layers={num_layers}, "
            f"bidirectional={bidirectional}, batch_first={batch_first}, dropout=0), seq {seq}, batch {batch}; "
            f"{formula}input and output are {layout}; {final_shapes} [numLayers*numDirections, batch, hidden] "
            f"(index layer*numDirections + direction, never batch-first); {state}; "
            + weighted('output', *finals))
    config = {"inputSize": input_size, "hiddenSize": hidden_size, "numLayers": num_layers,
              "bidirectional": bidirectional, "batchFirst": batch_first, "dropout": 0.0,
              "seqLen": seq, "batch": batch, "initialState": initial_state}
    module_fixture(name, desc, config, rnn, inputs, run)


def lstm_fixture(name, seed, **options):
    rnn_fixture("LSTM", name, seed, **options)


@fixture
def fix_lstm_1layer():
    lstm_fixture("lstm_1layer", seed=2)


@fixture
def fix_lstm_1layer_state():
    lstm_fixture("lstm_1layer_state", seed=3, initial_state=True)


@fixture
def fix_lstm_2layer():
    lstm_fixture("lstm_2layer", seed=4, num_layers=2)


@fixture
def fix_lstm_bidirectional():
    lstm_fixture("lstm_bidirectional", seed=5, bidirectional=True)


@fixture
def fix_lstm_2layer_bidirectional():
    lstm_fixture("lstm_2layer_bidirectional", seed=6, num_layers=2, bidirectional=True)


@fixture
def fix_lstm_batch_first():
    lstm_fixture("lstm_batch_first", seed=7, batch_first=True, initial_state=True)


# --------------------------------------------------------------------------
# Linear, Embedding
# --------------------------------------------------------------------------

def linear_fixture(name, seed, input_shape):
    torch.manual_seed(seed)
    lin = nn.Linear(3, 5)
    inputs = {"input": leaf(torch.randn(*input_shape))}
    module_fixture(
        name,
        f"nn.Linear(in_features=3, out_features=5) on input {list(input_shape)}; "
        "output = input @ weight^T + bias; " + weighted('output'),
        {"inFeatures": 3, "outFeatures": 5, "bias": True},
        lin, inputs, lambda m, i: {"output": m(i["input"])})


@fixture
def fix_linear():
    linear_fixture("linear", seed=10, input_shape=(4, 3))


@fixture
def fix_linear_3d():
    linear_fixture("linear_3d", seed=11, input_shape=(2, 4, 3))


@fixture
def fix_embedding_padding():
    torch.manual_seed(12)
    emb = nn.Embedding(10, 4, padding_idx=0)
    idx = torch.tensor([[0, 3, 5, 0], [2, 0, 9, 3]])
    out = emb(idx)
    loss, weights = weighted_loss({"output": out})
    loss.backward()
    assert emb.weight.grad[0].abs().sum().item() == 0.0
    tensors = {"weight": emb.weight, "output": out, **weights, "loss": loss,
               "grad.weight": emb.weight.grad}
    save("embedding_padding",
         "nn.Embedding(num_embeddings=10, embedding_dim=4, padding_idx=0); ints.input [2, 4] indices; "
         "output [2, 4, 4]; weight row 0 is zero at init and its gradient is zero; "
         "index 3 appears twice so its gradient row accumulates; " + weighted('output'),
         {"numEmbeddings": 10, "embeddingDim": 4, "paddingIdx": 0},
         tensors, {"input": idx})


def conv1d_fixture(name, seed, in_channels, out_channels, kernel_size, padding, input_shape):
    torch.manual_seed(seed)
    conv = nn.Conv1d(in_channels, out_channels, kernel_size, padding=padding)
    fan_in, _ = nn.init._calculate_fan_in_and_fan_out(conv.weight)
    gain = nn.init.calculate_gain("leaky_relu", math.sqrt(5))
    inputs = {"input": leaf(torch.randn(*input_shape))}
    module_fixture(
        name,
        f"nn.Conv1d({in_channels}, {out_channels}, kernel_size={kernel_size}, padding={padding}) on input "
        f"{list(input_shape)} [B, C_in, L]; output [B, C_out, L_out]; initBound is the default init's bound "
        "math.sqrt(3) * calculate_gain('leaky_relu', math.sqrt(5)) / math.sqrt(fan_in); " + weighted('output'),
        {"inChannels": in_channels, "outChannels": out_channels, "kernelSize": kernel_size, "padding": padding,
         "initBound": math.sqrt(3) * gain / math.sqrt(fan_in)},
        conv, inputs, lambda m, i: {"output": m(i["input"])})


@fixture
def fix_conv1d():
    conv1d_fixture("conv1d", seed=13, in_channels=3, out_channels=4, kernel_size=3, padding=1, input_shape=(2, 3, 5))


@fixture
def fix_conv1d_no_padding():
    conv1d_fixture("conv1d_no_padding", seed=14, in_channels=2, out_channels=3, kernel_size=2, padding=0,
                   input_shape=(3, 2, 4))


# --------------------------------------------------------------------------
# Losses
# --------------------------------------------------------------------------

def cross_entropy_fixture(name, seed, reduction, ignore_index, target):
    torch.manual_seed(seed)
    logits = leaf(torch.randn(6, 5) * 2)
    target = torch.tensor(target)
    out = F.cross_entropy(logits, target, reduction=reduction, ignore_index=ignore_index)
    tensors = {"logits": logits, "output": out}
    if reduction == "none":
        loss, weights = weighted_loss({"output": out})
        tensors.update(weights)
        how = "output has shape [6] (0 at ignored positions); " + weighted('output')
    else:
        loss = out
        how = ("output has shape [] and loss = output; "
               + ("mean divides by the number of non-ignored targets"
                  if reduction == "mean" else "sum over non-ignored targets"))
    loss.backward()
    tensors["loss"] = loss
    tensors["grad.logits"] = logits.grad
    save(name,
         f"F.cross_entropy(logits [6, 5], ints.target [6], reduction='{reduction}', "
         f"ignore_index={ignore_index}); {how}; grad.logits = d loss / d logits (zero rows at ignored targets)",
         {"reduction": reduction, "ignoreIndex": ignore_index, "numClasses": 5},
         tensors, {"target": target})


CE_TARGET = [1, -100, 4, 0, -100, 2]


@fixture
def fix_cross_entropy_mean():
    cross_entropy_fixture("cross_entropy_mean", 20, "mean", -100, CE_TARGET)


@fixture
def fix_cross_entropy_sum():
    cross_entropy_fixture("cross_entropy_sum", 21, "sum", -100, CE_TARGET)


@fixture
def fix_cross_entropy_none():
    cross_entropy_fixture("cross_entropy_none", 22, "none", -100, CE_TARGET)


@fixture
def fix_cross_entropy_ignore_pad():
    # Padded tag sequences: class 0 is the padding tag and is ignored.
    cross_entropy_fixture("cross_entropy_ignore_pad", 23, "mean", 0, [3, 1, 0, 4, 2, 0])


@fixture
def fix_nll_loss_mean():
    torch.manual_seed(24)
    logits = leaf(torch.randn(6, 5) * 2)
    target = torch.tensor(CE_TARGET)
    log_probs = F.log_softmax(logits, dim=1)
    out = F.nll_loss(log_probs, target, reduction="mean", ignore_index=-100)
    out.backward()
    save("nll_loss_mean",
         "log_probs = F.log_softmax(logits [6, 5], dim=1); output = F.nll_loss(log_probs, ints.target, "
         "reduction='mean', ignore_index=-100), shape []; loss = output; grad.logits = d loss / d logits",
         {"reduction": "mean", "ignoreIndex": -100, "numClasses": 5},
         {"logits": logits, "log_probs": log_probs, "output": out, "loss": out,
          "grad.logits": logits.grad},
         {"target": target})


# --------------------------------------------------------------------------
# Softmax
# --------------------------------------------------------------------------

def softmax_input():
    torch.manual_seed(30)
    x = torch.randn(3, 5)
    x[0] = torch.tensor([1000.0, -1000.0, 999.0, 0.5, -3.0])  # huge logits: needs max-shift
    x[1] = 0.0  # all equal
    return x


def softmax_fixture(name, fn, dim):
    x = leaf(softmax_input())
    torch.manual_seed(31 + dim)
    out = getattr(F, fn)(x, dim=dim)
    loss, weights = weighted_loss({"output": out})
    loss.backward()
    save(name,
         f"output = F.{fn}(input [3, 5], dim={dim}); input row 0 has logits +-1000, row 1 is all 0; "
         + weighted('output'),
         {"dim": dim},
         {"input": x, "output": out, **weights, "loss": loss, "grad.input": x.grad})


@fixture
def fix_log_softmax():
    softmax_fixture("log_softmax", "log_softmax", 1)


@fixture
def fix_softmax():
    softmax_fixture("softmax", "softmax", 1)


@fixture
def fix_log_softmax_dim0():
    softmax_fixture("log_softmax_dim0", "log_softmax", 0)


@fixture
def fix_softmax_dim0():
    softmax_fixture("softmax_dim0", "softmax", 0)


# --------------------------------------------------------------------------
# Binary cross-entropy with logits
# --------------------------------------------------------------------------

def bce_fixture(name, seed, reduction, with_pos_weight):
    torch.manual_seed(seed)
    logits = torch.randn(4, 3) * 3
    logits[0] = torch.tensor([30.0, -30.0, 0.0])  # confident and undecided: sigmoid-then-log would give inf
    logits = leaf(logits)
    targets = torch.tensor([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [0.0, 0.3, 1.0], [1.0, 1.0, 0.0]])
    targets = leaf(targets)  # 0.3 is a soft label; PyTorch differentiates w.r.t. targets too
    pos_weight = torch.tensor([2.0, 0.5, 3.0]) if with_pos_weight else None  # a constant: PyTorch gives it no gradient
    out = F.binary_cross_entropy_with_logits(logits, targets, reduction=reduction, pos_weight=pos_weight)
    tensors = {"logits": logits, "targets": targets}
    if pos_weight is not None:
        tensors["pos_weight"] = pos_weight
    tensors["output"] = out
    if reduction == "none":
        loss, weights = weighted_loss({"output": out})
        tensors.update(weights)
        how = "output has shape [4, 3]; " + weighted('output')
    else:
        loss = out
        how = "output has shape [] and loss = output; grad.K = d loss / d K"
    loss.backward()
    tensors["loss"] = loss
    tensors["grad.logits"] = logits.grad
    tensors["grad.targets"] = targets.grad
    pw = ", pos_weight=pos_weight [3]" if with_pos_weight else ""
    save(name,
         f"F.binary_cross_entropy_with_logits(logits [4, 3], targets [4, 3], reduction='{reduction}'{pw}); "
         f"logits row 0 is [30, -30, 0]; targets hold a soft label 0.3; {how}",
         {"reduction": reduction, "posWeight": with_pos_weight},
         tensors)


@fixture
def fix_bce_with_logits_mean():
    bce_fixture("bce_with_logits_mean", 40, "mean", False)


@fixture
def fix_bce_with_logits_sum():
    bce_fixture("bce_with_logits_sum", 41, "sum", False)


@fixture
def fix_bce_with_logits_none():
    bce_fixture("bce_with_logits_none", 42, "none", False)


@fixture
def fix_bce_with_logits_pos_weight():
    bce_fixture("bce_with_logits_pos_weight", 43, "mean", True)


# --------------------------------------------------------------------------
# Masked softmax and masked max pooling
# --------------------------------------------------------------------------

def length_mask(lengths, steps):
    """1 at t < lengths[b], shape [B, T] (float)."""
    return (torch.arange(steps)[None, :] < torch.tensor(lengths)[:, None]).float()


def masked_softmax_fixture(name, seed, scores, mask, dim, what):
    torch.manual_seed(seed)
    x = leaf(scores)
    out = x.masked_fill(mask == 0, float("-inf")).softmax(dim)
    loss, weights = weighted_loss({"output": out})
    loss.backward()
    save(name,
         f"output = scores.masked_fill(mask == 0, -inf).softmax({dim}); {what}; every slice has a valid "
         f"position; " + weighted('output') + " (0 at padding)",
         {"dim": dim},
         {"scores": x, "mask": mask, "output": out, **weights, "loss": loss, "grad.scores": x.grad})


@fixture
def fix_masked_softmax():
    torch.manual_seed(50)
    lengths = [6, 3, 1, 4]
    mask = length_mask(lengths, 6)
    scores = torch.randn(4, 6) * 2
    scores[0] = torch.tensor([1000.0, -1000.0, 999.0, 0.5, -3.0, 2.0])  # needs the max shift
    scores[1, 3:] = 1e4  # huge padding scores must not matter
    masked_softmax_fixture("masked_softmax", 51, scores, mask, 1,
                           f"scores [B 4, T 6], mask [4, 6] = arange(6) < lengths {lengths} (ints.lengths); "
                           "scores row 0 has logits +-1000, row 1 has 1e4 at its padding")


@fixture
def fix_masked_softmax_broadcast():
    torch.manual_seed(52)
    scores = torch.randn(2, 3, 5)
    mask = length_mask([5, 2], 5).view(2, 1, 5)
    masked_softmax_fixture("masked_softmax_broadcast", 53, scores, mask, -1,
                           "scores [B 2, Q 3, T 5], mask [2, 1, 5] from lengths [5, 2], broadcast over Q")


@fixture
def fix_masked_softmax_dim0():
    torch.manual_seed(54)
    scores = torch.randn(5, 3)
    mask = length_mask([2, 5, 1], 5).t().contiguous()
    masked_softmax_fixture("masked_softmax_dim0", 55, scores, mask, 0,
                           "time-first scores [T 5, B 3], mask [5, 3] from lengths [2, 5, 1]")


def masked_max_fixture(name, seed, batch_first):
    torch.manual_seed(seed)
    lengths = [5, 2, 4, 1]
    B, T, H = 4, 5, 3
    values = -torch.rand(B, T, H) * 2 - 0.5  # every real value negative
    values[0, :, 1] += 3  # one positive feature somewhere
    mask = length_mask(lengths, T)
    values = values.masked_fill(mask[:, :, None] == 0, 5.0)  # positive padding: must never win
    mask = mask[:, :, None]
    dim = 1
    if not batch_first:
        values = values.transpose(0, 1).contiguous()
        mask = mask.transpose(0, 1).contiguous()
        dim = 0
    x = leaf(values)
    out = x.masked_fill(mask == 0, float("-inf")).max(dim).values
    loss, weights = weighted_loss({"output": out})
    loss.backward()
    layout = "[B 4, T 5, H 3]" if batch_first else "[T 5, B 4, H 3]"
    mask_layout = "[4, 5, 1]" if batch_first else "[5, 4, 1]"
    save(name,
         f"output = values.masked_fill(mask == 0, -inf).max({dim}).values; values {layout} are negative at "
         f"real steps (one feature of sequence 0 positive) and +5 at padding; mask {mask_layout} from "
         f"lengths {lengths} (ints.lengths); " + weighted('output') + " (gradient only at each argmax)",
         {"dim": dim, "batchFirst": batch_first},
         {"values": x, "mask": mask, "output": out, **weights, "loss": loss, "grad.values": x.grad},
         {"lengths": lengths})


@fixture
def fix_masked_max():
    masked_max_fixture("masked_max", 56, True)


@fixture
def fix_masked_max_time_first():
    masked_max_fixture("masked_max_time_first", 57, False)


# --------------------------------------------------------------------------
# Gather: the last valid output of each sequence
# --------------------------------------------------------------------------

def gather_last_fixture(name, seed, batch_first):
    torch.manual_seed(seed)
    lengths = torch.tensor([5, 2, 4, 1])
    B, T, H = 4, 5, 3
    if batch_first:
        output = leaf(torch.randn(B, T, H))
        index = (lengths - 1).view(B, 1, 1).expand(B, 1, H)
        last = output.gather(1, index)
        how = "output [B 4, T 5, H 3]; index = (lengths - 1).view(B, 1, 1).expand(B, 1, H); last = output.gather(1, index) [4, 1, 3]"
    else:
        output = leaf(torch.randn(T, B, H))
        index = (lengths - 1).view(1, B, 1).expand(1, B, H)
        last = output.gather(0, index)
        how = "output [T 5, B 4, H 3]; index = (lengths - 1).view(1, B, 1).expand(1, B, H); last = output.gather(0, index) [1, 4, 3]"
    loss, weights = weighted_loss({"last": last})
    loss.backward()
    save(name,
         f"The last valid output of each sequence: {how}; lengths {lengths.tolist()} (ints.lengths, "
         "ints.index); " + weighted('last'),
         {"dim": 1 if batch_first else 0, "batchFirst": batch_first},
         {"output": output, "last": last, **weights, "loss": loss, "grad.output": output.grad},
         {"lengths": lengths, "index": index})


@fixture
def fix_gather_last_valid_batch_first():
    gather_last_fixture("gather_last_valid_batch_first", 58, True)


@fixture
def fix_gather_last_valid_time_first():
    gather_last_fixture("gather_last_valid_time_first", 59, False)


# --------------------------------------------------------------------------
# Optimizers
# --------------------------------------------------------------------------

STEPS = 3


def optimizer_fixture(name, seed, make_opt, desc, config, steps=STEPS):
    torch.manual_seed(seed)
    lin = nn.Linear(3, 2)
    x = torch.randn(4, 3)
    y = torch.randn(4, 2)
    tensors = {"input": x, "target": y}
    tensors.update({k: v.detach().clone() for k, v in lin.state_dict().items()})
    opt = make_opt(lin.parameters())
    for step in range(steps):
        opt.zero_grad()
        loss = ((lin(x) - y) ** 2).mean()
        loss.backward()
        tensors[f"loss{step}"] = loss.detach().clone()
        for k, p in lin.named_parameters():
            tensors[f"grad{step}.{k}"] = p.grad.detach().clone()
        opt.step()
        for k, p in lin.named_parameters():
            tensors[f"step{step + 1}.{k}"] = p.detach().clone()
    save(name,
         f"nn.Linear(3, 2) with initial params 'weight', 'bias'; input [4, 3], target [4, 2]; "
         f"{steps} steps of: zero_grad, lossK = ((linear(input) - target)**2).mean() (shape []), "
         f"backward (gradK.weight, gradK.bias), {desc}.step() -> stepK+1.weight, stepK+1.bias",
         dict(config, steps=steps), tensors)


def sgd(name, seed, weight_decay):
    optimizer_fixture(
        name, seed,
        lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.0,
                                   weight_decay=weight_decay, nesterov=False, foreach=False),
        f"torch.optim.SGD(lr=0.1, momentum=0.9, dampening=0, weight_decay={weight_decay}, nesterov=False) "
        "[g = grad + wd*p; buf = g on the first step else 0.9*buf + g; p -= lr*buf]; opt",
        {"lr": 0.1, "momentum": 0.9, "dampening": 0.0, "weightDecay": weight_decay, "nesterov": False})


@fixture
def fix_sgd_momentum():
    sgd("sgd_momentum", 40, 0.0)


@fixture
def fix_sgd_momentum_wd():
    sgd("sgd_momentum_wd", 41, 0.01)


def adam(name, seed, weight_decay):
    optimizer_fixture(
        name, seed,
        lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8,
                                    weight_decay=weight_decay, amsgrad=False, foreach=False),
        f"torch.optim.Adam(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay={weight_decay}, amsgrad=False) "
        "[L2: g = grad + wd*p; m = b1*m + (1-b1)*g; v = b2*v + (1-b2)*g^2; t = step number from 1; "
        "p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)]; opt",
        {"lr": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weightDecay": weight_decay,
         "amsgrad": False})


@fixture
def fix_adam():
    adam("adam", 50, 0.0)


@fixture
def fix_adam_wd():
    adam("adam_wd", 51, 0.01)


def sgd_general(name, seed, momentum, dampening, weight_decay, nesterov, steps):
    optimizer_fixture(
        name, seed,
        lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=momentum, dampening=dampening,
                                   weight_decay=weight_decay, nesterov=nesterov, foreach=False),
        f"torch.optim.SGD(lr=0.1, momentum={momentum}, dampening={dampening}, weight_decay={weight_decay}, "
        f"nesterov={nesterov}) [g = grad + wd*p; buf = g on the first step else momentum*buf + (1-dampening)*g; "
        "g = g + momentum*buf if nesterov else buf; p -= lr*g]; opt",
        {"lr": 0.1, "momentum": momentum, "dampening": dampening, "weightDecay": weight_decay,
         "nesterov": nesterov},
        steps)


@fixture
def fix_sgd_nesterov():
    sgd_general("sgd_nesterov", 42, 0.9, 0.0, 0.0, True, 3)


@fixture
def fix_sgd_nesterov_wd():
    sgd_general("sgd_nesterov_wd", 43, 0.9, 0.0, 0.05, True, 6)


@fixture
def fix_sgd_dampening():
    sgd_general("sgd_dampening", 44, 0.8, 0.3, 0.01, False, 5)


def adamw(name, seed, lr, weight_decay, steps):
    optimizer_fixture(
        name, seed,
        lambda ps: torch.optim.AdamW(ps, lr=lr, betas=(0.9, 0.999), eps=1e-8,
                                     weight_decay=weight_decay, amsgrad=False, foreach=False),
        f"torch.optim.AdamW(lr={lr}, betas=(0.9, 0.999), eps=1e-8, weight_decay={weight_decay}, amsgrad=False) "
        "[decoupled: p *= 1 - lr*wd; then m = b1*m + (1-b1)*grad; v = b2*v + (1-b2)*grad^2; t = step number "
        "from 1; p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)]; opt",
        {"lr": lr, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weightDecay": weight_decay,
         "amsgrad": False},
        steps)


@fixture
def fix_adamw():
    adamw("adamw", 52, 0.01, 0.01, 5)


@fixture
def fix_adamw_strong_decay():
    adamw("adamw_strong_decay", 53, 0.05, 0.2, 6)


# --------------------------------------------------------------------------
# Gradient clipping
# --------------------------------------------------------------------------

CLIP_SHAPES = {"a": (3, 4), "b": (5,), "c": (2, 2, 3), "no_grad": (2,)}


def clip_grads(seed, scale):
    """Parameters a, b, c with random gradients (times scale) and no_grad without one."""
    torch.manual_seed(seed)
    params = {k: torch.zeros(s, requires_grad=True) for k, s in CLIP_SHAPES.items()}
    for k, p in params.items():
        if k != "no_grad":
            p.grad = torch.randn(p.shape) * scale
    return params


@fixture
def fix_clip_grad_norm():
    # (case, seed, gradient scale, max_norm, norm_type): above and below the
    # threshold for the 2-norm, the infinity norm, and a 3-norm.
    cases = [("above", 70, 1.0, 1.5, 2.0), ("below", 71, 0.1, 5.0, 2.0),
             ("inf", 72, 1.0, 0.5, math.inf), ("p3", 73, 1.0, 1.0, 3.0)]
    tensors = {}
    config = {"cases": ",".join(c[0] for c in cases), "parameters": ",".join(CLIP_SHAPES)}
    for case, seed, scale, max_norm, norm_type in cases:
        params = clip_grads(seed, scale)
        for k, p in params.items():
            if p.grad is not None:
                tensors[f"{case}.grad.{k}"] = p.grad.clone()
        total = torch.nn.utils.clip_grad_norm_(list(params.values()), max_norm, norm_type=norm_type, foreach=False)
        tensors[f"{case}.total_norm"] = total
        for k, p in params.items():
            if p.grad is not None:
                tensors[f"{case}.clipped.{k}"] = p.grad.clone()
        assert params["no_grad"].grad is None
        config[f"{case}.max_norm"] = max_norm
        config[f"{case}.norm_type"] = "inf" if math.isinf(norm_type) else norm_type
        config[f"{case}.clips"] = bool(total.item() > max_norm)
    save("clip_grad_norm",
         "for each case: parameters a [3, 4], b [5], c [2, 2, 3] with <case>.grad.<p> = randn * scale, and "
         "no_grad [2] without a gradient; <case>.total_norm = torch.nn.utils.clip_grad_norm_(params, max_norm, "
         "norm_type, foreach=False) (the norm before clipping); <case>.clipped.<p> = the gradients after",
         config, tensors)


@fixture
def fix_clip_grad_value():
    params = clip_grads(74, 1.0)
    tensors = {f"grad.{k}": p.grad.clone() for k, p in params.items() if p.grad is not None}
    torch.nn.utils.clip_grad_value_(list(params.values()), 0.5, foreach=False)
    tensors.update({f"clipped.{k}": p.grad.clone() for k, p in params.items() if p.grad is not None})
    assert params["no_grad"].grad is None
    save("clip_grad_value",
         "parameters a [3, 4], b [5], c [2, 2, 3] with grad.<p> = randn, no_grad [2] without a gradient; "
         "clipped.<p> = the gradients after torch.nn.utils.clip_grad_value_(params, clip_value, foreach=False)",
         {"clipValue": 0.5, "parameters": ",".join(CLIP_SHAPES)}, tensors)


# --------------------------------------------------------------------------
# Learning-rate schedulers
# --------------------------------------------------------------------------

def lr_trace(scheduler, optimizer, steps):
    """The learning rate after construction (epoch 0) and after each of `steps` scheduler steps."""
    lrs = [optimizer.param_groups[0]["lr"]]
    for _ in range(steps):
        optimizer.step()
        scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    return torch.tensor(lrs, dtype=torch.float64)


def one_parameter_sgd(lr):
    return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)


@fixture
def fix_step_lr():
    opt = one_parameter_sgd(0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    lrs = lr_trace(sched, opt, 20)
    save("step_lr",
         "torch.optim.lr_scheduler.StepLR(SGD(lr=0.1), step_size=3, gamma=0.5); lr[e] = the optimizer's lr "
         "after construction (e = 0) and after each optimizer.step(); scheduler.step() (e = 1...20)",
         {"lr": 0.1, "stepSize": 3, "gamma": 0.5, "steps": 20}, {"lr": lrs})


def plateau_metrics(seed, mode):
    """40 float32 metric values: improvement, noisy plateaus, exact repeats of the best, and improvements
    too small to count (within the threshold)."""
    g = torch.Generator().manual_seed(seed)
    sign = 1.0 if mode == "min" else -1.0
    values = []
    level = 1.0
    for t in range(40):
        phase = (t // 8) % 2
        if phase == 0:
            level *= 0.9  # a real improvement
            v = level
        else:
            v = level * (1 + 0.05 * torch.rand(1, generator=g).item())  # worse, noisy
        if t % 11 == 10:
            v = level  # an exact repeat of the best: not better
        if t % 13 == 12:
            v = level * (1 - 0.002)  # better, but within a 1% relative threshold
        values.append(sign * v + (0.0 if mode == "min" else 2.0))
    return torch.tensor(values, dtype=torch.float32)


def plateau_fixture(name, seed, lr, mode, threshold, threshold_mode, patience, cooldown, factor, min_lr):
    opt = one_parameter_sgd(lr)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(
        opt, mode=mode, factor=factor, patience=patience, threshold=threshold, threshold_mode=threshold_mode,
        cooldown=cooldown, min_lr=min_lr, eps=1e-8)
    metrics = plateau_metrics(seed, mode)
    lrs, best, bad, cool = [], [], [], []
    for m in metrics.tolist():
        # Torchlet compares in float32: no metric may sit within float32 rounding of the threshold.
        if not math.isinf(sched.best):
            if mode == "min":
                edge = sched.best * (1 - threshold) if threshold_mode == "rel" else sched.best - threshold
            else:
                edge = sched.best * (1 + threshold) if threshold_mode == "rel" else sched.best + threshold
            assert m == sched.best or abs(m - edge) > 1e-5 * abs(edge), (name, m, edge)
        opt.step()
        sched.step(m)
        lrs.append(opt.param_groups[0]["lr"])
        best.append(sched.best)
        bad.append(sched.num_bad_epochs)
        cool.append(sched.cooldown_counter)
    save(name,
         f"torch.optim.lr_scheduler.ReduceLROnPlateau(SGD(lr={lr}), mode={mode!r}, factor={factor}, "
         f"patience={patience}, threshold={threshold}, threshold_mode={threshold_mode!r}, cooldown={cooldown}, "
         f"min_lr={min_lr}, eps=1e-8); for each metric[e]: optimizer.step(); scheduler.step(metric[e]); then "
         "lr[e] = the optimizer's lr, best[e], num_bad_epochs[e], cooldown_counter[e]",
         {"lr": lr, "mode": mode, "factor": factor, "patience": patience, "threshold": threshold,
          "thresholdMode": threshold_mode, "cooldown": cooldown, "minLR": min_lr, "eps": 1e-8},
         {"metric": metrics, "lr": torch.tensor(lrs, dtype=torch.float64),
          "best": torch.tensor(best, dtype=torch.float64)},
         {"num_bad_epochs": bad, "cooldown_counter": cool})


@fixture
def fix_reduce_lr_on_plateau_min():
    plateau_fixture("reduce_lr_on_plateau_min", 80, 0.1, "min", 0.01, "rel",
                    patience=2, cooldown=2, factor=0.5, min_lr=0.02)


@fixture
def fix_reduce_lr_on_plateau_max_abs():
    # lr 1e-7 halves while the drop exceeds eps = 1e-8: 1e-7 -> 5e-8 -> 2.5e-8 -> 1.25e-8, then
    # 1.25e-8 - 6.25e-9 < eps and the lr stays.
    plateau_fixture("reduce_lr_on_plateau_max_abs", 81, 1e-7, "max", 0.01, "abs",
                    patience=1, cooldown=0, factor=0.5, min_lr=0.0)


def warmup_cosine_closed_form(base, t, warmup, total, start_factor, min_lr):
    """Torchlet's WarmupCosineLR: linear from start_factor * base to base over warmup steps, then cosine
    down to min_lr at total; min_lr after."""
    if t < warmup:
        return base * (start_factor + (1 - start_factor) * t / warmup)
    if t >= total:
        return min_lr
    return min_lr + (base - min_lr) * 0.5 * (1 + math.cos(math.pi * (t - warmup) / (total - warmup)))


@fixture
def fix_warmup_cosine():
    base, warmup, total, min_lr, start_factor = 0.1, 5, 20, 0.001, 0.1
    opt = one_parameter_sgd(base)
    sched = torch.optim.lr_scheduler.SequentialLR(
        opt,
        [torch.optim.lr_scheduler.LinearLR(opt, start_factor=start_factor, end_factor=1.0, total_iters=warmup),
         torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=total - warmup, eta_min=min_lr)],
        milestones=[warmup])
    sequential = lr_trace(sched, opt, total)
    # The same formula with start factor 0 (LinearLR refuses 0), through LambdaLR.
    opt = one_parameter_sgd(base)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda t: warmup_cosine_closed_form(base, t, warmup, total, 0.0, min_lr) / base)
    lambda_lr = lr_trace(sched, opt, total + 5)
    for t, lr in enumerate(sequential.tolist()):
        assert abs(lr - warmup_cosine_closed_form(base, t, warmup, total, start_factor, min_lr)) < 1e-9 * base
    save("warmup_cosine",
         f"lr_sequential[e]: SequentialLR(SGD(lr={base}), [LinearLR(start_factor={start_factor}, end_factor=1, "
         f"total_iters={warmup}), CosineAnnealingLR(T_max={total - warmup}, eta_min={min_lr})], "
         f"milestones=[{warmup}]), e = 0...{total}; lr_lambda[e]: LambdaLR(SGD(lr={base}), lambda e: f(e) / {base}) "
         f"with f(e) = {base} * e / {warmup} for e < {warmup}, {min_lr} + ({base} - {min_lr}) * (1 + "
         f"cos(pi * (e - {warmup}) / {total - warmup})) / 2 until {total}, {min_lr} after; e = 0...{total + 5}",
         {"lr": base, "warmupSteps": warmup, "totalSteps": total, "minLR": min_lr, "startFactor": start_factor},
         {"lr_sequential": sequential, "lr_lambda": lambda_lr})


# --------------------------------------------------------------------------
# Packing: pack_padded_sequence, pad_packed_sequence, packed LSTM
# --------------------------------------------------------------------------

from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: E402


def pack_fixture(name, seed, lengths, batch_first=False, enforce_sorted=True,
                 total_length=None, padding_value=0.0, feature=3):
    torch.manual_seed(seed)
    steps, batch = max(lengths), len(lengths)
    shape = (batch, steps, feature) if batch_first else (steps, batch, feature)
    x = leaf(torch.randn(*shape))
    packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first,
                                  enforce_sorted=enforce_sorted)
    padded, out_lengths = pad_packed_sequence(packed, batch_first=batch_first,
                                              padding_value=padding_value, total_length=total_length)
    outputs = {"data": packed.data, "padded": padded}
    loss, weights = weighted_loss(outputs)
    loss.backward()
    ints = {"lengths": lengths, "batch_sizes": packed.batch_sizes,
            "padded_lengths": out_lengths}
    if not enforce_sorted:
        ints["sorted_indices"] = packed.sorted_indices
        ints["unsorted_indices"] = packed.unsorted_indices
    layout = "[batch, seq, feature]" if batch_first else "[seq, batch, feature]"
    save(name,
         f"packed = pack_padded_sequence(input {layout} {list(shape)}, ints.lengths, batch_first={batch_first}, "
         f"enforce_sorted={enforce_sorted}); data = packed.data [N, feature]; ints.batch_sizes, "
         + ("ints.sorted_indices, ints.unsorted_indices; " if not enforce_sorted else "indices are None; ")
         + f"padded, ints.padded_lengths = pad_packed_sequence(packed, batch_first={batch_first}, "
         f"padding_value={padding_value}, total_length={total_length}); " + weighted('data', 'padded'),
         {"batchFirst": batch_first, "enforceSorted": enforce_sorted,
          "totalLength": total_length if total_length is not None else -1,
          "paddingValue": padding_value, "feature": feature},
         {"input": x, "data": packed.data, "padded": padded, **weights, "loss": loss,
          "grad.input": x.grad},
         ints)


@fixture
def fix_pack_padded_sorted():
    pack_fixture("pack_padded_sorted", 60, [5, 4, 4, 2, 1])


@fixture
def fix_pack_padded_unsorted():
    pack_fixture("pack_padded_unsorted", 61, [3, 5, 2, 4, 5, 1], enforce_sorted=False)


@fixture
def fix_pack_padded_batch_first():
    pack_fixture("pack_padded_batch_first", 62, [2, 4, 1, 4], batch_first=True, enforce_sorted=False)


@fixture
def fix_pack_padded_batch_first_sorted():
    pack_fixture("pack_padded_batch_first_sorted", 63, [4, 3, 3, 1], batch_first=True)


@fixture
def fix_pad_packed_total_length():
    pack_fixture("pad_packed_total_length", 64, [3, 5, 2, 4], enforce_sorted=False,
                 total_length=7, padding_value=-1.5)


@fixture
def fix_pad_packed_total_length_batch_first():
    pack_fixture("pad_packed_total_length_batch_first", 65, [3, 1, 2], batch_first=True,
                 enforce_sorted=False, total_length=6, padding_value=0.25)


def rnn_packed_fixture(kind, name, seed, lengths, num_layers=1, bidirectional=False,
                       initial_state=False, enforce_sorted=False, input_size=3, hidden_size=4):
    """An nn.LSTM or nn.GRU fixture on a packed batch (kind "LSTM" or "GRU")."""
    torch.manual_seed(seed)
    rnn = getattr(nn, kind)(input_size, hidden_size, num_layers=num_layers,
                            bidirectional=bidirectional, dropout=0.0)
    d = 2 if bidirectional else 1
    steps, batch = max(lengths), len(lengths)
    inputs = {"input": leaf(torch.randn(steps, batch, input_size))}
    if initial_state:
        for k in rnn_state_names(kind):
            inputs[k] = leaf(torch.randn(num_layers * d, batch, hidden_size))
    state_names = rnn_state_names(kind) if initial_state else []
    finals = rnn_final_names(kind)
    packed = pack_padded_sequence(inputs["input"], torch.tensor(lengths), enforce_sorted=enforce_sorted)
    out, final = rnn_call(kind, rnn, packed, [inputs[k] for k in state_names])
    output, _ = pad_packed_sequence(out)
    outputs = {"output": output, **dict(zip(finals, final))}
    loss, weights = weighted_loss(outputs)
    loss.backward()
    params = dict(rnn.named_parameters())
    tensors = dict(inputs)
    tensors.update(params)
    tensors["output_data"] = out.data
    tensors.update(outputs)
    tensors.update(weights)
    tensors["loss"] = loss
    for k, v in inputs.items():
        tensors["grad." + k] = v.grad
    for k, v in params.items():
        tensors["grad." + k] = v.grad
    ints = {"lengths": lengths, "batch_sizes": packed.batch_sizes}
    if not enforce_sorted:
        ints["sorted_indices"] = packed.sorted_indices
        ints["unsorted_indices"] = packed.unsorted_indices
    given = "(h0, c0)" if kind == "LSTM" else "h0"
    state = (f"initial state {given} given in the caller's batch order, [numLayers*numDirections, batch, hidden]"
             if initial_state else "no initial state (zeros)")
    formula = "" if kind == "LSTM" else GRU_FORMULA + "; "
    result = "(h_n, c_n)" if kind == "LSTM" else "h_n"
    final_names = "h_n, c_n" if kind == "LSTM" else "h_n"
    save(name,
         f"nn.{kind}(input_size={input_size}, hidden_size={hidden_size}, num_layers={num_layers}, "
         f"bidirectional={bidirectional}, dropout=0); {formula}packed = pack_padded_sequence(input "
         f"[seq, batch, feature] {[steps, batch, input_size]}, ints.lengths, enforce_sorted={enforce_sorted}); "
         f"out, {result} = {kind.lower()}(packed{', ' + given if initial_state else ''}); output_data = out.data; "
         f"output, _ = pad_packed_sequence(out) (zeros after each length); {final_names} in the caller's batch order; "
         f"{state}; " + weighted('output', *finals),
         {"inputSize": input_size, "hiddenSize": hidden_size, "numLayers": num_layers,
          "bidirectional": bidirectional, "dropout": 0.0, "seqLen": steps, "batch": batch,
          "initialState": initial_state, "enforceSorted": enforce_sorted},
         tensors, ints)


def lstm_packed_fixture(name, seed, lengths, **options):
    rnn_packed_fixture("LSTM", name, seed, lengths, **options)


@fixture
def fix_lstm_packed_1layer():
    lstm_packed_fixture("lstm_packed_1layer", 70, [3, 5, 2, 4])


@fixture
def fix_lstm_packed_2layer():
    lstm_packed_fixture("lstm_packed_2layer", 71, [3, 5, 2, 4], num_layers=2, initial_state=True)


@fixture
def fix_lstm_packed_bidirectional():
    lstm_packed_fixture("lstm_packed_bidirectional", 72, [3, 5, 2, 4], bidirectional=True, initial_state=True)


@fixture
def fix_lstm_packed_2layer_bidirectional():
    lstm_packed_fixture("lstm_packed_2layer_bidirectional", 73, [2, 4, 4, 1, 3], num_layers=2, bidirectional=True)


@fixture
def fix_lstm_packed_sorted():
    lstm_packed_fixture("lstm_packed_sorted", 74, [5, 4, 2, 2], initial_state=True, enforce_sorted=True)


# --------------------------------------------------------------------------
# GRU
# --------------------------------------------------------------------------

@fixture
def fix_gru_cell():
    torch.manual_seed(120)
    cell = nn.GRUCell(3, 4)
    inputs = {"input": leaf(torch.randn(2, 3)),
              "h0": leaf(torch.randn(2, 4))}

    def run(m, i):
        return {"h1": m(i["input"], i["h0"])}

    module_fixture(
        "gru_cell",
        "nn.GRUCell(input_size=3, hidden_size=4), batch 2, h1 = cell(input, h0); "
        + GRU_FORMULA + "; " + weighted('h1'),
        {"inputSize": 3, "hiddenSize": 4, "batch": 2, "bias": True},
        cell, inputs, run)


def gru_fixture(name, seed, **options):
    rnn_fixture("GRU", name, seed, **options)


@fixture
def fix_gru_1layer():
    gru_fixture("gru_1layer", seed=121)


@fixture
def fix_gru_1layer_state():
    gru_fixture("gru_1layer_state", seed=122, initial_state=True)


@fixture
def fix_gru_2layer():
    gru_fixture("gru_2layer", seed=123, num_layers=2)


@fixture
def fix_gru_bidirectional():
    gru_fixture("gru_bidirectional", seed=124, bidirectional=True)


@fixture
def fix_gru_2layer_bidirectional():
    gru_fixture("gru_2layer_bidirectional", seed=125, num_layers=2, bidirectional=True, initial_state=True)


@fixture
def fix_gru_batch_first():
    gru_fixture("gru_batch_first", seed=126, batch_first=True, initial_state=True)


def gru_packed_fixture(name, seed, lengths, **options):
    rnn_packed_fixture("GRU", name, seed, lengths, **options)


@fixture
def fix_gru_packed_1layer():
    gru_packed_fixture("gru_packed_1layer", 127, [3, 5, 2, 4], initial_state=True)


@fixture
def fix_gru_packed_2layer_bidirectional():
    gru_packed_fixture("gru_packed_2layer_bidirectional", 128, [2, 4, 4, 1, 3], num_layers=2,
                       bidirectional=True, initial_state=True)


# --------------------------------------------------------------------------
# State dicts in the safetensors format
# --------------------------------------------------------------------------

class Tagger(nn.Module):
    """Embedding -> LSTM -> Linear, with the submodule names Torchlet's test model uses."""

    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(7, 3)
        self.lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
        self.classifier = nn.Linear(8, 5)

    def forward(self, ids):
        out, _ = self.lstm(self.embedding(ids))
        return self.classifier(out)


def save_state_dict_file(name, state_dict, metadata=None):
    path = os.path.join(OUT_DIR, name + ".safetensors")
    save_safetensors({k: v.detach().contiguous() for k, v in state_dict.items()}, path, metadata=metadata)
    print(f"{name + '.safetensors':28s} {os.path.getsize(path):7d} bytes  {len(state_dict)} tensors")


@fixture
def fix_state_dict_tagger():
    torch.manual_seed(80)
    model = Tagger()
    ids = torch.tensor([[1, 4], [6, 0], [2, 2]])  # [seq 3, batch 2]
    with torch.no_grad():
        output = model(ids)
    state = model.state_dict()
    save_state_dict_file("state_dict_tagger", state, metadata={"format": "pt"})
    tensors = {k: v for k, v in state.items()}
    tensors["output"] = output
    save("state_dict_tagger",
         "Tagger = embedding nn.Embedding(7, 3), lstm nn.LSTM(3, 4, num_layers=2, bidirectional=True), "
         "classifier nn.Linear(8, 5); state_dict_tagger.safetensors = safetensors.torch.save_file("
         "model.state_dict(), metadata={'format': 'pt'}); the same parameters are here under their names; "
         "output = classifier(lstm(embedding(ints.ids))[0]) for ids [seq 3, batch 2], shape [3, 2, 5]",
         {"vocabulary": 7, "embeddingDim": 3, "hiddenSize": 4, "numLayers": 2, "bidirectional": True, "tags": 5},
         tensors, {"ids": ids})


@fixture
def fix_state_dict_float16():
    torch.manual_seed(81)
    linear = nn.Linear(3, 2).half()
    save_state_dict_file("state_dict_float16", linear.state_dict())


# --------------------------------------------------------------------------
# nn.init: the deterministic parts (random streams differ between PyTorch and
# Torchlet, so gains, fans, bounds and the QR of a given matrix are pinned)
# --------------------------------------------------------------------------

class _RecordInitDraws:
    """Records the arguments that torch.nn.init passes to Tensor.uniform_ and
    Tensor.normal_ (so a bound is PyTorch's own number, not a re-derived
    formula), and, when `gaussian` is given, replaces the N(0, 1) draw of
    init.orthogonal_ with that fixed matrix. It patches the two methods on
    torch.Tensor for the duration of a `with` block."""

    def __init__(self, gaussian=None):
        self.calls = []
        self.gaussian = gaussian

    def __enter__(self):
        self.saved = (torch.Tensor.uniform_, torch.Tensor.normal_)
        original_uniform, original_normal = self.saved

        def uniform_(t, low=0.0, high=1.0, generator=None):
            self.calls.append(("uniform", low, high))
            return original_uniform(t, low, high, generator=generator)

        def normal_(t, mean=0.0, std=1.0, generator=None):
            self.calls.append(("normal", mean, std))
            if self.gaussian is not None:
                return t.copy_(self.gaussian)
            return original_normal(t, mean, std, generator=generator)

        torch.Tensor.uniform_, torch.Tensor.normal_ = uniform_, normal_
        return self

    def __exit__(self, *exc):
        torch.Tensor.uniform_, torch.Tensor.normal_ = self.saved
        return False


INIT_SHAPES = [[3, 5], [5, 3], [16, 4], [8, 1], [4, 2, 3], [6, 3, 2, 2]]

# (key, function, kwargs, which recorded number: "high" bound of uniform_ or "std" of normal_)
INIT_CASES = [
    ("xavier_uniform", nn.init.xavier_uniform_, {}),
    ("xavier_uniform_tanh", nn.init.xavier_uniform_, {"gain": nn.init.calculate_gain("tanh")}),
    ("xavier_normal", nn.init.xavier_normal_, {}),
    ("xavier_normal_gain2", nn.init.xavier_normal_, {"gain": 2.0}),
    ("kaiming_uniform", nn.init.kaiming_uniform_, {}),
    ("kaiming_uniform_linear_default", nn.init.kaiming_uniform_, {"a": math.sqrt(5)}),
    ("kaiming_uniform_fan_out_relu", nn.init.kaiming_uniform_, {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_uniform_leaky_0.2_fan_out", nn.init.kaiming_uniform_, {"a": 0.2, "mode": "fan_out"}),
    ("kaiming_uniform_tanh", nn.init.kaiming_uniform_, {"nonlinearity": "tanh"}),
    ("kaiming_normal", nn.init.kaiming_normal_, {}),
    ("kaiming_normal_fan_out_relu", nn.init.kaiming_normal_, {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal_linear", nn.init.kaiming_normal_, {"nonlinearity": "linear"}),
]


@fixture
def fix_init_gain():
    cases = [("linear", None), ("conv1d", None), ("conv2d", None), ("conv3d", None),
             ("conv_transpose1d", None), ("conv_transpose2d", None), ("conv_transpose3d", None),
             ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None),
             ("leaky_relu", 0.0), ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)), ("selu", None),
             ("tanh", 0.5)]
    gains = [nn.init.calculate_gain(n, p) for n, p in cases]
    save("init_gain",
         "gain[i] = torch.nn.init.calculate_gain(nonlinearities[i], param[i]), where param[i] is None "
         "when has_param[i] == 0 (config nonlinearities is comma-separated)",
         {"nonlinearities": ",".join(n for n, _ in cases)},
         {"gain": torch.tensor(gains), "param": torch.tensor([p or 0.0 for _, p in cases])},
         {"has_param": [0 if p is None else 1 for _, p in cases]})


@fixture
def fix_init_fans_bounds():
    fans = []
    recorded = {key: [] for key, _, _ in INIT_CASES}
    for shape in INIT_SHAPES:
        fans.append(list(nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))))
        for key, fn, kwargs in INIT_CASES:
            with _RecordInitDraws() as mode:
                fn(torch.empty(shape), **kwargs)
            (kind, low, high), = mode.calls
            if kind == "uniform":
                assert low == -high
            else:
                assert low == 0.0
            recorded[key].append(high)
    config = {"cases": ",".join(key for key, _, _ in INIT_CASES), "shapeCount": len(INIT_SHAPES)}
    for key, _, kwargs in INIT_CASES:
        for k, v in kwargs.items():
            config[f"{key}.{k}"] = v
    save("init_fans_bounds",
         "fans[i] = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape.i)) as (fan_in, fan_out); "
         "for each case (config cases; its keyword arguments in config '<case>.<arg>'), tensors <case>[i] is the "
         "number nn.init.<xavier|kaiming>_<uniform|normal>_(torch.empty(shape.i), **kwargs) passed to "
         "Tensor.uniform_(-b, b) (b) or Tensor.normal_(0, std) (std), recorded by patching those two methods",
         config,
         {key: torch.tensor(v) for key, v in recorded.items()},
         {"fans": fans, **{f"shape.{i}": shape for i, shape in enumerate(INIT_SHAPES)}})


@fixture
def fix_init_orthogonal():
    torch.manual_seed(60)
    cases = [("tall", [5, 3], 1.0), ("square", [4, 4], 1.0), ("wide", [3, 5], 1.0),
             ("conv", [3, 2, 2], 1.0), ("gain", [4, 4], 1.5)]
    tensors = {}
    for name, shape, gain in cases:
        rows = shape[0]
        cols = math.prod(shape) // rows
        a = torch.randn(rows, cols)
        tensors["a." + name] = a
        q, r = torch.linalg.qr(a.t() if rows < cols else a)
        tensors["q." + name] = q
        tensors["r." + name] = r
        with _RecordInitDraws(gaussian=a) as mode:
            w = nn.init.orthogonal_(torch.empty(shape), gain=gain)
        assert mode.calls == [("normal", 0, 1)]
        tensors["orthogonal." + name] = w
    save("init_orthogonal",
         "for each case: a.<case> = torch.randn(rows, cols) (rows = shape[0], cols = numel / rows); "
         "q.<case>, r.<case> = torch.linalg.qr(a) (of a.t() when rows < cols), raw LAPACK signs; "
         "orthogonal.<case> = nn.init.orthogonal_(torch.empty(shape), gain) with its N(0, 1) draw replaced "
         "by a.<case> (Tensor.normal_ patched to copy it)",
         {"cases": ",".join(n for n, _, _ in cases), **{f"gain.{n}": g for n, _, g in cases}},
         tensors,
         {f"shape.{n}": s for n, s, _ in cases})


# --------------------------------------------------------------------------
# Truncated BPTT: three chunks of a small word language model
# --------------------------------------------------------------------------

class WordLanguageModel(nn.Module):
    """examples/word_language_model's RNNModel (LSTM, no dropout, untied): Embedding -> LSTM -> Linear."""

    def __init__(self, vocab, emb, hidden):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden)
        self.decoder = nn.Linear(hidden, vocab)

    def forward(self, ids, state):
        output, state = self.lstm(self.embedding(ids), state)
        return self.decoder(output), state


@fixture
def fix_tbptt_lm():
    torch.manual_seed(90)
    vocab, emb, hidden, batch, k, lr, clip = 7, 3, 4, 2, 3, 0.5, 0.25
    model = WordLanguageModel(vocab, emb, hidden)
    initial = {name: p.detach().clone() for name, p in model.named_parameters()}
    stream = torch.randint(0, vocab, (23,))
    steps = stream.numel() // batch
    source = stream[:steps * batch].view(batch, steps).t().contiguous()   # batchify: [T 11, B 2]
    state = None
    losses, norms = [], []
    for i in range(0, source.size(0) - 1, k):                            # chunks of 3, 3, 3, 1
        seq_len = min(k, source.size(0) - 1 - i)
        data, target = source[i:i + seq_len], source[i + 1:i + 1 + seq_len]
        if state is not None:
            state = tuple(s.detach() for s in state)                      # repackage_hidden
        model.zero_grad()
        output, state = model(data, state)
        loss = F.cross_entropy(output.view(-1, vocab), target.reshape(-1))
        loss.backward()
        norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), clip))
        with torch.no_grad():
            for p in model.parameters():
                p.add_(p.grad, alpha=-lr)
        losses.append(loss.detach())
    tensors = {"initial." + n: t for n, t in initial.items()}
    tensors.update({"final." + n: p for n, p in model.named_parameters()})
    tensors["losses"] = torch.stack(losses)
    tensors["norms"] = torch.stack(norms)
    tensors["h_n"], tensors["c_n"] = state
    save("tbptt_lm",
         "examples/word_language_model's training loop on a small LSTM language model: stream (23 ids) "
         "batchified to [T 11, B 2] (data[:T*B].view(B, T).t()); chunks i = 0, 3, 6, 9 of seq_len = "
         "min(k 3, T - 1 - i), targets one step later; the state detached at each chunk boundary; "
         "loss = cross_entropy(output.view(-1, V), target.reshape(-1)); clip_grad_norm_(params, 0.25) "
         "(norms = the total norm before clipping); p -= lr * grad with lr 0.5. losses per chunk, final "
         "parameters, and the state after the last chunk",
         {"vocab": vocab, "embeddingDim": emb, "hiddenSize": hidden, "batchSize": batch, "chunkLength": k,
          "lr": lr, "clip": clip},
         tensors, {"stream": stream})


# --------------------------------------------------------------------------

def main(argv):
    torch.set_num_threads(1)
    torch.set_default_dtype(torch.float32)
    wanted = set(argv)
    unknown = wanted - {n for n, _ in FIXTURES}
    if unknown:
        sys.exit(f"unknown fixture(s): {', '.join(sorted(unknown))}")
    for name, fn in FIXTURES:
        if not wanted or name in wanted:
            fn()


if __name__ == "__main__":
    main(sys.argv[1:])
