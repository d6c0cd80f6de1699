"""PyTorch's side of Torchlet's benchmark: the same cases, shapes and lengths
as Sources/bench/main.swift, printed in the same format:

    bench: case=NAME ms=MEDIAN gflops=... threads=N
    bench: memory start_rss_mb=... peak_rss_mb=...

Usage: python3 scripts/bench_pytorch.py [--repeats N] [--threads N] [--lockstep] [--scaling [--point I ...]] [CASE ...]

The memory line is the process's peak resident set (ru_maxrss), meaningful
for one case run alone; start_rss_mb is the same after `import torch`.
--scaling times lstm_dense's shape against T, B and H instead of the cases
(--point I: only index I of the sweep, as bench --scaling --point I).
There is no peak line: the FMA peak is the machine's, measured by bench.
Needs torch (tested with 2.13.0+cpu: pip install 'torch==2.13.0+cpu').
scripts/bench_compare.sh runs both sides and prints the ratios.
"""
import argparse
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class SharedLCG:
    """The linear congruential generator of Sources/bench/Workloads.swift."""

    def __init__(self, state):
        self.state = state

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return self.state >> 33


def packed_lengths():
    lcg = SharedLCG(0)
    return [5 + lcg.next() % 46 for _ in range(32)]


def epoch_lengths():
    lcg = SharedLCG(3)
    lengths = []
    for _ in range(2000):
        if lcg.next() % 5 == 0:
            lengths.append(3 + lcg.next() % 58)
        else:
            lengths.append(3 + lcg.next() % 14)
    return lengths


