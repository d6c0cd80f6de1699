#!/usr/bin/env bash
# Times lstm_dense's shape (LSTM(64 → H), forward + backward) against the
# sequence length T, the batch size B and the hidden size H, one at a time,
# for Torchlet (bench --scaling) and PyTorch (bench_pytorch.py --scaling);
# prints both with the ratio and how the time per step grows with T, and
# plots ms against T, B and H (log axes) as three SVGs.
#
# Usage: scripts/bench_scaling.sh [--native] [--repeats N] [--threads N] [--out DIR]
#   --repeats  timed runs per point, after one warm-up (default 15)
#   --threads  threads for both sides (default 1, as PyTorch is measured)
#   --native   build Torchlet for this machine's CPU (TORCHLET_CPU=native)
#   --out      where the SVGs go (default docs/figures: scaling-steps.svg,
#              scaling-batch.svg, scaling-hidden.svg); the raw lines are
#              kept in the build folder (.build/scaling/)
# Needs torch for Python (pip install 'torch==2.13.0+cpu').
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build
threads=1
out=docs/figures
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --native) export TORCHLET_CPU=native; scratch=.build-native ;;
        --repeats) args+=("$1" "$2"); shift ;;
        --threads) threads="$2"; shift ;;
        --out) out="$2"; shift ;;
        *) echo "usage: $0 [--native] [--repeats N] [--threads N] [--out DIR]" >&2; exit 2 ;;
    esac
    shift
done

swift build -c release --product bench --scratch-path "$scratch" >&2
swift build -c release --product scalingplot --scratch-path "$scratch" >&2
mkdir -p "$scratch/scaling"
"$scratch"/release/bench --scaling --threads "$threads" "${args[@]}" | tee "$scratch/scaling/torchlet.txt" >&2
python3 scripts/bench_pytorch.py --scaling --threads "$threads" "${args[@]}" | tee "$scratch/scaling/pytorch.txt" >&2

echo "build: TORCHLET_CPU=${TORCHLET_CPU:-default} ($(uname -m)); torch $(python3 -c 'import torch; print(torch.__version__)'); threads $threads"
"$scratch"/release/scalingplot "$scratch/scaling/torchlet.txt" "$scratch/scaling/pytorch.txt" "$out"
