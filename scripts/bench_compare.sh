#!/usr/bin/env bash
# Runs Torchlet's benchmark and PyTorch's on the same cases and prints the
# medians side by side with the ratio Torchlet / PyTorch (below 1: Torchlet
# is faster), each side's share of one core's measured FMA peak, and a
# memory table: lstm_large and lm_step run again, each alone in a fresh
# process, for the peak resident set of each side.
#
# Usage: scripts/bench_compare.sh [--native] [--repeats N] [--threads N]
#   --threads  threads for both sides (default 1, as PyTorch is measured);
#              shares of the 1-core peak can pass 1 with more threads
#   --native   build Torchlet for this machine's CPU (TORCHLET_CPU=native,
#              AVX-512 kernels where present) instead of the portable default
# scripts/bench_scaling.sh measures time against T, B and H and plots it.
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

# "bench: peak gflops=174.3 (16-wide FMA, 1 thread)" → 174.3
peak=$(echo "$ours" | sed -nE 's/^bench: peak gflops=([^ ]+) .*/\1/p')
# "bench: case=NAME ms=… gflops=… …" → "NAME ms gflops", sorted for join
cases() { grep '^bench: case=' | sed -E 's/^bench: case=([^ ]+) ms=([^ ]+) gflops=([^ ]+) .*/\1 \2 \3/' | sort; }

echo "build: TORCHLET_CPU=${TORCHLET_CPU:-default} ($(uname -m)); torch $(python3 -c 'import torch; print(torch.__version__)')"
echo "$ours" | grep '^bench: peak ' | sed 's/^bench: /measured /'
printf '%-20s %12s %12s %8s %14s %14s %14s %14s\n' case torchlet_ms pytorch_ms ratio torchlet_gflops pytorch_gflops \
    torchlet_share pytorch_share
join <(echo "$ours" | cases) <(echo "$theirs" | cases) |
awk -v peak="$peak" '
    function share(g) { return (g == "-" || peak == "") ? "-" : sprintf("%.2f", g / peak) }
    { printf "%-20s %12s %12s %8.2f %14s %14s %14s %14s\n", $1, $2, $4, $2 / $4, $3, $5, share($3), share($5) }'
# "… first_loss=9.212" on the lm_step lines: both should start near ln 10,000 = 9.21.
first_loss() { sed -nE 's/^bench: case=lm_step .*first_loss=([^ ]+).*/\1/p'; }
echo "lm_step first loss: torchlet $(echo "$ours" | first_loss), pytorch $(echo "$theirs" | first_loss) (ln 10000 = 9.210)"

# Peak resident memory: each case alone in a fresh process, one timed run.
# "bench: memory start_rss_mb=14.6 peak_rss_mb=381.1" → "14.6 381.1"
memory() { sed -nE 's/^bench: memory start_rss_mb=([^ ]+) peak_rss_mb=([^ ]+).*/\1 \2/p'; }
echo
echo "peak resident memory (MB; start: after start-up, before any case; growth: peak - start)"
printf '%-20s %14s %14s %8s %14s %14s %12s\n' case torchlet_peak pytorch_peak ratio torchlet_start pytorch_start growth_ratio
for case in lstm_large lm_step; do
    read -r our_start our_peak < <("$scratch"/release/bench --threads "$threads" --repeats 1 "$case" | memory)
    read -r their_start their_peak < <(python3 scripts/bench_pytorch.py --threads "$threads" --repeats 1 "$case" | memory)
    echo "$case $our_peak $their_peak $our_start $their_start" |
    awk '{ printf "%-20s %14s %14s %8.2f %14s %14s %12.2f\n", $1, $2, $3, $2 / $3, $4, $5, ($2 - $4) / ($3 - $5) }'
done