def peak_rss_mb():
    """The largest resident set of this process so far, in megabytes
    (ru_maxrss: kilobytes on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / 1048576 if sys.platform == "darwin" else rss / 1024


START_RSS_MB = peak_rss_mb()


def sorted_ms(body, repeats, warmup):
    """The times in milliseconds of body over repeats runs after warmup, fastest first."""
    for _ in range(warmup):
        body()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1e3)
    return sorted(times)


# Set by --lockstep: each case's timed runs take turns with another process.
LOCKSTEP = False


def median_ms(body, repeats, warmup=2):
    """The median time of body over repeats runs after warmup (with
    --lockstep, over the turns standard input asks for)."""
    times = lockstep_ms(body, warmup) if LOCKSTEP else sorted_ms(body, repeats, warmup)
    return times[len(times) // 2]


def lockstep_ms(body, warmup):
    """The times of body's turns, fastest first, as Sources/bench's
    lockstepMilliseconds: 'bench: ready ms=...' after the warm-up, then for
    each line 'run W N', W untimed runs and the median of N timed ones as
    'bench: turn ms=...', until 'stop' or the end of the input."""
    last = 0.0
    for _ in range(max(1, warmup)):
        last = sorted_ms(body, 1, 0)[0]
    print("bench: ready ms=%.3f" % last, flush=True)
    turns = []
    for line in sys.stdin:
        words = line.split()
        if words == ["stop"]:
            break
        if len(words) != 3 or words[0] != "run" or not words[1].isdigit() or not words[2].isdigit() or int(words[2]) == 0:
            sys.exit("bench_pytorch: --lockstep expects 'run W N' (N > 0) or 'stop', got %r" % line)
        times = sorted_ms(body, int(words[2]), int(words[1]))
        turns.append(times[len(times) // 2])
        print("bench: turn ms=%.4f" % turns[-1], flush=True)
    if not turns:
        sys.exit("bench_pytorch: --lockstep got no 'run' line")
    return sorted(turns)


def report(name, ms, flops=None, extra=""):
    gflops = "-" if flops is None else "%.1f" % (flops / (ms * 1e6))
    print("bench: case=%s ms=%.3f gflops=%s threads=%d%s" % (name, ms, gflops, torch.get_num_threads(), extra),
          flush=True)


def training_ms(module, inp, run, repeats, warmup=2):
    """Median time of forward + backward: run(leaf copy of inp) -> (output rows, final h)."""
    def step():
        output, h = run(inp.clone().requires_grad_(True))
        (output.sum() + h.sum()).backward()
        module.zero_grad()
    return median_ms(step, repeats, warmup)


def lstm_flops(tokens, inp, hidden):
    return 2 * tokens * 4 * hidden * (inp + hidden)


def gru_flops(tokens, inp, hidden):
    return 2 * tokens * 3 * hidden * (inp + hidden)


def language_model_tokens(steps, batch, vocabulary):
    """steps + 1 rows of batch token ids from seed 8, as Workloads.swift."""
    lcg = SharedLCG(8)
    return [[lcg.next() % vocabulary for _ in range(batch)] for _ in range(steps + 1)]


# lstm_dense's shape, LSTM(64 -> H), batch B, T steps, with one of T, B, H
# varied from 50, 32, 128: the list of Sources/bench/Scaling.swift.
SCALING_SWEEP = ([("T", t, 32, 128) for t in [25, 50, 100, 200, 400]]
                 + [("B", 50, b, 128) for b in [1, 4, 16, 64, 256]]
                 + [("H", 50, 32, h) for h in [32, 64, 128, 256, 512, 1024]])


def lstm_output_and_h(lstm):
    """The run of training_ms for an LSTM: its output rows and final h."""
    def run(x):
        output, (h, _) = lstm(x)
        return output, h
    return run


def run_scaling_sweep(repeats, points):
    """Times forward + backward at every shape of the sweep (or at the
    given indices into it), one line each."""
    for varied, steps, batch, hidden in [SCALING_SWEEP[i] for i in points or range(len(SCALING_SWEEP))]:
        lstm = nn.LSTM(64, hidden)
        ms = training_ms(lstm, torch.randn(steps, batch, 64), lstm_output_and_h(lstm), repeats, warmup=1)
        flops = 3 * lstm_flops(steps * batch, 64, hidden)
        print("bench: scaling vary=%s T=%d B=%d H=%d ms=%.3f gflops=%.1f threads=%d"
              % (varied, steps, batch, hidden, ms, flops / (ms * 1e6), torch.get_num_threads()), flush=True)


def bench_lstm_large(repeats):
    """nn.LSTM(256 -> 512, num_layers=2), batch 64, 100 steps, forward + backward."""
    steps, batch, inp, hidden = 100, 64, 256, 512
    lstm = nn.LSTM(inp, hidden, num_layers=2)
    ms = training_ms(lstm, torch.randn(steps, batch, inp), lstm_output_and_h(lstm), repeats, warmup=1)
    forward = lstm_flops(steps * batch, inp, hidden) + lstm_flops(steps * batch, hidden, hidden)
    report("lstm_large", ms, 3 * forward)


def bench_lm_step(repeats):
    """Course's LanguageModel (Day 8): Embedding(10,000 -> 256) -> LSTM(256 -> 512,
    time first) -> Linear(512 -> 10,000), mean cross-entropy of the next token
    over 35 steps x 64 streams, backward, one Adam step; adds the first loss."""
    vocabulary, steps, batch, embedding_dim, hidden = 10000, 35, 64, 256, 512
    tokens = torch.tensor(language_model_tokens(steps, batch, vocabulary))
    inputs, targets = tokens[:steps], tokens[1:].reshape(-1)
    embedding = nn.Embedding(vocabulary, embedding_dim)
    lstm = nn.LSTM(embedding_dim, hidden)
    decoder = nn.Linear(hidden, vocabulary)
    optimizer = torch.optim.Adam(
        list(embedding.parameters()) + list(lstm.parameters()) + list(decoder.parameters()), lr=1e-3)
    losses = []

    def step():
        optimizer.zero_grad()
        output, _ = lstm(embedding(inputs))
        loss = F.cross_entropy(decoder(output).reshape(-1, vocabulary), targets)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()

    ms = median_ms(step, repeats, warmup=1)
    decoder_flops = 2 * steps * batch * hidden * vocabulary
    report("lm_step", ms, 3 * (lstm_flops(steps * batch, embedding_dim, hidden) + decoder_flops),
           " first_loss=%.3f" % losses[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--lockstep", action="store_true",
                        help="one case: take turns with another process, run by run (scripts/lockstep.py)")
    parser.add_argument("--scaling", action="store_true")
    parser.add_argument("--point", type=int, action="append", default=[],
                        help="with --scaling: only this index of the sweep (repeatable)")
    parser.add_argument("cases", nargs="*")
    args = parser.parse_args()
    if any(not 0 <= i < len(SCALING_SWEEP) for i in args.point):
        parser.error("--point must be in 0...%d" % (len(SCALING_SWEEP) - 1))
    if args.lockstep and (len(args.point) != 1 if args.scaling else len(args.cases) != 1):
        parser.error("--lockstep times one case (or one --point of --scaling) at a time")
    global LOCKSTEP
    LOCKSTEP = args.lockstep
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    wanted = lambda name: not args.cases or name in args.cases
    repeats = args.repeats
    if args.scaling:
        run_scaling_sweep(repeats, args.point)
        return

    for n in [128, 256, 512, 1024]:
        if wanted("gemm_%d" % n):
            a, b = torch.randn(n, n), torch.randn(n, n)
            ms = median_ms(lambda: a @ b, max(3, repeats // 3) if n >= 1024 else repeats)
            report("gemm_%d" % n, ms, 2 * n ** 3)

    steps, batch, inp, hidden = 50, 32, 64, 128
    lstm = nn.LSTM(inp, hidden)
    dense = torch.randn(steps, batch, inp)
    lengths = packed_lengths()
    padded = torch.randn(50, batch, inp)
    dense_tokens, packed_tokens = steps * batch, sum(lengths)

    def packed(x):
        return nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)

    def lstm_packed(x):
        output, (h, _) = lstm(packed(x))
        return output.data, h

    if wanted("lstm_dense"):
        report("lstm_dense", training_ms(lstm, dense, lstm_output_and_h(lstm), repeats), 3 * lstm_flops(dense_tokens, inp, hidden))
    if wanted("lstm_packed"):
        report("lstm_packed", training_ms(lstm, padded, lstm_packed, repeats), 3 * lstm_flops(packed_tokens, inp, hidden))
    if wanted("lstm_dense_nograd"):
        with torch.no_grad():
            ms = median_ms(lambda: lstm(dense), repeats)
        report("lstm_dense_nograd", ms, lstm_flops(dense_tokens, inp, hidden))
    if wanted("lstm_packed_nograd"):
        with torch.no_grad():
            ms = median_ms(lambda: lstm(nn.utils.rnn.pack_padded_sequence(padded, lengths, enforce_sorted=False)), repeats)
        report("lstm_packed_nograd", ms, lstm_flops(packed_tokens, inp, hidden))

    gru = nn.GRU(inp, hidden)

    def gru_packed(x):
        output, h = gru(packed(x))
        return output.data, h

    if wanted("gru_dense"):
        report("gru_dense", training_ms(gru, dense, gru, repeats), 3 * gru_flops(dense_tokens, inp, hidden))
    if wanted("gru_packed"):
        report("gru_packed", training_ms(gru, padded, gru_packed, repeats), 3 * gru_flops(packed_tokens, inp, hidden))

    if wanted("day3_epoch"):
        vocabulary, tags, embedding_dim, tagger_hidden, batch_size = 600, 12, 32, 64, 32
        sentence_lengths = epoch_lengths()
        lcg = SharedLCG(7)
        words = [[1 + lcg.next() % (vocabulary - 1) for _ in range(n)] for n in sentence_lengths]
        labels = [[lcg.next() % tags for _ in range(n)] for n in sentence_lengths]
        embedding = nn.Embedding(vocabulary, embedding_dim, padding_idx=0)
        tagger = nn.LSTM(embedding_dim, tagger_hidden, batch_first=True)
        classifier = nn.Linear(tagger_hidden, tags)
        optimizer = torch.optim.Adam(
            list(embedding.parameters()) + list(tagger.parameters()) + list(classifier.parameters()), lr=1e-3)

        def epoch():
            for start in range(0, len(words), batch_size):
                rows = range(start, min(start + batch_size, len(words)))
                t = max(sentence_lengths[r] for r in rows)
                ids = torch.tensor([words[r] + [0] * (t - len(words[r])) for r in rows])
                targets = torch.tensor([labels[r] + [-100] * (t - len(labels[r])) for r in rows]).reshape(-1)
                optimizer.zero_grad()
                output, _ = tagger(embedding(ids))
                logits = classifier(output).reshape(-1, tags)
                F.cross_entropy(logits, targets, ignore_index=-100).backward()
                optimizer.step()

        report("day3_epoch", median_ms(epoch, max(3, repeats // 5), warmup=1))

    if wanted("lstm_large"):
        bench_lstm_large(max(3, repeats // 5))
    if wanted("lm_step"):
        bench_lm_step(max(3, repeats // 5))

    print("bench: memory start_rss_mb=%.1f peak_rss_mb=%.1f" % (START_RSS_MB, peak_rss_mb()), flush=True)


if __name__ == "__main__":
    main()
