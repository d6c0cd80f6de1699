"""Times one benchmark case on two sides in lockstep: both processes set the
case up, then take turns, run by run, so each pair of times is taken
milliseconds apart: a shared machine's speed swings by 1.5x within a
second (other tenants), and a pair's two times see the same swing more
often than two times seconds apart do.

Usage: python3 scripts/lockstep.py [--turns N] [--gap S] [--warm MS] --label LABEL NAME_A 'COMMAND_A' NAME_B 'COMMAND_B'

Each command is one side's benchmark with --lockstep and one case, or one
--point of --scaling (bench, scripts/bench_pytorch.py); the protocol is in
Sources/bench/Measurement.swift (lockstepMilliseconds). Per turn, the side
that goes first alternates (A first in odd turns); a turn is W untimed
runs and the median of N timed runs, the same W and N for both sides: W
runs take at least --warm milliseconds (20) on the faster side, and N runs
about 20 ms on the slower (one run, untimed none, when a run takes 50 ms
or more). The untimed runs bring the side's data back into the caches the
other side used, and its cores back to speed: on an AMD EPYC virtual
machine a core that sat idle for the gap ran a 128^3 product 1.4x slower
for its first millisecond or so (25 runs after one untimed: 0.095 ms;
after 100 untimed: 0.068 ms, as when never idle). Between turns the
machine is left idle for --gap seconds, so that worker threads still
spinning after one side's turn (PyTorch's OpenMP, Torchlet's pool) have
gone to sleep before the other side starts.

Prints one line per side and turn, 'TURN NAME bench: turn case=LABEL ms=T'
(and any fields the side's turn line adds after its time, such as bench's
peak_gflops), then each side's other lines (its case or scaling line, a median over its
turns, and any peak and memory lines) as 'all NAME LINE'. bench_compare.sh
and bench_scaling.sh read that back with read_output and turn_ratios.
"""
import argparse
import math
import re
import shlex
import subprocess
import sys
import time


class Side:
    """One side's process, set up for one case and waiting for turns."""

    def __init__(self, name, command):
        self.name, self.command = name, command
        self.process = subprocess.Popen(shlex.split(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True, bufsize=1)
        self.other_lines = []
        self.ready_ms = float(self.read_until("bench: ready ms="))

    def read_until(self, prefix):
        """The rest of the first line starting with prefix; lines before it are kept."""
        for line in self.process.stdout:
            if line.startswith(prefix):
                return line[len(prefix):].strip()
            self.other_lines.append(line.rstrip("\n"))
        sys.exit("lockstep: %s exited (code %s) before printing '%s...': %s"
                 % (self.name, self.process.wait(), prefix, self.command))

    def turn(self, untimed, timed):
        """Runs one turn and returns its time in milliseconds and the rest
        of its line (more fields, such as bench's peak_gflops, or '')."""
        self.process.stdin.write("run %d %d\n" % (untimed, timed))
        self.process.stdin.flush()
        ms, _, fields = self.read_until("bench: turn ms=").partition(" ")
        return float(ms), fields

    def stop(self):
        """Ends the case; returns the side's remaining lines."""
        self.process.stdin.write("stop\n")
        self.process.stdin.close()
        self.other_lines += [line.rstrip("\n") for line in self.process.stdout]
        if self.process.wait() != 0:
            sys.exit("lockstep: %s exited with code %d: %s" % (self.name, self.process.returncode, self.command))
        return self.other_lines


def read_output(path):
    """What lockstep.py printed into path (one run per case, appended): the
    turn times of each label, {label: {(turn, side): ms}}, and every other
    line as (side, line)."""
    times, others = {}, []
    for line in open(path):
        turn, side, rest = line.rstrip("\n").split(" ", 2)
        if m := re.match(r"bench: turn case=(.+?) ms=(\S+)( .*)?$", rest):
            times.setdefault(m.group(1), {})[(turn, side)] = float(m.group(2))
        else:
            others.append((side, rest))
    return times, others


def read_turn_field(path, name):
    """A field that turn lines in path carry after the time, such as
    bench's peak_gflops: {label: {(turn, side): value}}, for the turns that
    have it."""
    values = {}
    for line in open(path):
        turn, side, rest = line.rstrip("\n").split(" ", 2)
        if m := re.match(r"bench: turn case=(.+?) ms=\S+ .*\b%s=(\S+)" % re.escape(name), rest):
            values.setdefault(m.group(1), {})[(turn, side)] = float(m.group(2))
    return values


def turn_ratios(times, a, b):
    """Side a's time over side b's, turn by turn, for one label's times."""
    return [times[(t, a)] / times[(t, b)] for t in sorted({t for t, _ in times})
            if (t, a) in times and (t, b) in times]


def median_interval(xs):
    """A distribution-free 95% confidence interval for the median of the
    population xs was drawn from (bench_compare.sh's turns' ratios):
    (xs[k], xs[n-1-k]) sorted, for the largest k with
    2 P(Binomial(n, 1/2) <= k) <= 0.05; below 6 values, the full range,
    which covers the median less surely than that."""
    xs, n = sorted(xs), len(xs)
    k, tail = 0, 1 / 2 ** n
    while 2 * (tail + math.comb(n, k + 1) / 2 ** n) <= 0.05:
        k += 1
        tail += math.comb(n, k) / 2 ** n
    return xs[k], xs[n - 1 - k]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=21, help="turns per side (default 21)")
    parser.add_argument("--gap", type=float, default=0.05, help="idle seconds between turns (default 0.05)")
    parser.add_argument("--warm", type=float, default=20,
                        help="untimed milliseconds that start each turn, at least (default 20)")
    parser.add_argument("--label", required=True, help="what the turn lines call the case")
    parser.add_argument("name_a")
    parser.add_argument("command_a")
    parser.add_argument("name_b")
    parser.add_argument("command_b")
    args = parser.parse_args()
    if args.turns < 1 or args.gap < 0 or args.warm < 0:
        parser.error("--turns must be at least 1, --gap and --warm at least 0")
    sides = [Side(args.name_a, args.command_a), Side(args.name_b, args.command_b)]
    slowest = max(side.ready_ms for side in sides)
    fastest = max(min(side.ready_ms for side in sides), 1e-3)
    if slowest >= 50:
        untimed, timed = 0, 1
    else:
        untimed = min(1000, math.ceil(args.warm / fastest))
        timed = min(25, max(1, int(20 / max(slowest, 1e-3))))
    turns = {side.name: [] for side in sides}
    for turn in range(args.turns):
        for side in sides if turn % 2 == 0 else reversed(sides):
            time.sleep(args.gap)
            turns[side.name].append(side.turn(untimed, timed))
    lines = {side.name: side.stop() for side in sides}
    for turn in range(args.turns):
        for side in sides:
            ms, fields = turns[side.name][turn]
            print("%d %s bench: turn case=%s ms=%.4f%s" % (turn + 1, side.name, args.label, ms,
                                                        " " + fields if fields else ""))
    for side in sides:
        for line in lines[side.name]:
            print("all %s %s" % (side.name, line))


if __name__ == "__main__":
    main()
