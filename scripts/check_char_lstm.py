#!/usr/bin/python3
# Dev tool (not a test): replays `npm run train:chars` (examples/char-lstm.ts) in PyTorch 1.13 with
# the same seed, words, vocabulary, split, batches, model, init and optimizer, after running the
# torchlet program itself, and prints both loss curves side by side with their largest difference,
# then compares the final weights (torchlet's safetensors file against PyTorch's model).
# Nothing is copied between the two programs but the options: each draws its own init and
# shuffle order from its own generator, so agreeing curves mean the draws agree too.
#
# Usage: /usr/bin/python3 scripts/check_char_lstm.py [--epochs N] [--seed N] [--per-language N] ...
#   (the flags of npm run train:chars; defaults are that program's)
import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
from torch import nn

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORDLISTS = os.path.join(REPO, "data", "wordlists")
LANGUAGES = ["english", "german", "french", "spanish", "italian", "portuguese", "dutch"]
TEST_EVERY = 5


def load_words(per_language):
    """As examples/lib/char_data.ts loadWords: vocabulary (0 = padding), train and test (word, label)."""
    train, test, chars = [], [], set()
    for label, lang in enumerate(LANGUAGES):
        with open(os.path.join(WORDLISTS, f"{lang}.txt"), encoding="utf-8") as f:
            words = [w for w in f.read().split("\n") if w][:per_language]
        for i, word in enumerate(words):
            chars.update(word)
            (test if (i + 1) % TEST_EVERY == 0 else train).append((word, label))
    return ["<pad>"] + sorted(chars), train, test


def pad_collate(index):
    def collate(items):
        codes = [[index[ch] for ch in word] for word, _ in items]
        t = max(len(c) for c in codes)
        padded = [c + [0] * (t - len(c)) for c in codes]
        return (torch.tensor(padded, dtype=torch.int64), torch.tensor([len(c) for c in codes], dtype=torch.int64),
                torch.tensor([label for _, label in items], dtype=torch.int64))
    return collate


class CharLSTM(nn.Module):
    def __init__(self, vocab_size, embedding_dim, hidden_size, num_classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, codes, lengths):
        b, h = codes.shape[0], self.lstm.hidden_size
        out, _ = self.lstm(self.embedding(codes))
        last = (lengths - 1).view(b, 1, 1).expand(b, 1, h)
        return self.fc(out.gather(1, last).squeeze(1))


def train_torch(o):
    vocab, train, test = load_words(o.per_language)
    collate = pad_collate({ch: i for i, ch in enumerate(vocab)})
    torch.manual_seed(o.seed)
    model = CharLSTM(len(vocab), o.embedding, o.hidden, len(LANGUAGES))
    train_loader = torch.utils.data.DataLoader(train, batch_size=o.batch_size, shuffle=True, collate_fn=collate)
    test_loader = torch.utils.data.DataLoader(test, batch_size=256, collate_fn=collate)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=o.lr)
    epochs, steps = [], []
    for epoch in range(1, o.epochs + 1):
        start = time.perf_counter()
        model.train()
        total = 0.0
        for codes, lengths, labels in train_loader:
            loss = loss_fn(model(codes, lengths), labels)
            optimizer.zero_grad()
            loss.backward()
            if o.clip > 0:
                nn.utils.clip_grad_norm_(model.parameters(), o.clip)
            optimizer.step()
            steps.append(loss.item())
            total += loss.item() * labels.shape[0]
        seconds = time.perf_counter() - start
        model.eval()
        test_loss, correct = 0.0, 0
        with torch.no_grad():
            for codes, lengths, labels in test_loader:
                logits = model(codes, lengths)
                test_loss += loss_fn(logits, labels).item() * labels.shape[0]
                correct += (logits.argmax(1) == labels).sum().item()
        epochs.append({"epoch": epoch, "trainLoss": total / len(train), "testLoss": test_loss / len(test),
                       "testAccuracy": correct / len(test), "trainSeconds": seconds})
    return model, epochs, steps


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    header.pop("__metadata__", None)
    body = data[8 + n :]
    out = {}
    for name, info in header.items():
        begin, stop = info["data_offsets"]
        assert info["dtype"] == "F32", f"{name}: {info['dtype']}"
        out[name] = torch.from_numpy(np.frombuffer(body[begin:stop], dtype=np.float32).reshape(info["shape"]).copy())
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=0.005)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--embedding", type=int, default=16)
    p.add_argument("--clip", type=float, default=5.0)
    p.add_argument("--per-language", type=int, default=1000)
    p.add_argument("--backend", default=None, help="TORCHLET_BACKEND for the torchlet run (js or native)")
    p.add_argument("--threads", type=int, default=None, help="PyTorch's threads (default PyTorch's: one per core, as torchlet)")
    o = p.parse_args()
    if o.threads is not None:
        torch.set_num_threads(o.threads)

    with tempfile.TemporaryDirectory() as tmp:
        losses_path = os.path.join(tmp, "losses.json")
        cmd = ["npx", "tsx", "examples/char-lstm.ts", "--out", tmp, "--losses", losses_path]
        for flag in ["epochs", "batch-size", "lr", "seed", "hidden", "embedding", "clip", "per-language"]:
            cmd += [f"--{flag}", str(getattr(o, flag.replace("-", "_")))]
        env = dict(os.environ)
        if o.backend:
            env["TORCHLET_BACKEND"] = o.backend
        print("torchlet:", " ".join(cmd), flush=True)
        subprocess.run(cmd, cwd=REPO, env=env, check=True, stdout=sys.stderr)
        with open(losses_path) as f:
            ours = json.load(f)
        weights = load_safetensors(os.path.join(tmp, "char-lstm.safetensors"))

    model, epochs, steps = train_torch(o)
    assert ours["vocab"] == load_words(o.per_language)[0], "vocabularies differ"
    assert len(ours["stepLosses"]) == len(steps), f"{len(ours['stepLosses'])} torchlet steps, {len(steps)} PyTorch steps"
    diffs = [abs(a - b) for a, b in zip(ours["stepLosses"], steps)]
    print(f"\n{'epoch':>5} | {'train loss torchlet':>19} {'PyTorch':>10} | {'test loss torchlet':>18} {'PyTorch':>10} |"
          f" {'accuracy torchlet':>17} {'PyTorch':>8} | {'seconds torchlet':>16} {'PyTorch':>8}")
    for a, b in zip(ours["epochs"], epochs):
        print(f"{a['epoch']:>5} | {a['trainLoss']:>19.6f} {b['trainLoss']:>10.6f} | {a['testLoss']:>18.6f} {b['testLoss']:>10.6f} |"
              f" {100 * a['testAccuracy']:>16.2f}% {100 * b['testAccuracy']:>7.2f}% | {a['trainSeconds']:>16.1f} {b['trainSeconds']:>8.1f}")
    per_epoch = len(steps) // o.epochs
    print(f"\n{len(steps)} steps; step losses, first 3: torchlet {ours['stepLosses'][:3]}, PyTorch {steps[:3]}")
    for e in range(o.epochs):
        d = diffs[e * per_epoch : (e + 1) * per_epoch]
        print(f"epoch {e + 1}: max |step loss difference| {max(d):.3g}")
    print(f"max |step loss difference| over the run: {max(diffs):.3g} (first step: {diffs[0]:.3g})")
    worst = max((weights[k] - v.detach()).abs().max().item() for k, v in model.state_dict().items())
    assert set(weights) == set(model.state_dict()), "parameter names differ"
    print(f"final weights: max |torchlet - PyTorch| {worst:.3g}")


if __name__ == "__main__":
    main()
