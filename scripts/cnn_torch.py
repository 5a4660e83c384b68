#!/usr/bin/python3
# Dev tool (not a test): issue #14's FashionMNIST CNN in PyTorch 1.13, the reference that
# `npm run train -- --model cnn` replays: seed 0, DataLoader(shuffle=True, batch 64) over a dataset
# that applies ToTensor per sample (as torchvision's FashionMNIST with transform=ToTensor() does),
# Adam lr 1e-3, CrossEntropyLoss. Times training epochs (or the first --batches batches of one) at
# --threads threads (torch.set_num_threads; OPENBLAS_NUM_THREADS/OMP_NUM_THREADS are set before
# torch loads). The ConvNet class is also what scripts/check_torch_load.py loads weights into.
#
# Usage: /usr/bin/python3 scripts/cnn_torch.py [--threads N] [--epochs N] [--batches N] [--print-init]
import argparse
import os
import sys


def _threads_from_argv():
    for i, a in enumerate(sys.argv):
        if a == "--threads" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if a.startswith("--threads="):
            return a.split("=", 1)[1]
    return None


if __name__ == "__main__" and _threads_from_argv() is not None:
    # NOTE: must happen before torch (and its BLAS) loads.
    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = _threads_from_argv()

import gzip  # noqa: E402
import struct  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class ConvNet(nn.Module):
    # Same fields as examples/lib/cnn_model.ts, so the state_dict keys are the same.
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1),
            nn.BatchNorm2d(32),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1),
            nn.BatchNorm2d(64),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(64 * 7 * 7, 128),
            nn.ReLU(),
            nn.Dropout(0.25),
            nn.Linear(128, 10),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


def read_idx_gz(path, magic):
    with gzip.open(path, "rb") as f:
        data = f.read()
    got, *_ = struct.unpack(">I", data[:4])
    assert got == magic, f"{path}: magic {got:#x}, expected {magic:#x}"
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    return np.frombuffer(data[4 + 4 * ndim :], dtype=np.uint8).reshape(dims)


class FashionMNIST(torch.utils.data.Dataset):
    """torchvision's FashionMNIST(transform=ToTensor()) without torchvision: per-sample uint8 -> float / 255."""

    def __init__(self, root, train):
        raw = os.path.join(root, "FashionMNIST", "raw")
        prefix = "train" if train else "t10k"
        self.images = torch.from_numpy(read_idx_gz(os.path.join(raw, f"{prefix}-images-idx3-ubyte.gz"), 0x803).copy())
        self.labels = torch.from_numpy(read_idx_gz(os.path.join(raw, f"{prefix}-labels-idx1-ubyte.gz"), 0x801).astype(np.int64))

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        # ToTensor on a PIL 'L' image: [1, 28, 28] float32 in [0, 1]
        return self.images[i].unsqueeze(0).to(torch.float32).div(255), int(self.labels[i])


def main():
    ap = argparse.ArgumentParser(description="Issue #14's CNN in PyTorch: init check and epoch timing.")
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batches", type=int, default=None, help="time only the first N batches of each epoch")
    ap.add_argument("--data", default=os.path.join(REPO, "data"))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--print-init", action="store_true", help="print the seeded initial weights and exit")
    args = ap.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)

    torch.manual_seed(args.seed)
    model = ConvNet()
    if args.print_init:
        for k, v in model.state_dict().items():
            first = " ".join(f"{float(x):.9g}" for x in v.flatten()[:3])
            print(k, list(v.shape), first, f"{float(v.float().sum()):.9g}")
        return

    train = FashionMNIST(args.data, True)
    test = FashionMNIST(args.data, False)
    train_loader = torch.utils.data.DataLoader(train, batch_size=64, shuffle=True)
    test_loader = torch.utils.data.DataLoader(test, batch_size=64)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, load {os.getloadavg()}", flush=True)
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0, n, steps = time.perf_counter(), 0, []
        for b, (X, y) in enumerate(train_loader):
            if args.batches is not None and b >= args.batches:
                break
            s0 = time.perf_counter()
            loss = loss_fn(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss.item()
            steps.append(time.perf_counter() - s0)
            n += 1
        dt = time.perf_counter() - t0
        steps.sort()
        full = len(train_loader)
        line = f"epoch {epoch}: {n} batches in {dt:.2f}s ({1000 * dt / n:.1f} ms/batch; epoch of {full} batches ~{dt / n * full:.1f}s); "
        line += f"step alone (fwd, loss, backward, Adam; no data) min {1000 * steps[0]:.1f} ms, median {1000 * steps[len(steps) // 2]:.1f} ms"
        if args.batches is None:
            model.eval()
            correct = 0
            with torch.no_grad():
                for X, y in test_loader:
                    correct += int((model(X).argmax(1) == y).sum())
            line += f", test accuracy {100 * correct / len(test):.2f}%"
        print(line + f", load {os.getloadavg()[0]:.2f}", flush=True)


if __name__ == "__main__":
    main()
