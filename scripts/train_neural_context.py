#!/usr/bin/env python
"""Train neural character context models on a GPU and score the questions recorded for them.

An experiment of issue 14 (``benchmarks/bench_neural_context.py`` records the questions and replays the
answers; read its docstring first). Needs PyTorch and, to finish in minutes, a GPU: it runs on the
device machine, never in the product or CI.

    python3 scripts/train_neural_context.py DIR [--out OUTDIR] [--deadline 480]

For each ``DIR/corpus-<tag>.txt.gz`` (one training document per line) that has questions
(``DIR/queries-<tag>.tsv.gz``: ``start<TAB>text``), the folds' first and the shipped one's last, it
trains a causal character transformer on random windows of the text (3% of the documents held out for
early stopping), then writes ``OUTDIR/scores-<tag>.f32``: each question's natural-log probability of
its text from ``start`` on, given what comes before (float32, in the order of the questions). With the
shipped model's corpus it also prints bits per character of the dev ground truth (``DIR/dev-*.txt.gz``),
beside which the 7-gram's are in the model card. Stops training early to finish by ``--deadline``
seconds after its start.
"""

from __future__ import annotations

import argparse
import gzip
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BOS, UNK = 0, 1
MAX_LEN = 256  # the longest text scored (longer ones keep their last MAX_LEN - 1 characters)


class Block(nn.Module):
    def __init__(self, d, heads, drop):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(drop))
        self.heads, self.drop = heads, drop

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=self.drop if self.training else 0.0)
        x = x + F.dropout(self.proj(a.transpose(1, 2).reshape(b, t, d)), self.drop, self.training)
        return x + self.mlp(self.ln2(x))


class CharGPT(nn.Module):
    def __init__(self, vocab, d=512, layers=6, heads=8, drop=0.2):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(MAX_LEN, d)
        self.blocks = nn.ModuleList(Block(d, heads, drop) for _ in range(layers))
        self.ln, self.head = nn.LayerNorm(d), nn.Linear(d, vocab)
        self.drop = drop

    def forward(self, idx):
        x = F.dropout(self.tok(idx) + self.pos(torch.arange(idx.shape[1], device=idx.device)), self.drop, self.training)
        for b in self.blocks:
            x = b(x)
        return self.head(self.ln(x))


def read_lines(path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [line.rstrip("\n") for line in fh]


def encoder(docs):
    """The code of each character seen twice or more in the training text (others: UNK), as a function
    of a string and as a lookup table of code points (``encode_all``)."""
    counts = {}
    for d in docs:
        for c in d:
            counts[c] = counts.get(c, 0) + 1
    chars = sorted(c for c, n in counts.items() if n >= 2)
    lut = np.full(0x110000, UNK, dtype=np.int64)
    for i, c in enumerate(chars):
        lut[ord(c)] = i + 2
    return len(chars) + 2, lut


def encode_all(texts, lut):
    """All texts encoded in one array, with each one's offset and length."""
    lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    codes = lut[np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32)]
    return codes, np.cumsum(lens) - lens, lens


def stream(docs, lut):
    return torch.from_numpy(encode_all([d + " " for d in docs], lut)[0])


def windows(data, n, length, gen):
    """n random windows of ``length`` characters of ``data`` (on its device), each after a BOS: (inputs, targets)."""
    i = torch.randint(0, len(data) - length, (n,), generator=gen).to(data.device)
    tgt = data[i[:, None] + torch.arange(length, device=data.device)[None, :]]
    inp = torch.cat([torch.full((n, 1), BOS, dtype=torch.long, device=data.device), tgt[:, :-1]], 1)
    return inp, tgt


@torch.no_grad()
def score(model, lut, items, dev, batch=4096):
    """log P(text[start:] | BOS + text[:start]) of each (text, start), natural log, float32 (a text longer
    than MAX_LEN - 1 keeps its last MAX_LEN - 1 characters)."""
    model.eval()
    codes, offs, lens = encode_all([t for t, _s in items], lut)
    starts = np.fromiter((s for _t, s in items), dtype=np.int64, count=len(items))
    cut = np.maximum(0, lens - (MAX_LEN - 1))
    offs, lens, starts = offs + cut, lens - cut, np.maximum(0, starts - cut)
    codes = np.concatenate([codes, np.zeros(1, dtype=np.int64)])
    out = np.zeros(len(items), dtype=np.float32)
    order = np.argsort(lens, kind="stable")
    for a in range(0, len(order), batch):
        ids = order[a:a + batch]
        n = max(1, int(lens[ids].max()))
        col = np.arange(n)[None, :]
        valid = col < lens[ids, None]
        mat = np.where(valid, codes[np.where(valid, offs[ids, None] + col, len(codes) - 1)], BOS)
        x = torch.from_numpy(np.concatenate([np.full((len(ids), 1), BOS), mat], 1)).to(dev)
        mask = torch.from_numpy(valid & (col >= starts[ids, None])).to(dev)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=dev.type == "cuda"):
            logits = model(x[:, :-1])
        lp = torch.log_softmax(logits.float(), -1).gather(-1, x[:, 1:, None])[..., 0]
        out[ids] = (lp * mask).sum(1).cpu().numpy()
    return out


