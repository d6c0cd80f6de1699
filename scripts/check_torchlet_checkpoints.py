#!/usr/bin/env python3
"""Check that PyTorch loads the safetensors files Torchlet writes.

What it does
    Reads the folder written by the opt-in Swift measurement
        TORCHLET_MEASURE_CHECKPOINTS=/tmp/ckpt swift test --filter CheckpointMeasurement
    and checks, with safetensors.torch.load_file:
    - lm.safetensors (Embedding 10000x128, LSTM 128->256, Linear 256->10000)
      loads into the same model built in PyTorch, load_state_dict(strict=True),
      with every value equal to Torchlet's own JSON file lm.json;
    - edge.safetensors (NaN with a payload, infinities, an empty and a 0-d
      tensor, names and metadata that need escaping) holds exactly the bit
      patterns listed in edge.json.

How to run
    python3 scripts/check_torchlet_checkpoints.py /tmp/ckpt

    Written with torch 2.13.0+cpu and safetensors 0.8.0. Prints one line per
    check and exits non-zero on the first mismatch.
"""

import json
import sys

import torch
import torch.nn as nn
from safetensors import safe_open
from safetensors.torch import load_file


class LanguageModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(10000, 128)
        self.lstm = nn.LSTM(128, 256)
        self.decoder = nn.Linear(256, 10000)


def check_language_model(folder):
    state = load_file(f"{folder}/lm.safetensors")
    model = LanguageModel()
    model.load_state_dict(state, strict=True)
    reference = json.load(open(f"{folder}/lm.json"))
    for t in reference["tensors"]:
        expected = torch.tensor(t["data"], dtype=torch.float32).reshape(t["shape"])
        if state[t["name"]].dtype != torch.float32 or not torch.equal(state[t["name"]], expected):
            sys.exit(f"lm.safetensors: {t['name']} differs from lm.json")
    print(f"lm.safetensors: {len(state)} tensors load into the PyTorch model (strict) and equal lm.json")


def check_edge_cases(folder):
    path = f"{folder}/edge.safetensors"
    state = load_file(path)
    expected = json.load(open(f"{folder}/edge.json"))
    with safe_open(path, "pt") as f:
        if f.metadata() != expected["metadata"]:
            sys.exit(f"edge.safetensors: metadata {f.metadata()} != {expected['metadata']}")
    for t in expected["tensors"]:
        tensor = state[t["name"]]
        bits = tensor.reshape(-1).view(torch.int32).tolist()
        if list(tensor.shape) != t["shape"] or [b & 0xFFFFFFFF for b in bits] != t["bits"]:
            sys.exit(f"edge.safetensors: {t['name']!r} shape {list(tensor.shape)} bits {bits} != {t}")
    print(f"edge.safetensors: {len(state)} tensors (NaN payload, ±inf, empty, 0-d, escaped names) and metadata bit-exact")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    check_language_model(sys.argv[1])
    check_edge_cases(sys.argv[1])
