#!/usr/bin/env bash
# Runs Torchlet's benchmark and PyTorch's on the same cases and prints, per
# case, the median over turns of the ratio Torchlet / PyTorch (below 1:
# Torchlet is faster) with a 95% confidence interval for it (from the
# order statistics of the turns' ratios: a ratio whose interval holds 1 is
# a tie at this many turns), each side's median time and GFLOP/s,
# and, for the products, their share of one core's FMA peak (each turn's
# speed over the peak bench measures again in that turn, right after its
# own runs: the median of those per-turn shares); then a memory table:
# lstm_large and lm_step run again, each alone in a fresh process, for the
# peak resident set of each side.
#
# Usage: scripts/bench_compare.sh [--native | --avx2] [--threads N] [--turns N]
#   --threads  threads for both sides (default 1, as PyTorch is measured);
#              shares of the 1-core peak can pass 1 with more threads
#   --turns    turns per case (default 21): each case's two processes (bench
#              and bench_pytorch.py, both with --lockstep) set it up, then
#              take turns, run by run, the first side alternating
#              (scripts/lockstep.py), so a ratio compares two times taken
#              milliseconds apart: a shared machine's speed swings by
#              1.5x within a second, from other tenants
#   --native   build Torchlet for this machine's CPU (TORCHLET_CPU=native,
#              AVX-512 kernels where present) instead of the portable default
#   --avx2     hold both sides to AVX2 on a CPU that has AVX-512, for a
#              CPU without it (AMD before Zen 4, Intel before Skylake-SP):
#              Torchlet's portable kernels (TORCHLET_GEMM=portable), and
#              MKL, ATen and oneDNN at AVX2 (MKL_ENABLE_INSTRUCTIONS=AVX2,
#              ATEN_CPU_CAPABILITY=avx2, ONEDNN_MAX_CPU_ISA=AVX2). The
#              instruction set only: the caches and cores are this CPU's
# scripts/bench_scaling.sh measures time against T, B and H and plots it.
# Needs torch for Python (pip install 'torch==2.13.0+cpu').
set -euo pipefail
cd "$(dirname "$0")/.."

scratch=.build
threads=1
turns=21
isa=""
while [ $# -gt 0 ]; do
    case "$1" in
        --native) export TORCHLET_CPU=native; scratch=.build-native ;;
        --avx2) isa="; both sides held to AVX2"
            export TORCHLET_GEMM=portable MKL_ENABLE_INSTRUCTIONS=AVX2 ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 ;;
        --threads) threads="$2"; shift ;;
        --turns) turns="$2"; shift ;;
        *) echo "usage: $0 [--native | --avx2] [--threads N] [--turns N]" >&2; exit 2 ;;
    esac
    shift
done
if [ -n "$isa" ] && [ "${TORCHLET_CPU:-}" = native ]; then
    # A native build compiles all of Torchlet for AVX-512, the portable kernels too.
    echo "$0: --avx2 and --native contradict each other (a native build is AVX-512 throughout)" >&2
    exit 2
fi

swift build -c release --product bench --scratch-path "$scratch" >&2
ours="$scratch/release/bench --threads $threads"
theirs="python3 scripts/bench_pytorch.py --threads $threads"

# Idle time between turns: with more than one thread, long enough for
# worker threads still spinning after a turn (PyTorch's OpenMP) to sleep.
gap=$([ "$threads" -gt 1 ] && echo 0.05 || echo 0.005)

# Every turn's lines, "TURN SIDE bench: turn case=NAME ms=…", and each
# side's other lines (case lines, peak lines) as "all SIDE …".
lines=$(mktemp)
trap 'rm -f "$lines"' EXIT
for case in $($ours --list); do
    python3 scripts/lockstep.py --turns "$turns" --gap "$gap" --label "$case" torchlet "$ours --lockstep $case" pytorch "$theirs --lockstep $case" >>"$lines"
done

echo "build: TORCHLET_CPU=${TORCHLET_CPU:-default} ($(uname -m)); torch $(python3 -c 'import torch; print(torch.__version__, "ATen", torch.backends.cpu.get_cpu_capability())'); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); $threads thread(s), $turns turns per case$isa"
python3 - "$lines" <<'PY'
import re, statistics, sys

