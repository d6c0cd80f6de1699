#!/usr/bin/env bash
# Times lstm_dense's shape (LSTM(64 → H), forward + backward) against the
# sequence length T, the batch size B and the hidden size H, one at a time,
# for Torchlet (bench --scaling) and PyTorch (bench_pytorch.py --scaling);
# prints both with the ratio and how the time per step grows with T, and
# plots ms against T, B and H (log axes) as three SVGs.
#
# As in bench_compare.sh, each shape runs in lockstep (scripts/lockstep.py):
# both sides set it up, then take turns run by run, the first side
# alternating; a side's time is its median over the turns, and the ratio's
# median and 95% interval over the turns are printed (running all of one
# side, then all of the other, let a drift in the machine's speed between
# the halves move every ratio: 1.14 to 1.76 across T in one such run).
#
# Usage: scripts/bench_scaling.sh [--native] [--threads N] [--turns N] [--out DIR]
#   --threads  threads for both sides (default 1, as PyTorch is measured)
#   --turns    turns per shape (default 21)
#   --native   build Torchlet for this machine's CPU (TORCHLET_CPU=native)
#   --out      where the SVGs go (default docs/figures: scaling-steps.svg,
#              scaling-batch.svg, scaling-hidden.svg); the raw lines are
#              kept in the build folder (.build/scaling/)
# Needs torch for Python (pip install 'torch==2.13.0+cpu').
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build
threads=1
turns=21
out=docs/figures
while [ $# -gt 0 ]; do
    case "$1" in
        --native) export TORCHLET_CPU=native; scratch=.build-native ;;
        --threads) threads="$2"; shift ;;
        --turns) turns="$2"; shift ;;
        --out) out="$2"; shift ;;
        *) echo "usage: $0 [--native] [--threads N] [--turns N] [--out DIR]" >&2; exit 2 ;;
    esac
    shift
done

swift build -c release --product bench --scratch-path "$scratch" >&2
swift build -c release --product scalingplot --scratch-path "$scratch" >&2
mkdir -p "$scratch/scaling"
ours="$scratch/release/bench --scaling --threads $threads"
theirs="python3 scripts/bench_pytorch.py --scaling --threads $threads"
gap=$([ "$threads" -gt 1 ] && echo 0.05 || echo 0.005)  # as in bench_compare.sh

# Every turn's lines and each side's scaling line (see lockstep.py).
lines="$scratch/scaling/turns.txt"
: >"$lines"
mapfile -t labels < <($ours --list)
for point in "${!labels[@]}"; do
    echo "shape $((point + 1)) of ${#labels[@]}: ${labels[$point]}" >&2
    python3 scripts/lockstep.py --turns "$turns" --gap "$gap" --label "${labels[$point]}" \
        torchlet "$ours --lockstep --point $point" pytorch "$theirs --lockstep --point $point" >>"$lines"
done

# Each side's scaling lines (medians over the turns) in bench's own line
# format (what scalingplot reads), and the turns' ratios.
python3 - "$lines" "$scratch/scaling" <<'PY'
import statistics, sys

sys.path.insert(0, "scripts")
from lockstep import median_interval, read_output, turn_ratios

ms, others = read_output(sys.argv[1])  # ms: shape label -> (turn, side) -> ms
for side in ("torchlet", "pytorch"):
    with open("%s/%s.txt" % (sys.argv[2], side), "w") as out:
        out.writelines(line + "\n" for s, line in others if s == side and line.startswith("bench: scaling "))
print("per-turn ratio torchlet / pytorch, median and 95% interval over the turns:")
for label, times in ms.items():
    ratios = turn_ratios(times, "torchlet", "pytorch")
    print("  %-28s median %.2f  ci95 %.2f-%.2f" % ((label, statistics.median(ratios)) + median_interval(ratios)))
PY

echo "build: TORCHLET_CPU=${TORCHLET_CPU:-default} ($(uname -m)); torch $(python3 -c 'import torch; print(torch.__version__)'); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); threads $threads, $turns turns per shape (medians)"
"$scratch"/release/scalingplot "$scratch/scaling/torchlet.txt" "$scratch/scaling/pytorch.txt" "$out"