def bits_per_char(model, lut, docs, dev, length=128):
    """Cross-entropy of documents read in windows of ``length`` with half of each window as context."""
    items = []
    for d in docs:
        step = length // 2
        for a in range(0, max(1, len(d)), step):
            lo = max(0, a - step)
            items.append((d[lo:a + step], a - lo))
    lp = score(model, lut, items, dev)
    return float(-lp.sum() / max(1, sum(len(d) for d in docs)) / math.log(2))


def train(docs, dev, seconds, args, log):
    vocab, lut = encoder(docs)
    held = docs[::33]
    fit_docs = [d for j, d in enumerate(docs) if j % 33]
    data, val = stream(fit_docs, lut).to(dev), stream(held, lut).to(dev)
    gen = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    model = CharGPT(vocab, args.d, args.layers, args.heads, args.dropout).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.99), weight_decay=0.1)
    vx, vy = windows(val, 512, args.length, torch.Generator().manual_seed(1))
    best, best_state, t0, step = float("inf"), None, time.time(), 0
    while step < args.steps and time.time() - t0 < seconds:
        lr = args.lr * min(1.0, (step + 1) / 200) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * step / args.steps)))
        for g in opt.param_groups:
            g["lr"] = lr
        model.train()
        x, y = windows(data, args.batch, args.length, gen)
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=dev.type == "cuda"):
            loss = F.cross_entropy(model(x).float().view(-1, vocab), y.view(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        if step % args.eval_every == 0 or step == args.steps:
            model.eval()
            with torch.no_grad(), torch.autocast("cuda", dtype=torch.bfloat16, enabled=dev.type == "cuda"):
                v = float(F.cross_entropy(model(vx).float().view(-1, vocab), vy.view(-1)))
            if v < best:
                best, best_state = v, {k: t.detach().clone() for k, t in model.state_dict().items()}
            log(f"  step {step}: train {loss.item() / math.log(2):.3f} held-out {v / math.log(2):.3f} bits/char "
                f"({time.time() - t0:.0f} s)")
    if best_state is not None:
        model.load_state_dict(best_state)
    n = sum(p.numel() for p in model.parameters())
    log(f"  {n / 1e6:.1f}M parameters, {len(fit_docs)} documents ({len(data):,} characters), {step} steps, "
        f"best held-out {best / math.log(2):.3f} bits/char, {time.time() - t0:.0f} s")
    return model, lut


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", type=Path)
    ap.add_argument("--out", type=Path, default=None, help="default $OUT or DIR")
    ap.add_argument("--deadline", type=float, default=480.0, help="seconds for everything (default 480)")
    ap.add_argument("--d", type=int, default=512)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--length", type=int, default=128)
    ap.add_argument("--steps", type=int, default=4000)
    ap.add_argument("--eval-every", type=int, default=250)
    ap.add_argument("--only", default=None, help="comma-separated tags (default: all with questions)")
    a = ap.parse_args(argv)
    start = time.time()
    out = a.out or Path(os.environ.get("OUT") or a.dir)
    out.mkdir(parents=True, exist_ok=True)
    logf = open(out / "neural-context.log", "a", encoding="utf-8")

    def log(msg):
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.backends.cuda.matmul.allow_tf32 = True
    tags = sorted(p.name[len("queries-"):-len(".tsv.gz")] for p in a.dir.glob("queries-*.tsv.gz"))
    tags = sorted(tags, key=lambda t: t == "full")  # the folds first
    if a.only:
        tags = [t for t in tags if t in a.only.split(",")]
    log(f"device {dev} ({torch.cuda.get_device_name() if dev.type == 'cuda' else 'cpu'}), torch {torch.__version__}, "
        f"models {tags}, d {a.d} layers {a.layers} dropout {a.dropout} batch {a.batch}x{a.length}")
    for j, tag in enumerate(tags):
        queries = [(t, int(s)) for s, t in (line.split("\t", 1) for line in read_lines(a.dir / f"queries-{tag}.tsv.gz"))]
        docs = read_lines(a.dir / f"corpus-{tag}.txt.gz")
        left = a.deadline - (time.time() - start)
        seconds = max(5.0, left / (len(tags) - j) - 15 - len(queries) / 100_000)
        log(f"{tag}: {len(docs)} documents, {len(queries):,} questions, training for at most {seconds:.0f} s")
        model, lut = train(docs, dev, seconds, a, log)
        t0 = time.time()
        s = score(model, lut, queries, dev)
        s.tofile(out / f"scores-{tag}.f32")
        log(f"  scored {len(queries):,} questions in {time.time() - t0:.1f} s")
        if tag == "full":
            for p in sorted(a.dir.glob("dev-*.txt.gz")):
                log(f"  {p.name}: {bits_per_char(model, lut, read_lines(p), dev):.3f} bits/char (ground truth)")
    log(f"done in {time.time() - start:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