sys.path.insert(0, "scripts")
from lockstep import median_interval, read_output, read_turn_field, turn_ratios

ms, others = read_output(sys.argv[1])
turn_peaks = read_turn_field(sys.argv[1], "peak_gflops")  # gemm cases: {case: {(turn, "torchlet"): gflops}}
gflops, peaks, losses = {}, [], {"torchlet": [], "pytorch": []}
for side, line in others:
    if m := re.match(r"bench: peak gflops=(\S+)", line):
        peaks.append(float(m.group(1)))
    elif m := re.match(r"bench: case=(\S+) ms=(\S+) gflops=(\S+)", line):
        if m.group(3) != "-":
            gflops[(m.group(1), side)] = float(m.group(3))
        if l := re.search(r"first_loss=(\S+)", line):
            losses[side].append(l.group(1))

med = lambda xs: statistics.median(xs) if xs else None
fmt = lambda x, f: "-" if x is None else f % x
every_turn_peak = [p for case in turn_peaks.values() for p in case.values()]
print("measured peak gflops=%s (median over the gemm cases' turns of bench's peak loop, run in each turn"
      " after Torchlet's runs; %s before the turns, median of %d processes)"
      % (fmt(med(every_turn_peak), "%.1f"), fmt(med(peaks), "%.1f"), len(peaks)))


def share(case, side):
    """The median over turns of the side's speed in a gemm case over the
    peak measured in the same turn (None for other cases)."""
    peaks = turn_peaks.get(case, {})
    flops = 2 * int(case.split("_")[1]) ** 3 if case.startswith("gemm_") else 0
    return med([flops / (v * 1e6) / peaks[(t, "torchlet")]
                for (t, s), v in ms[case].items() if s == side and (t, "torchlet") in peaks])


print("%-20s %12s %12s %8s %13s %16s %16s %15s %14s" % ("case", "torchlet_ms", "pytorch_ms", "ratio", "ratio_ci95",
      "torchlet_gflops", "pytorch_gflops", "torchlet_share", "pytorch_share"))
for case in ms:
    ratios = turn_ratios(ms[case], "torchlet", "pytorch")
    ours = med([v for (t, s), v in ms[case].items() if s == "torchlet"])
    theirs = med([v for (t, s), v in ms[case].items() if s == "pytorch"])
    g = [gflops.get((case, s)) for s in ("torchlet", "pytorch")]
    shares = [share(case, s) for s in ("torchlet", "pytorch")]
    print("%-20s %12s %12s %8s %13s %16s %16s %15s %14s" % (
        case, fmt(ours, "%.3f"), fmt(theirs, "%.3f"), fmt(med(ratios), "%.2f"),
        "-" if not ratios else "%.2f-%.2f" % median_interval(ratios),
        fmt(g[0], "%.1f"), fmt(g[1], "%.1f"), fmt(shares[0], "%.2f"), fmt(shares[1], "%.2f")))
# Both should start near ln 10,000 = 9.21: the two sides run the same model.
print("lm_step first loss: torchlet %s, pytorch %s (ln 10000 = 9.210)" % (
    ",".join(sorted(set(losses["torchlet"]))) or "-", ",".join(sorted(set(losses["pytorch"]))) or "-"))
PY

# Peak resident memory: each case alone in a fresh process, one timed run.
# "bench: memory start_rss_mb=14.6 peak_rss_mb=381.1" → "14.6 381.1"
memory() { sed -nE 's/^bench: memory start_rss_mb=([^ ]+) peak_rss_mb=([^ ]+).*/\1 \2/p'; }
echo
echo "peak resident memory (MB; start: after start-up, before any case; growth: peak - start)"
printf '%-20s %14s %14s %8s %14s %14s %12s\n' case torchlet_peak pytorch_peak ratio torchlet_start pytorch_start growth_ratio
for case in lstm_large lm_step; do
    read -r our_start our_peak < <($ours --repeats 1 "$case" | memory)
    read -r their_start their_peak < <($theirs --repeats 1 "$case" | memory)
    echo "$case $our_peak $their_peak $our_start $their_start" |
    awk '{ printf "%-20s %14s %14s %8.2f %14s %14s %12.2f\n", $1, $2, $3, $2 / $3, $4, $5, ($2 - $4) / ($3 - $5) }'
done
