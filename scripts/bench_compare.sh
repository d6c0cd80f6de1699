#!/usr/bin/env bash
# Runs Torchlet's benchmark and PyTorch's on the same cases and prints the
# medians side by side with the ratio Torchlet / PyTorch (below 1: Torchlet
# is faster).
#
# Usage: scripts/bench_compare.sh [--native] [--repeats N] [--threads N]
#   --threads  threads for both sides (default 1, as PyTorch is measured)
#   --native   build Torchlet for this machine's CPU (TORCHLET_CPU=native,
#              AVX-512 kernels where present) instead of the portable default
# Needs torch for Python (pip install 'torch==2.13.0+cpu').
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build
threads=1
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --native) export TORCHLET_CPU=native; scratch=.build-native ;;
        --repeats) args+=("$1" "$2"); shift ;;
        --threads) threads="$2"; shift ;;
        *) echo "usage: $0 [--native] [--repeats N] [--threads N]" >&2; exit 2 ;;
    esac
    shift
done

swift build -c release --product bench --scratch-path "$scratch" >&2
ours=$("$scratch"/release/bench --threads "$threads" "${args[@]}")
theirs=$(python3 scripts/bench_pytorch.py --threads "$threads" "${args[@]}")

echo "build: TORCHLET_CPU=${TORCHLET_CPU:-default} ($(uname -m)); torch $(python3 -c 'import torch; print(torch.__version__)')"
printf '%-20s %12s %12s %8s %14s %14s\n' case torchlet_ms pytorch_ms ratio torchlet_gflops pytorch_gflops
join <(echo "$ours" | sed -E 's/^bench: case=([^ ]+) ms=([^ ]+) gflops=([^ ]+) .*/\1 \2 \3/' | sort) \
     <(echo "$theirs" | sed -E 's/^bench: case=([^ ]+) ms=([^ ]+) gflops=([^ ]+) .*/\1 \2 \3/' | sort) |
awk '{ printf "%-20s %12s %12s %8.2f %14s %14s\n", $1, $2, $4, $2 / $4, $3, $5 }'
