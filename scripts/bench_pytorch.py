"""PyTorch's side of Torchlet's benchmark: the same cases, shapes and lengths
as Sources/bench/main.swift, printed in the same format:

    bench: case=NAME ms=MEDIAN gflops=... threads=N

Usage: python3 scripts/bench_pytorch.py [--repeats N] [--threads N] [CASE ...]
Needs torch (tested with 2.13.0+cpu: pip install 'torch==2.13.0+cpu').
scripts/bench_compare.sh runs both sides and prints the ratios.
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class SharedLCG:
    """The linear congruential generator of Sources/bench/main.swift."""

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


def median_ms(body, repeats, warmup=2):
    for _ in range(warmup):
        body()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        body()
        times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    return times[len(times) // 2]


def report(name, ms, flops=None):
    gflops = "-" if flops is None else "%.1f" % (flops / (ms * 1e6))
    print("bench: case=%s ms=%.3f gflops=%s threads=%d" % (name, ms, gflops, torch.get_num_threads()), flush=True)


def lstm_flops(tokens, inp, hidden):
    return 2 * tokens * 4 * hidden * (inp + hidden)


def gru_flops(tokens, inp, hidden):
    return 2 * tokens * 3 * hidden * (inp + hidden)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("cases", nargs="*")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    wanted = lambda name: not args.cases or name in args.cases
    repeats = args.repeats

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

    def training_ms(module, inp, run):
        """Median time of forward + backward: run(leaf copy of inp) -> (output rows, final h)."""
        def step():
            output, h = run(inp.clone().requires_grad_(True))
            (output.sum() + h.sum()).backward()
            module.zero_grad()
        return median_ms(step, repeats)

    def packed(x):
        return nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)

    def lstm_dense(x):
        output, (h, _) = lstm(x)
        return output, h

    def lstm_packed(x):
        output, (h, _) = lstm(packed(x))
        return output.data, h

    if wanted("lstm_dense"):
        report("lstm_dense", training_ms(lstm, dense, lstm_dense), 3 * lstm_flops(dense_tokens, inp, hidden))
    if wanted("lstm_packed"):
        report("lstm_packed", training_ms(lstm, padded, lstm_packed), 3 * lstm_flops(packed_tokens, inp, hidden))
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
        report("gru_dense", training_ms(gru, dense, gru), 3 * gru_flops(dense_tokens, inp, hidden))
    if wanted("gru_packed"):
        report("gru_packed", training_ms(gru, padded, gru_packed), 3 * gru_flops(packed_tokens, inp, hidden))

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


if __name__ == "__main__":
    main()
