#!/usr/bin/env bash
# Times lstm_dense's shape (LSTM(64 → H), forward + backward) against the
# sequence length T, the batch size B and the hidden size H, one at a time,
# for Torchlet (bench --scaling) and PyTorch (bench_pytorch.py --scaling);
# prints both with the ratio and how the time per step grows with T, and
# plots ms against T, B and H (log axes) as three SVGs.
#
# As in bench_compare.sh, each shape runs on both sides back to back, each
# in its own process, Torchlet first in odd rounds and PyTorch first in
# even ones; a side's time is its median over the rounds, and the ratio's
# range over the rounds is printed (running all of one side, then all of
# the other, let a drift in the machine's speed between the halves move
# every ratio: 1.14 to 1.76 across T in one such run).
#
# Usage: scripts/bench_scaling.sh [--native] [--repeats N] [--threads N] [--rounds N] [--out DIR]
#   --repeats  timed runs per point, after one warm-up (default 15)
#   --threads  threads for both sides (default 1, as PyTorch is measured)
#   --rounds   rounds (default 3)
#   --native   build Torchlet for this machine's CPU (TORCHLET_CPU=native)
#   --out      where the SVGs go (default docs/figures: scaling-steps.svg,
#              scaling-batch.svg, scaling-hidden.svg); the raw lines are
#              kept in the build folder (.build/scaling/)
# Needs torch for Python (pip install 'torch==2.13.0+cpu').
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build
threads=1
rounds=3
out=docs/figures
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --native) export TORCHLET_CPU=native; scratch=.build-native ;;
        --repeats) args+=("$1" "$2"); shift ;;
        --threads) threads="$2"; shift ;;
        --rounds) rounds="$2"; shift ;;
        --out) out="$2"; shift ;;
        *) echo "usage: $0 [--native] [--repeats N] [--threads N] [--rounds N] [--out DIR]" >&2; exit 2 ;;
    esac
    shift
done

swift build -c release --product bench --scratch-path "$scratch" >&2
swift build -c release --product scalingplot --scratch-path "$scratch" >&2
mkdir -p "$scratch/scaling"
ours() { "$scratch"/release/bench --scaling --threads "$threads" "${args[@]}" "$@"; }
theirs() { python3 scripts/bench_pytorch.py --scaling --threads "$threads" "${args[@]}" "$@"; }
source scripts/both_sides.sh

# Every round's lines, each prefixed with "ROUND SIDE ".
lines="$scratch/scaling/rounds.txt"
: >"$lines"
points=$(ours --list | wc -l)
for round in $(seq "$rounds"); do
    echo "round $round of $rounds" >&2
    for point in $(seq 0 $((points - 1))); do
        both_sides "$round" "$lines" --point "$point"
    done
done

# Each side's median over the rounds, in bench's own line format (what
# scalingplot reads), and the range of the per-round ratios.
python3 - "$lines" "$scratch/scaling" <<'PY'
import re, statistics, sys
from collections import defaultdict

ms = defaultdict(dict)  # shape label -> (round, side) -> ms
gflops = defaultdict(list)  # (shape label, side) -> GFLOP/s of each round
threads = {}
for line in open(sys.argv[1]):
    round_, side, rest = line.split(" ", 2)
    if m := re.match(r"bench: scaling (vary=\S+ T=\S+ B=\S+ H=\S+) ms=(\S+) gflops=(\S+) threads=(\S+)", rest):
        ms[m.group(1)][(round_, side)] = float(m.group(2))
        gflops[(m.group(1), side)].append(float(m.group(3)))
        threads[side] = m.group(4)
print("per-round ratio torchlet / pytorch, range over the rounds:")
for side in ("torchlet", "pytorch"):
    with open("%s/%s.txt" % (sys.argv[2], side), "w") as out:
        for label, times in ms.items():
            median = statistics.median(v for (r, s), v in times.items() if s == side)
            out.write("bench: scaling %s ms=%.3f gflops=%.1f threads=%s\n" % (
                label, median, statistics.median(gflops[(label, side)]), threads[side]))
for label, times in ms.items():
    ratios = [times[(r, "torchlet")] / times[(r, "pytorch")] for r in sorted({r for r, _ in times})
              if (r, "torchlet") in times and (r, "pytorch") in times]
    print("  %-28s median %.2f  range %.2f-%.2f" % (label, statistics.median(ratios), min(ratios), max(ratios)))
PY

echo "build: TORCHLET_CPU=${TORCHLET_CPU:-default} ($(uname -m)); torch $(python3 -c 'import torch; print(torch.__version__)'); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); threads $threads, $rounds rounds (medians)"
"$scratch"/release/scalingplot "$scratch/scaling/torchlet.txt" "$scratch/scaling/pytorch.txt" "$out"
