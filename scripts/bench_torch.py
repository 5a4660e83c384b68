# `npm run bench:torch`: the bench workloads in PyTorch (and numpy's sgemm) on this machine, each
# thread/BLAS configuration in its own worker process, then torchlet-vs-PyTorch ratios from the latest
# bench-results/bench-*.json that this run writes (scripts/bench.ts --only <families>, run between
# PyTorch's 1-thread and 2-thread workers; --reuse-node takes an earlier file). Reports, never fails
# on a number; without torch it says so and exits 0. Mirrors scripts/bench/{matmul,elementwise,train_step,epoch,sequence,conv,resnet}.ts
# and the timing method of scripts/bench/harness.ts (warm-up, samples >= 2 ms, median and min).
import argparse
import datetime
import gc
import glob
import json
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RESULTS = os.path.join(ROOT, "bench-results")

FULL = dict(warmup_ms=300, budget_ms=1500, min_samples=5, max_samples=300)
QUICK = dict(warmup_ms=30, budget_ms=150, min_samples=3, max_samples=50)

# Same ids as MATMUL_CASES in scripts/bench/matmul.ts: form, m, k, n (output m x n, inner k).
# AtB: A stored [k, m] and passed as A.t(); ABt: B stored [n, k] and passed as B.t().
MATMUL_CASES = [
    ("AB", 64, 784, 512, "64x784 @ 784x512"),
    ("AtB", 784, 64, 512, "[64x784]^T @ 64x512"),
    ("ABt", 64, 512, 784, "64x512 @ [784x512]^T"),
    ("AB", 64, 512, 512, "64x512 @ 512x512"),
    ("AtB", 512, 64, 512, "[64x512]^T @ 64x512"),
    ("ABt", 64, 512, 512, "64x512 @ [512x512]^T"),
    ("AB", 64, 512, 10, "64x512 @ 512x10"),
    ("AtB", 512, 64, 10, "[64x512]^T @ 64x10"),
    ("ABt", 64, 10, 512, "64x10 @ [512x10]^T"),
    ("AB", 1024, 1024, 1024, "1024^3"),
    ("AB", 2048, 2048, 2048, "2048^3"),
    ("AB", 256, 4096, 256, "256x4096 @ 4096x256"),
    ("AB", 1024, 4096, 1024, "1024x4096 @ 4096x1024"),
]
OPTIMIZERS = ["SGD", "Adam", "AdamW"]


def _lecture(batch, opt, cid=None):
    return (cid or f"lecture-b{batch}:{opt or 'infer'}", f"lecture 784-512-512-10, batch {batch}, {opt or 'inference'}", None, batch, opt)


def _mlp(hidden, batch, opt, name):
    return (f"{name}-b{batch}:{opt}", f"784-{'-'.join(map(str, hidden))}-10, batch {batch}, {opt}", hidden, batch, opt)


# Same ids, models and batches as MLP_CASES in scripts/bench/mlp.ts: id, label, hidden widths (None:
# the lecture's NeuralNetwork), batch, optimizer (None: inference without a graph, eval mode).
MLP_CASES = [
    *(_lecture(64, o, o) for o in OPTIMIZERS),
    _lecture(256, "SGD"), _lecture(256, "Adam"), _lecture(1, None), _lecture(1000, None),
    _mlp([2048, 2048], 512, "SGD", "wide2048"), _mlp([2048, 2048], 512, "Adam", "wide2048"),
    _mlp([256] * 6, 64, "SGD", "deep256x6"), _mlp([128], 32, "Adam", "narrow128"),
]
# Same ids, sizes and byte counts as EW_CASES in scripts/bench/elementwise.ts (16M floats each).
EW_NUMEL = 1 << 24
EW_ROW = 1024
EW_NUMEL_4M = 1 << 22
EW_SMALL = 16
_F, _F4 = 4 * EW_NUMEL, 4 * EW_NUMEL_4M
EW_CASES = [  # id, label, bytes read + written per call, bandwidth-bound (False: time per call matters)
    ("copy_", "copy_ (dst.copy_(src))", 2 * _F, True),
    ("add", "add (a + b)", 3 * _F, True),
    ("add_out", "add (torch.add(a, b, out=))", 3 * _F, True),
    ("add_", "add_ (a += b, in place)", 3 * _F, True),
    ("mul", "mul (a * b)", 3 * _F, True),
    ("exp", "exp", 2 * _F, True),
    ("exp_out", "exp (torch.exp(a, out=))", 2 * _F, True),
    ("relu", "relu", 2 * _F, True),
    ("sum", "sum (all)", _F, True),
    ("softmax", f"softmax(1) of [{EW_NUMEL // EW_ROW}, {EW_ROW}]", 2 * _F, True),
    ("chain4m", "relu(x*a+b)*c, 4 ops on 4M floats", 11 * _F4, True),
    ("rowsum4096x1024", "row sums of 4096x1024 (sum(1))", _F4, True),
    ("colsum4096x1024", "column sums of 4096x1024 (sum(0))", _F4, True),
    ("softmax4096x1000", "softmax(1) of [4096, 1000]", 2 * 4 * 4096 * 1000, True),
    ("small_add", f"small-op overhead: a + b on {EW_SMALL} floats", 3 * 4 * EW_SMALL, False),
]
UNSET_FOR_BLAS = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]
# Same ids and steps as SEQUENCE_CASES in scripts/bench/sequence.ts (issue 15).
SEQUENCE_CASES = [
    ("lstm_step", "LSTM 2x200 train step (seq 35, batch 20)"),
    ("gru_step", "GRU 2x200 train step (seq 35, batch 20)"),
    ("tel_fwd_bwd", "TransformerEncoderLayer 256/4/1024 fwd+bwd (seq 128, batch 16)"),
    ("tel_infer_b1", "TransformerEncoderLayer 256/4/1024 inference (seq 128, batch 1)"),
]


def sequence_step(torch, cid):
    """One call of a sequence case, on a fixed random model and input (seed 0), as sequence.ts."""
    nn = torch.nn
    torch.manual_seed(0)
    if cid in ("lstm_step", "gru_step"):
        rnn = nn.LSTM(200, 200, num_layers=2) if cid == "lstm_step" else nn.GRU(200, 200, num_layers=2)
        opt = torch.optim.SGD(rnn.parameters(), lr=0.1)
        x = torch.randn(35, 20, 200)

        def step():
            out, _ = rnn(x)
            out.pow(2).mean().backward()
            opt.step()
            opt.zero_grad()
        return step
    layer = nn.TransformerEncoderLayer(256, 4, dim_feedforward=1024)
    if cid == "tel_fwd_bwd":
        x = torch.randn(128, 16, 256)

        def step():
            layer(x).pow(2).mean().backward()
            layer.zero_grad()
        return step
    layer.eval()
    x = torch.randn(128, 1, 256)

    def infer():
        with torch.no_grad():
            layer(x)
    return infer


# Same ids, shapes and order as CONV_CASES / LAYER_CASES in scripts/bench/conv.ts and RESNET_CASES in
# scripts/bench/resnet.ts (issue 14). Conv: id, label, n, cin, hw, cout, k, stride, bias, input_grad
# (backward also computes the input's gradient: every layer but a network's first).
def _cnn(cid, cin, hw, cout):
    return (cid, f"CNN {cid[4:]} {cin}->{cout} 3x3 on 64x{hw}x{hw}", 64, cin, hw, cout, 3, 1, True, cin != 1)


def _r18(cid, what, cin, hw, cout, k, stride):
    return (cid, f"R18 {what} {cin}->{cout} {k}x{k}{'/' + str(stride) if stride > 1 else ''} on 8x{hw}x{hw}", 8, cin, hw, cout, k, stride, False, cid != "r18.stem")


CONV_CASES = [
    _cnn("cnn.conv1", 1, 28, 32), _cnn("cnn.conv2", 32, 14, 64),
    _r18("r18.stem", "stem", 3, 224, 64, 7, 2), _r18("r18.l1", "layer1", 64, 56, 64, 3, 1),
    _r18("r18.l2s2", "layer2.0.conv1", 64, 56, 128, 3, 2), _r18("r18.l2", "layer2", 128, 28, 128, 3, 1),
    _r18("r18.l2ds", "layer2 downsample", 64, 56, 128, 1, 2), _r18("r18.l3s2", "layer3.0.conv1", 128, 28, 256, 3, 2),
    _r18("r18.l3", "layer3", 256, 14, 256, 3, 1), _r18("r18.l3ds", "layer3 downsample", 128, 28, 256, 1, 2),
    _r18("r18.l4s2", "layer4.0.conv1", 256, 14, 512, 3, 2), _r18("r18.l4", "layer4", 512, 7, 512, 3, 1),
    _r18("r18.l4ds", "layer4 downsample", 256, 14, 512, 1, 2),
]
CONV_DIRS = ["fwd", "bwd"]
LAYER_CASES = [  # id, label, kind, shape, (kernel, stride, padding) for max-pool
    ("cnn.pool1", "CNN max-pool 2 on 64x32x28x28", "maxpool", (64, 32, 28, 28), (2, 2, 0)),
    ("cnn.pool2", "CNN max-pool 2 on 64x64x14x14", "maxpool", (64, 64, 14, 14), (2, 2, 0)),
    ("r18.maxpool", "R18 max-pool 3/2 p1 on 8x64x112x112", "maxpool", (8, 64, 112, 112), (3, 2, 1)),
    ("cnn.bn1", "CNN BatchNorm2d on 64x32x28x28", "bn", (64, 32, 28, 28), None),
    ("cnn.bn2", "CNN BatchNorm2d on 64x64x14x14", "bn", (64, 64, 14, 14), None),
    ("r18.bn1", "R18 BatchNorm2d on 8x64x112x112", "bn", (8, 64, 112, 112), None),
    ("r18.l3bn", "R18 BatchNorm2d on 8x256x14x14", "bn", (8, 256, 14, 14), None),
]
LAYER_MODES = ["eval", "train"]
RESNET_CASES = [
    ("r18_train_b8", "ResNet-18 training step (SGD, batch 8, 224x224)"),
    ("r18_infer_b1", "ResNet-18 inference (batch 1, 224x224)"),
    ("r18_infer_b8", "ResNet-18 inference (batch 8, 224x224)"),
]
# As RESNET_FULL / RESNET_QUICK in scripts/bench/resnet.ts (calls of 0.1 to a few seconds).
RESNET_FULL = dict(warmup_ms=0, budget_ms=3000, min_samples=5, max_samples=100)
RESNET_QUICK = dict(warmup_ms=0, budget_ms=0, min_samples=1, max_samples=1)


def conv_out(case):
    _, _, n, cin, hw, cout, k, stride, _, _ = case
    return (hw + 2 * ((k - 1) // 2) - k) // stride + 1


def conv_flops(case, d):
    _, _, n, cin, hw, cout, k, stride, _, input_grad = case
    o = conv_out(case)
    fwd = 2 * n * cout * o * o * cin * k * k
    return fwd if d == "fwd" else fwd * (2 if input_grad else 1)


def conv_call(torch, case, d):
    """One call of a conv case on fixed random data, as makeConvCall in conv.ts."""
    F = torch.nn.functional
    _, _, n, cin, hw, cout, k, stride, bias, input_grad = case
    torch.manual_seed(0)
    x = torch.randn(n, cin, hw, hw)
    w = torch.randn(cout, cin, k, k) * (1 / math.sqrt(cin * k * k))
    b = torch.randn(cout) if bias else None
    pad = (k - 1) // 2
    if d == "fwd":
        def fwd():
            with torch.no_grad():
                F.conv2d(x, w, b, stride, pad)
        return fwd
    w.requires_grad_(True)
    if b is not None:
        b.requires_grad_(True)
    if input_grad:
        x.requires_grad_(True)
    out = F.conv2d(x, w, b, stride, pad)
    g = torch.randn(out.shape)
    wrt = ([x] if input_grad else []) + [w] + ([b] if b is not None else [])
    return lambda: torch.autograd.grad(out, wrt, g, retain_graph=True)


def layer_call(torch, case, mode):
    """One call of a max-pool / batch-norm case, as makeLayerCall in conv.ts."""
    nn = torch.nn
    _, _, kind, shape, pool = case
    torch.manual_seed(0)
    x = torch.randn(*shape)
    layer = nn.MaxPool2d(*pool) if kind == "maxpool" else nn.BatchNorm2d(shape[1])
    if mode == "eval":
        layer.eval()

        def fwd():
            with torch.no_grad():
                layer(x)
        return fwd
    x.requires_grad_(True)
    g = torch.randn(layer(x).shape)
    return lambda: layer(x).backward(g)


def resnet_step(torch, cid):
    """One call of a ResNet-18 case on torchvision's resnet18 (seed 0), as makeResnetStep in resnet.ts."""
    import torchvision

    torch.manual_seed(0)
    model = torchvision.models.resnet18()
    if cid == "r18_train_b8":
        loss_fn = torch.nn.CrossEntropyLoss()
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        x = torch.randn(8, 3, 224, 224)
        y = torch.randint(1000, (8,))

        def step():
            loss_fn(model(x), y).backward()
            opt.step()
            opt.zero_grad()
        return step
    model.eval()
    x = torch.randn(1 if cid == "r18_infer_b1" else 8, 3, 224, 224)

    def infer():
        with torch.no_grad():
            model(x)
    return infer


def case_id(form, m, k, n):
    return f"{form}:{m}x{k}x{n}"


def progress(s):
    print(f"  .. {s}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Timing (same algorithm as scripts/bench/harness.ts)


def measure(fn, b):
    gc.collect()
    now = lambda: time.perf_counter() * 1000.0
    w0 = now()
    calls = 0
    while True:
        t = now()
        fn()
        last = now() - t
        calls += 1
        if now() - w0 >= b["warmup_ms"] and calls >= 1:
            break
    per = max(1, min(1000, math.ceil(2.0 / max(last, 1e-4))))
    times = []
    s0 = now()
    while len(times) < b["max_samples"] and (len(times) < b["min_samples"] or now() - s0 < b["budget_ms"]):
        t = now()
        for _ in range(per):
            fn()
        times.append((now() - t) / per)
    times.sort()
    h = len(times) // 2
    med = times[h] if len(times) % 2 else (times[h - 1] + times[h]) / 2
    return {"medianMs": med, "minMs": times[0], "meanMs": sum(times) / len(times), "samples": len(times), "callsPerSample": per}


def try_measure(fn, b):
    try:
        return measure(fn, b)
    except Exception as e:  # reported as n/a, like the node side
        return {"na": f"error: {str(e).splitlines()[0] if str(e) else type(e).__name__}"}


def try_build_measure(make, b):
    """try_measure of the call make() builds; an error while building is n/a too."""
    try:
        fn = make()
    except Exception as e:
        return {"na": f"error: {str(e).splitlines()[0] if str(e) else type(e).__name__}"}
    return try_measure(fn, b)


# --------------------------------------------------------------------------------------------
# Workers: one process per configuration (threads and BLAS are fixed at process start)


def blas_in_use():
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            p = line.split()[-1]
            if "blas" in os.path.basename(p) or "lapack" in os.path.basename(p):
                libs.add(os.path.realpath(p))
    return sorted(libs)


def worker_numpy(cfg):
    import numpy as np

    b = QUICK if cfg["quick"] else FULL
    rng = np.random.default_rng(0)
    out = {"numpy": np.__version__, "matmul": {}}
    for form, m, k, n, _ in MATMUL_CASES:
        if cfg.get("skip_big") and m * k * n >= 2048**3:
            out["matmul"][case_id(form, m, k, n)] = {"na": "skipped: reference BLAS is too slow for 2048^3"}
            continue
        a = rng.standard_normal((k, m) if form == "AtB" else (m, k), dtype=np.float32)
        w = rng.standard_normal((n, k) if form == "ABt" else (k, n), dtype=np.float32)
        A = a.T if form == "AtB" else a
        W = w.T if form == "ABt" else w
        out["matmul"][case_id(form, m, k, n)] = try_measure(lambda: np.matmul(A, W), b)
    out["blas"] = blas_in_use()
    return out


def make_mlp(torch):
    nn = torch.nn

    class NeuralNetwork(nn.Module):
        def __init__(self):
            super().__init__()
            self.flatten = nn.Flatten()
            self.linear_relu_stack = nn.Sequential(
                nn.Linear(28 * 28, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10)
            )

        def forward(self, x):
            x = self.flatten(x)
            return self.linear_relu_stack(x)

    return NeuralNetwork


def mlp_call(torch, NeuralNetwork, hidden, batch, opt):
    """One call of an MLP case (seed 0): a training step, or inference when opt is None, as train_step.ts."""
    nn = torch.nn
    torch.manual_seed(0)
    if hidden is None:
        model = NeuralNetwork()
    else:
        dims = [784, *hidden, 10]
        layers = [nn.Flatten()]
        for i in range(len(dims) - 1):
            layers.append(nn.Linear(dims[i], dims[i + 1]))
            if i + 2 < len(dims):
                layers.append(nn.ReLU())
        model = nn.Sequential(*layers)
    X = torch.randn(batch, 1, 28, 28)
    if opt is None:
        model.eval()

        def infer():
            with torch.no_grad():
                model(X)
        return infer
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = make_optimizer(torch, opt, model)
    y = torch.randint(10, (batch,))

    def step():
        pred = model(X)
        loss = loss_fn(pred, y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    return step


def make_optimizer(torch, name, model):
    if name == "SGD":
        return torch.optim.SGD(model.parameters(), lr=1e-3)
    if name == "Adam":
        return torch.optim.Adam(model.parameters(), lr=1e-3)
    return torch.optim.AdamW(model.parameters(), lr=1e-3)


def train_loop(dataloader, model, loss_fn, optimizer, limit):
    # The lecture's loop without its print (loss.item() every 100 batches is kept).
    model.train()
    n = 0
    for batch, (X, y) in enumerate(dataloader):
        pred = model(X)
        loss = loss_fn(pred, y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if batch % 100 == 0:
            loss, current = loss.item(), batch * 64 + len(X)
        n += 1
        if n >= limit:
            break
    return n


def test_loop(torch, dataloader, model, loss_fn, limit):
    model.eval()
    n = 0
    test_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in dataloader:
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
            n += 1
            if n >= limit:
                break
    return n


class Preloaded:
    """One [N,1,28,28] float tensor sliced per batch (the 'data preloaded' fast path)."""

    def __init__(self, ds):
        self.X = ds.data.float().div(255).unsqueeze(1)
        self.y = ds.targets
        self.n = len(self.y)

    def __len__(self):
        return (self.n + 63) // 64

    def __iter__(self):
        for i in range(0, self.n, 64):
            yield self.X[i : i + 64], self.y[i : i + 64]


def worker_torch(cfg):
    import torch

    torch.set_num_threads(cfg["threads"])
    b = QUICK if cfg["quick"] else FULL
    fams = cfg["families"]
    out = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    torch.manual_seed(0)
    if "matmul" in fams:
        res, res_out = {}, {}
        for form, m, k, n, label in MATMUL_CASES:
            cid = case_id(form, m, k, n)
            if cfg.get("skip_big") and m * k * n >= 2048**3:
                res[cid] = {"na": "skipped: reference BLAS is too slow for 2048^3"}
                continue
            progress(f"[{cfg['name']}] torch.mm {label}")
            a = torch.randn(k, m) if form == "AtB" else torch.randn(m, k)
            w = torch.randn(n, k) if form == "ABt" else torch.randn(k, n)
            A = a.t() if form == "AtB" else a
            W = w.t() if form == "ABt" else w
            res[cid] = try_measure(lambda: torch.mm(A, W), b)
            O = torch.empty(m, n)
            res_out[cid] = try_measure(lambda: torch.mm(A, W, out=O), b)
        out["matmul"] = res
        out["matmul_out"] = res_out
    if "elementwise" in fams:
        a, bb, dst = torch.randn(EW_NUMEL), torch.randn(EW_NUMEL), torch.zeros(EW_NUMEL)
        rows = a.view(EW_NUMEL // EW_ROW, EW_ROW)
        x, ca, cb, cc = (torch.randn(EW_NUMEL_4M) for _ in range(4))
        x2, sm, small = x.view(4096, 1024), torch.randn(4096, 1000), torch.randn(EW_SMALL)
        ops = {
            "copy_": lambda: dst.copy_(a), "add": lambda: a + bb, "add_out": lambda: torch.add(a, bb, out=dst),
            "add_": lambda: dst.add_(bb), "mul": lambda: a * bb, "exp": lambda: a.exp(), "exp_out": lambda: torch.exp(a, out=dst),
            "relu": lambda: a.relu(), "sum": lambda: a.sum(), "softmax": lambda: rows.softmax(1),
            "chain4m": lambda: (x * ca + cb).relu() * cc, "rowsum4096x1024": lambda: x2.sum(1), "colsum4096x1024": lambda: x2.sum(0),
            "softmax4096x1000": lambda: sm.softmax(1), "small_add": lambda: small + small,
        }
        res = {}
        for cid, label, _, _ in EW_CASES:
            progress(f"[{cfg['name']}] elementwise {label}")
            res[cid] = try_measure(ops[cid], b)
        out["elementwise"] = res
    NeuralNetwork = make_mlp(torch)
    if "train" in fams:
        res = {}
        cases = MLP_CASES if cfg.get("all_mlp", True) else [c for c in MLP_CASES if c[0] in OPTIMIZERS]
        for cid, label, hidden, batch, opt in cases:
            progress(f"[{cfg['name']}] train {label}")
            res[cid] = try_measure(mlp_call(torch, NeuralNetwork, hidden, batch, opt), b)
        out["train"] = res
    if "epoch" in fams:
        out["epoch"] = run_epochs(torch, NeuralNetwork, cfg)
    if "sequence" in fams:
        res = {}
        for cid, label in SEQUENCE_CASES:
            progress(f"[{cfg['name']}] sequence {label}")
            res[cid] = try_measure(sequence_step(torch, cid), b)
        out["sequence"] = res
    if "conv" in fams:
        res = {}
        for case in CONV_CASES:
            for d in CONV_DIRS:
                progress(f"[{cfg['name']}] conv {case[0]} {d}")
                res[f"{case[0]}:{d}"] = try_build_measure(lambda: conv_call(torch, case, d), b)
        for case in LAYER_CASES:
            for mode in LAYER_MODES:
                progress(f"[{cfg['name']}] conv {case[0]} {mode}")
                res[f"{case[0]}:{mode}"] = try_build_measure(lambda: layer_call(torch, case, mode), b)
        out["conv"] = res
    if "resnet" in fams:
        res = {}
        for cid, label in RESNET_CASES:
            progress(f"[{cfg['name']}] resnet {label}")
            res[cid] = try_build_measure(lambda: resnet_step(torch, cid), RESNET_QUICK if cfg["quick"] else RESNET_FULL)
        out["resnet"] = res
    out["blas"] = blas_in_use()
    return out


def run_epochs(torch, NeuralNetwork, cfg):
    try:
        from torchvision import datasets
        from torchvision.transforms import ToTensor

        train = datasets.FashionMNIST(root=cfg["data_root"], train=True, download=False, transform=ToTensor())
        test = datasets.FashionMNIST(root=cfg["data_root"], train=False, download=False, transform=ToTensor())
    except Exception as e:
        return {"na": f"FashionMNIST via torchvision not available: {str(e).splitlines()[0]}"}
    from torch.utils.data import DataLoader

    quick = cfg["quick"]
    epochs, train_limit, test_limit, warm = (1, 100, 30, 10) if quick else (cfg.get("epochs", 2), math.inf, math.inf, 30)
    res = {}
    for variant in ["as-written", "preloaded"]:
        progress(f"[{cfg['name']}] epoch {variant}")
        if variant == "as-written":
            tr, te = DataLoader(train, batch_size=64), DataLoader(test, batch_size=64)
        else:
            tr, te = Preloaded(train), Preloaded(test)
        torch.manual_seed(0)
        model = NeuralNetwork()
        loss_fn = torch.nn.CrossEntropyLoss()
        optimizer = torch.optim.SGD(model.parameters(), lr=1e-3)
        gc.collect()
        train_loop(tr, model, loss_fn, optimizer, warm)
        test_loop(torch, te, model, loss_fn, max(1, warm // 4))
        times, train_s, test_s, scaled = [], math.inf, math.inf, None
        for _ in range(epochs):
            t0 = time.perf_counter()
            n_tr = train_loop(tr, model, loss_fn, optimizer, train_limit)
            t1 = time.perf_counter()
            n_te = test_loop(torch, te, model, loss_fn, test_limit)
            t2 = time.perf_counter()
            a = (t1 - t0) * len(tr) / n_tr
            c = (t2 - t1) * len(te) / n_te
            if n_tr < len(tr) or n_te < len(te):
                scaled = f"{n_tr} train + {n_te} test batches"
            times.append(a + c)
            train_s, test_s = min(train_s, a), min(test_s, c)
        res[variant] = {"epochsS": times, "bestS": min(times), "trainS": train_s, "testS": test_s, "extrapolatedFrom": scaled}
    return res


# --------------------------------------------------------------------------------------------
# Driver


def find_openblas():
    """(dir for LD_LIBRARY_PATH or None when the system BLAS already is OpenBLAS, description), or (None, None)."""
    sys_blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    if "openblas" in sys_blas:
        return None, f"system ({sys_blas})"
    cands = [os.environ.get("BENCH_OPENBLAS_DIR"), "/usr/lib/x86_64-linux-gnu/openblas-pthread",
             os.path.join(RESULTS, "openblas", "usr/lib/x86_64-linux-gnu/openblas-pthread")]
    for d in cands:
        if d and os.path.exists(os.path.join(d, "libblas.so.3")):
            return d, f"{d} (via LD_LIBRARY_PATH)"
    # NOTE: Debian's libopenblas0-pthread may sit in apt's cache without being installed; unpacking
    # it into bench-results/ (gitignored) uses it for the bench processes only, changing nothing system-wide.
    debs = sorted(glob.glob("/var/cache/apt/archives/libopenblas0-pthread_*.deb"))
    if debs:
        dest = os.path.join(RESULTS, "openblas")
        r = subprocess.run(["dpkg-deb", "-x", debs[-1], dest], capture_output=True, text=True)
        d = cands[-1]
        if r.returncode == 0 and os.path.exists(os.path.join(d, "libblas.so.3")):
            return d, f"{d} (unpacked from {os.path.basename(debs[-1])}, via LD_LIBRARY_PATH)"
    return None, None


def prepare_data():
    """bench-results/torch-data/FashionMNIST/raw/* unpacked from the repo's (or Debian's) .gz files."""
    import gzip
    import shutil

    srcs = [os.path.join(ROOT, "data", "FashionMNIST", "raw"), "/usr/share/datasets/fashion-mnist"]
    names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
    root = os.path.join(RESULTS, "torch-data")
    raw = os.path.join(root, "FashionMNIST", "raw")
    os.makedirs(raw, exist_ok=True)
    # NOTE: unpacked by hand because torchvision checks the .gz against its md5 list and these
    # files are the same data gzipped differently; it loads unpacked files without any check.
    for nm in names:
        dst = os.path.join(raw, nm)
        if os.path.exists(dst):
            continue
        src = next((os.path.join(s, nm + ".gz") for s in srcs if os.path.exists(os.path.join(s, nm + ".gz"))), None)
        if src is None:
            return root, f"{nm}.gz not found in {' or '.join(srcs)}"
        with gzip.open(src, "rb") as f, open(dst + ".part", "wb") as g:
            shutil.copyfileobj(f, g)
        os.replace(dst + ".part", dst)
    try:
        from torchvision import datasets

        datasets.FashionMNIST(root=root, train=True, download=False)
        datasets.FashionMNIST(root=root, train=False, download=False)
        return root, None
    except Exception as e:
        return root, str(e).splitlines()[0] if str(e) else type(e).__name__


def run_worker(cfg, env_set, ld_path):
    env = {k: v for k, v in os.environ.items() if k not in UNSET_FOR_BLAS + ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_WAIT_POLICY"]}
    env.update(env_set)
    if ld_path:
        env["LD_LIBRARY_PATH"] = ld_path + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    # stderr passes through (live progress, warnings, tracebacks); stdout carries the result line.
    r = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", json.dumps(cfg)], env=env, stdout=subprocess.PIPE, text=True)
    for line in r.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    return {"na": f"worker {cfg['name']} failed (exit {r.returncode}); its error is on stderr above"}


def run_node_steps(quick):
    """torchlet's training steps (scripts/bench/step_worker.ts), or an n/a dict."""
    cmd = [os.path.join(ROOT, "node_modules", ".bin", "tsx"), os.path.join(HERE, "bench", "step_worker.ts")] + (["--quick"] if quick else [])
    r = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    for line in r.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON ") :])
    return {"na": f"step_worker.ts failed (exit {r.returncode})"}


CNN_FAMILIES = ("conv", "resnet")


def cnn_rounds(rounds, base, fams, blas_name, ld):
    """The conv and resnet families, torchlet and PyTorch alternately in the same run: each round runs
    torchlet (scripts/bench/cnn_worker.ts: native 1T and 2T), then PyTorch 1T, 2T and 2T passive."""
    out = []
    only = ",".join(fams)
    for r in range(rounds):
        progress(f"round {r + 1}/{rounds} of {only}: torchlet native 1T and 2T")
        cmd = [os.path.join(ROOT, "node_modules", ".bin", "tsx"), os.path.join(HERE, "bench", "cnn_worker.ts"), "--only", only] + (["--quick"] if base["quick"] else [])
        p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        tl = next((json.loads(line[len("BENCH_JSON "):]) for line in p.stdout.splitlines() if line.startswith("BENCH_JSON ")),
                  {"na": f"cnn_worker.ts failed (exit {p.returncode})"})
        cfg = dict(base, families=list(fams), kind="torch")
        pt = {}
        for name, threads, env in [("1T", 1, {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}),
                                   ("2T", 2, {"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2"}),
                                   ("2T passive", 2, {"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2", "OMP_WAIT_POLICY": "passive"})]:
            pt[name] = run_worker(dict(cfg, name=f"torch {blas_name} {name}, round {r + 1}", threads=threads), env, ld)
        out.append({"torchlet": tl, "torch": pt})
    return out


def interleaved_rounds(rounds, base, blas_name, ld):
    """The training step of torchlet and PyTorch (1T, and 2T with its best setting, passive) in
    alternation, `rounds` times: per-round ratios compare runs a few seconds apart."""
    out = []
    for r in range(rounds):
        progress(f"round {r + 1}/{rounds}: torchlet native 1T and 2T")
        tl = run_node_steps(base["quick"])
        one = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        two = {"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2", "OMP_WAIT_POLICY": "passive"}
        cfg = dict(base, families=["train"], kind="torch", all_mlp=False)
        p1 = run_worker(dict(cfg, name=f"torch {blas_name} 1T, round {r + 1}", threads=1), one, ld)
        p2 = run_worker(dict(cfg, name=f"torch {blas_name} 2T passive, round {r + 1}", threads=2), two, ld)
        out.append({"torchlet": tl, "torch1": p1, "torch2": p2})
    return out


# --------------------------------------------------------------------------------------------
# Tables


def fmt(x, d=1):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    if isinstance(x, str):
        return x
    sig = d if x == 0 else max(d, min(4, 1 - math.floor(math.log10(abs(x)))))
    return f"{x:.{sig}f}"


def table(title, headers, rows, notes=()):
    body = [[fmt(c) if not isinstance(c, str) else c for c in r] for r in rows]
    allr = [headers] + body
    w = [max(len(r[i]) for r in allr) for i in range(len(headers))]
    line = lambda r: "  ".join(s.ljust(w[i]) if i == 0 else s.rjust(w[i]) for i, s in enumerate(r)).rstrip()
    print(f"\n## {title}")
    print(line(headers))
    print("  ".join("-" * n for n in w))
    for r in body:
        print(line(r))
    for n in notes:
        print(f"  {n}")


STAT = "medianMs"  # or "minMs" (--stat min): which per-call time the tables use, on both sides


def ms(r):
    return r[STAT] if isinstance(r, dict) and STAT in r else None


def gfl(case, r):
    form, m, k, n = case[:4]
    t = ms(r)
    return 2 * m * k * n / t / 1e6 if t else None


def ratio(a, b):
    return a / b if a is not None and b is not None and b > 0 else None


def node_jsons():
    """torchlet's result files, newest first."""
    files = [f for f in glob.glob(os.path.join(RESULTS, "bench-*.json")) if not os.path.basename(f).startswith("bench-torch-")]
    return sorted(files, key=os.path.getmtime, reverse=True)


def node_results(fams, quick, force):
    """Per family, the newest torchlet result holding it (a full run's before a --quick one's, unless
    this run is --quick); runs `scripts/bench.ts --only <missing>` for the rest."""
    picked = {}
    if not force:
        found = {}
        for file in node_jsons():
            try:
                data = json.load(open(file))
            except (OSError, ValueError):
                continue
            rank = 0 if not quick and data.get("meta", {}).get("quick") else 1
            for f in fams:
                if data.get(f) and (f not in found or found[f][0] < rank):
                    found[f] = (rank, file)
        picked = {f: file for f, (_, file) in found.items()}
    missing = [f for f in fams if f not in picked]
    if missing:
        cmd = [os.path.join(ROOT, "node_modules", ".bin", "tsx"), os.path.join(HERE, "bench.ts"), "--only", ",".join(missing)] + (["--quick"] if quick else [])
        print(f"\n(no torchlet results for {', '.join(missing)} in {RESULTS}: running scripts/bench.ts {' '.join(cmd[2:])})", flush=True)
        subprocess.run(cmd, cwd=ROOT)
        files = node_jsons()
        if files and all(json.load(open(files[0])).get(f) for f in missing):
            for f in missing:
                picked[f] = files[0]
    return picked


def render(st):
    """Prints the ratio tables from a state dict (freshly measured, or loaded with --from)."""
    fams, runs, numpy_runs, as_installed = st["families"], st["runs"], st["numpy"], st["as_installed"]
    blas_name = "OpenBLAS" if st["openblas"] else "system BLAS"
    node, used = {}, st["torchlet_results"]
    for f in [f for f in fams if f not in CNN_FAMILIES]:
        file = used.get(f)
        data = json.load(open(file)) if file and os.path.exists(file) else {}
        node[f] = data.get(f)
        meta = data.get("meta", {})
        print(f"torchlet {f}: {file or 'none'} ({meta.get('timestamp', '?')}{', --quick' if meta.get('quick') else ''})")
    print(f"tables use the {'median' if STAT == 'medianMs' else 'minimum'} time per call of both sides"
          f"{' (min: closer to an idle machine)' if STAT == 'minMs' else ''}")
    for label, r in [*(("torch " + k, v) for k, v in runs.items()), *(("numpy " + k, v) for k, v in numpy_runs.items()),
                     *(("torch as installed " + k, v) for k, v in as_installed.items())]:
        if "na" in r:
            print(f"n/a: {label}: {r['na']}")

    def best2(fam, key, lower_is_better=True, value=ms):
        """Best of PyTorch's 2-thread configurations: (value, config name)."""
        best = (None, None)
        for nm in ("2T", "2T passive"):
            r = runs.get(nm, {})
            v = value(r.get(fam, {}).get(key)) if isinstance(r.get(fam), dict) else None
            if v is not None and (best[0] is None or (v < best[0] if lower_is_better else v > best[0])):
                best = (v, nm)
        return best

    ratios = {"stat": STAT, "matmul": {}, "matmul_out": {}, "elementwise": {}, "train": {}, "epoch": {}, "rounds": {}, "sequence": {}}
    if "matmul" in fams:
        nm_rows = {r["id"]: r for r in node.get("matmul") or []}
        rows = []
        for case in MATMUL_CASES:
            cid = case_id(*case[:4])
            t1 = gfl(case, runs.get("1T", {}).get("matmul", {}).get(cid))
            t2, _ = best2("matmul", cid, lower_is_better=False, value=lambda r: gfl(case, r))
            np1 = gfl(case, numpy_runs.get("1T", {}).get("matmul", {}).get(cid))
            np2 = gfl(case, numpy_runs.get("2T", {}).get("matmul", {}).get(cid))
            nr = nm_rows.get(cid, {}).get("results", {})
            l1, l2 = gfl(case, nr.get("native-1t")), gfl(case, nr.get("native-2t"))
            # Both PyTorch and numpy call the same sgemm: the better of the two is the BLAS's number.
            ob1 = max([x for x in (t1, np1) if x is not None], default=None)
            ob2 = max([x for x in (t2, np2) if x is not None], default=None)
            ratios["matmul"][cid] = dict(torch1=t1, torch2=t2, numpy1=np1, numpy2=np2, torchlet1=l1, torchlet2=l2,
                                         vs_torch1=ratio(l1, t1), vs_torch2=ratio(l2, t2), vs_blas1=ratio(l1, ob1), vs_blas2=ratio(l2, ob2))
            rows.append([case[4], t1, t2, np1, np2, l1, l2, ratio(l1, t1), ratio(l2, t2), ratio(l1, ob1), ratio(l2, ob2)])
        table(f"matmul GFLOP/s, new result per call (torch.mm(a, b)): PyTorch ({blas_name}) and numpy sgemm vs torchlet native (ratios > 1: torchlet faster)",
              ["case", "pt 1T", "pt 2T*", "np 1T", "np 2T", "tl 1T", "tl 2T", "tl/pt 1T", "tl/pt 2T", "tl/blas 1T", "tl/blas 2T"], rows,
              ["pt 2T* = best of OMP_WAIT_POLICY default/passive; np = numpy's sgemm; blas = the better of pt and np.",
               "Targets (issue 5): MLP shapes tl/blas >= 1.0 at 1T and 2T; 1024^3 and 2048^3 >= 0.9."])
        rows = []
        for case in MATMUL_CASES:
            cid = case_id(*case[:4])
            t1 = gfl(case, runs.get("1T", {}).get("matmul_out", {}).get(cid))
            t2, _ = best2("matmul_out", cid, lower_is_better=False, value=lambda r: gfl(case, r))
            nr = nm_rows.get(cid, {}).get("results", {})
            l1, l2 = gfl(case, nr.get("native-1t-out")), gfl(case, nr.get("native-2t-out"))
            ratios["matmul_out"][cid] = dict(torch1=t1, torch2=t2, torchlet1=l1, torchlet2=l2, vs_torch1=ratio(l1, t1), vs_torch2=ratio(l2, t2))
            rows.append([case[4], t1, t2, l1, l2, ratio(l1, t1), ratio(l2, t2)])
        table(f"matmul GFLOP/s into a preallocated result (torch.mm(a, b, out=)): the GEMM kernels side by side, PyTorch on {blas_name}",
              ["case", "pt 1T", "pt 2T*", "tl 1T", "tl 2T", "tl/pt 1T", "tl/pt 2T"], rows,
              ["Without the allocation of the result, whose cost differs between the runtimes (see the note in issue 5)."])
    if "elementwise" in fams:
        ew = node.get("elementwise") or {}
        nrows = {r["id"]: r for r in ew.get("rows", [])}
        rows = []
        copy_nr = nrows.get("copy_", {}).get("results", {})
        copy_gb = [2 * _F / ms(copy_nr.get(k)) / 1e6 if ms(copy_nr.get(k)) else None for k in ("native-1t", "native-2t")]
        for cid, label, nbytes, bw in EW_CASES:
            gb = lambda r: nbytes / ms(r) / 1e6 if ms(r) else None
            p1 = gb(runs.get("1T", {}).get("elementwise", {}).get(cid))
            p2, _ = best2("elementwise", cid, lower_is_better=False, value=gb)
            nr = nrows.get(cid, {}).get("results", {})
            l1, l2 = gb(nr.get("native-1t")), gb(nr.get("native-2t"))
            c1, c2 = (ratio(l1, copy_gb[0]), ratio(l2, copy_gb[1])) if bw else (None, None)
            ratios["elementwise"][cid] = dict(torch1=p1, torch2=p2, torchlet1=l1, torchlet2=l2, vs_torch1=ratio(l1, p1), vs_torch2=ratio(l2, p2),
                                              of_copy1=c1, of_copy2=c2)
            rows.append([label, p1, p2, l1, l2, ratio(l1, p1), ratio(l2, p2), c1 if bw else "", c2 if bw else ""])
        table(f"elementwise / reductions on {EW_NUMEL >> 20}M floats (4M where the label says), GB/s (bytes read + written): PyTorch vs torchlet native",
              ["op", "pt 1T", "pt 2T*", "tl 1T", "tl 2T", "tl/pt 1T", "tl/pt 2T", "tl/copy 1T", "tl/copy 2T"], rows,
              ["Out-of-place rows include allocating the result per call on both sides. tl/pt > 1: torchlet faster.",
               "tl/copy: torchlet's GB/s over its own copy_ at the same thread count (the bandwidth yardstick; target >= 0.8)."])
    if "train" in fams:
        rows = []
        for opt, label, *_ in MLP_CASES:  # NOTE: `opt` is the case id (the optimizer's name for the lecture's batch-64 steps)
            p1 = ms(runs.get("1T", {}).get("train", {}).get(opt))
            p2, which = best2("train", opt)
            pdef = ms(runs.get("2T", {}).get("train", {}).get(opt))
            nres = next((r["results"] for r in node.get("train") or [] if r.get("id", r["optimizer"]) == opt), {})
            l1, l2 = ms(nres.get("native-1t")), ms(nres.get("native-2t"))
            ratios["train"][opt] = dict(torch1=p1, torch2=p2, torch2_config=which, torch2_default=pdef, torchlet1=l1, torchlet2=l2,
                                        time1=ratio(l1, p1), time2=ratio(l2, p2))
            rows.append([label, p1, pdef, p2, which or "-", l1, l2, ratio(l1, p1), ratio(l2, p2)])
        table("MLP training step / inference ms: torchlet time / PyTorch time (target <= 0.80)",
              ["case", "pt 1T", "pt 2T dflt", "pt 2T best", "best cfg", "tl 1T", "tl 2T", "tl/pt 1T", "tl/pt 2T"], rows)
    if "epoch" in fams:
        rows = []
        ne = {r["variant"]: r["results"] for r in (node.get("epoch") or {}).get("rows", [])}
        for pv, tv in [("as-written", "as-written"), ("as-written", "per-sample"), ("preloaded", "preloaded")]:
            vals = {nm: (r.get("epoch", {}).get(pv) or {}).get("bestS") if isinstance(r.get("epoch"), dict) else None for nm, r in runs.items()}
            got = [(v, nm) for nm, v in vals.items() if v is not None]
            pbest, pwhich = min(got) if got else (None, None)
            tres = ne.get(tv, {})
            tl = [(tres.get(k) or {}).get("bestS") for k in ("native-1t", "native-2t")]
            tl = [x for x in tl if x is not None]
            tbest = min(tl) if tl else None
            ratios["epoch"][f"{tv} vs {pv}"] = dict(torch_best=pbest, torch_config=pwhich, torchlet_best=tbest, time=ratio(tbest, pbest))
            rows.append([f"tl {tv} / pt {pv}", vals.get("1T"), vals.get("2T"), vals.get("2T passive"), tbest, ratio(tbest, pbest)])
        table("epoch seconds (train 60k + test 10k, best epoch): torchlet best / PyTorch best (target <= 0.50 as written)",
              ["comparison", "pt 1T", "pt 2T", "pt 2T pass", "tl best", "tl/pt"], rows,
              ["PyTorch 'as-written' is the lecture's DataLoader with per-sample ToTensor (torchvision);",
               "torchlet 'as-written' takes the dataset's batch fast path, 'per-sample' forces get(i) per image.",
               "pt 2T: OMP_WAIT_POLICY default (PyTorch's OpenMP threads spin against OpenBLAS's); pt 2T pass: =passive."])
    if "sequence" in fams:
        rows = []
        nrows = {r["id"]: r["results"] for r in node.get("sequence") or []}
        for cid, label in SEQUENCE_CASES:
            p1 = ms(runs.get("1T", {}).get("sequence", {}).get(cid))
            p2, which = best2("sequence", cid)
            nr = nrows.get(cid, {})
            l1, l2 = ms(nr.get("native-1t")), ms(nr.get("native-2t"))
            ratios["sequence"][cid] = dict(torch1=p1, torch2=p2, torch2_config=which, torchlet1=l1, torchlet2=l2, time1=ratio(l1, p1), time2=ratio(l2, p2))
            rows.append([label, p1, p2, l1, l2, ratio(l1, p1), ratio(l2, p2)])
        table("sequence models ms (issue 15): torchlet time / PyTorch time (target <= 0.80)",
              ["case", "pt 1T", "pt 2T*", "tl 1T", "tl 2T", "tl/pt 1T", "tl/pt 2T"], rows,
              ["pt 2T* = best of OMP_WAIT_POLICY default/passive. PyTorch 1.13's eval-mode layer runs its composed modules here: batch_first=False rules out its fused fast path."])
    if st.get("cnn_rounds"):
        render_cnn(st["cnn_rounds"], fams, ratios)
    if st.get("rounds"):
        rows = []
        for opt in OPTIMIZERS:
            r1, r2 = [], []
            for rd in st["rounds"]:
                tl = rd["torchlet"] if "na" not in rd["torchlet"] else {}
                r1.append(ratio(ms(tl.get("native-1t", {}).get(opt)), ms(rd["torch1"].get("train", {}).get(opt))))
                r2.append(ratio(ms(tl.get("native-2t", {}).get(opt)), ms(rd["torch2"].get("train", {}).get(opt))))
            ok1, ok2 = [x for x in r1 if x is not None], [x for x in r2 if x is not None]
            med = lambda xs: (sorted(xs)[(len(xs) - 1) // 2] + sorted(xs)[len(xs) // 2]) / 2 if xs else None
            ratios["rounds"][opt] = dict(time1=r1, time2=r2, median1=med(ok1), median2=med(ok2))
            rows.append([opt, " ".join(fmt(x, 2) for x in r1), med(ok1), " ".join(fmt(x, 2) for x in r2), med(ok2)])
        table(f"training step, {len(st['rounds'])} interleaved rounds: torchlet time / PyTorch time per round (target <= 0.80)",
              ["optimizer", "1T per round", "1T median", "2T per round", "2T median"], rows,
              ["Each round times torchlet (1T, 2T) then PyTorch (1T, 2T with OMP_WAIT_POLICY=passive) within ~30 s."])
    if as_installed:
        rows = []
        c0, c9 = MATMUL_CASES[0], MATMUL_CASES[9]
        for name in ("1T", "2T"):
            r = as_installed.get(name, {})
            mm = r.get("matmul", {})
            rows.append([name, gfl(c0, mm.get(case_id(*c0[:4]))), gfl(c9, mm.get(case_id(*c9[:4]))),
                         ms(r.get("train", {}).get("SGD")), ", ".join(os.path.basename(x) for x in r.get("blas", []))])
        table(f"PyTorch as installed (system BLAS {st['system_blas']}), for reference only",
              ["threads", "64x784x512 GF/s", "1024^3 GF/s", "SGD step ms", "BLAS loaded"], rows)
    ratios["cases"] = case_ratios(ratios)
    return ratios


def case_ratios(ratios):
    """Every measured comparison as {family, case, threads, ratio}, ratio = torchlet time / PyTorch
    time (> 1: torchlet slower; GFLOP/s and GB/s ratios inverted). `npm run bench:torch` prints their
    geomean and worst per family and overall (scripts/bench/summary.ts). matmul out= and the --rounds
    table repeat cases measured elsewhere, so they are left out."""
    inv = lambda x: 1 / x if x else None
    out = []

    def add(fam, case, r1, r2):
        out.append(dict(family=fam, case=case, threads="1T", ratio=r1))
        out.append(dict(family=fam, case=case, threads="2T", ratio=r2))
    labels = {case_id(*c[:4]): c[4] for c in MATMUL_CASES}
    for cid, r in ratios.get("matmul", {}).items():
        add("matmul", labels.get(cid, cid), inv(r.get("vs_torch1")), inv(r.get("vs_torch2")))
    for cid, r in ratios.get("elementwise", {}).items():
        add("elementwise", cid, inv(r.get("vs_torch1")), inv(r.get("vs_torch2")))
    for cid, r in ratios.get("train", {}).items():
        add("train", cid if ":" in cid else f"lecture-b64:{cid}", r.get("time1"), r.get("time2"))
    for cid, r in ratios.get("sequence", {}).items():
        add("sequence", cid, r.get("time1"), r.get("time2"))
    for cid, r in ratios.get("conv", {}).items():
        if cid == "geomean":
            continue
        if "vs_torch1" in r:
            add("conv", cid, inv(r.get("vs_torch1")), inv(r.get("vs_torch2")))
        else:
            add("conv layers", cid, r.get("time1"), r.get("time2"))
    for cid, r in ratios.get("resnet", {}).items():
        add("resnet", cid, r.get("time1"), r.get("time2"))
    for cid, r in ratios.get("epoch", {}).items():
        out.append(dict(family="epoch", case=cid, threads="best", ratio=r.get("time")))
    return out


def median(xs):
    xs = sorted(x for x in xs if x is not None)
    return (xs[(len(xs) - 1) // 2] + xs[len(xs) // 2]) / 2 if xs else None


def geomean(xs):
    xs = [x for x in xs if x is not None and x > 0]
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def render_cnn(rounds, fams, ratios):
    """Tables of the conv and resnet families from the alternating rounds: each side's median per-call
    time over the rounds, and the median of the per-round ratios (both sides measured minutes apart)."""
    n = len(rounds)
    tl_na = [rd["torchlet"]["na"] for rd in rounds if "na" in rd["torchlet"]]
    for why in tl_na:
        print(f"n/a: torchlet: {why}")
    peak = next((rd["torchlet"]["peak"]["perCore"] for rd in rounds if "peak" in rd["torchlet"]), None)
    peak_note = next((rd["torchlet"]["peak"]["note"] for rd in rounds if "peak" in rd["torchlet"]), "no torchlet run")

    def tl_ms(rd, fam, pick, impl):
        sec = rd["torchlet"].get(fam)
        rows = sec if isinstance(sec, list) else (sec or {}).get(pick[0], [])
        row = next((r for r in rows if all(r.get(k) == v for k, v in pick[1].items())), None)
        return ms((row or {}).get("results", {}).get(impl))

    def pt_ms(rd, fam, key, two):
        if not two:
            return ms(rd["torch"].get("1T", {}).get(fam, {}).get(key))
        got = [ms(rd["torch"].get(c, {}).get(fam, {}).get(key)) for c in ("2T", "2T passive")]
        got = [x for x in got if x is not None]
        return min(got) if got else None

    def series(fam, key, pick):
        """Per round: (pt 1T, pt 2T best, tl 1T, tl 2T) in ms."""
        return [(pt_ms(rd, fam, key, False), pt_ms(rd, fam, key, True), tl_ms(rd, fam, pick, "native-1t"), tl_ms(rd, fam, pick, "native-2t")) for rd in rounds]

    pct = lambda g, threads: 100 * g / (peak * threads) if g is not None and peak else None
    if "conv" in fams:
        ratios["conv"] = {}
        rows, r1s, r2s, g = [], [], [], {k: [] for k in ("p1", "p2", "l1", "l2")}
        for case in CONV_CASES:
            for d in CONV_DIRS:
                key = f"{case[0]}:{d}"
                ser = series("conv", key, ("conv", {"id": case[0], "dir": d}))
                fl = conv_flops(case, d)
                gf = lambda t: fl / t / 1e6 if t else None
                p1, p2, l1, l2 = (gf(median([s[i] for s in ser])) for i in range(4))
                r1 = median([ratio(s[0], s[2]) for s in ser])  # GFLOP/s ratio = time ratio inverted
                r2 = median([ratio(s[1], s[3]) for s in ser])
                r1s.append(r1)
                r2s.append(r2)
                for k, v in zip(("p1", "p2", "l1", "l2"), (p1, p2, l1, l2)):
                    g[k].append(v)
                ratios["conv"][key] = dict(torch1=p1, torch2=p2, torchlet1=l1, torchlet2=l2, vs_torch1=r1, vs_torch2=r2,
                                           peak_torch1=pct(p1, 1), peak_torchlet1=pct(l1, 1), peak_torch2=pct(p2, 2), peak_torchlet2=pct(l2, 2))
                rows.append([case[1], d, p1, p2, l1, l2, r1, r2, pct(p1, 1), pct(l1, 1), pct(p2, 2), pct(l2, 2)])
        gm = {k: geomean(v) for k, v in g.items()}
        rows.append(["geomean", "", gm["p1"], gm["p2"], gm["l1"], gm["l2"], geomean(r1s), geomean(r2s),
                     pct(gm["p1"], 1), pct(gm["l1"], 1), pct(gm["p2"], 2), pct(gm["l2"], 2)])
        ratios["conv"]["geomean"] = dict(vs_torch1=geomean(r1s), vs_torch2=geomean(r2s))
        table(f"conv2d GFLOP/s (issue 14), {n} round(s): PyTorch (oneDNN) vs torchlet native (tl/pt > 1: torchlet faster; target >= 1.0)",
              ["case", "dir", "pt 1T", "pt 2T*", "tl 1T", "tl 2T", "tl/pt 1T", "tl/pt 2T", "%pk pt1", "%pk tl1", "%pk pt2", "%pk tl2"], rows,
              ["pt 2T* = best of OMP_WAIT_POLICY default/passive. tl/pt = median over rounds of the per-round ratio.",
               "bwd = the weight's (and bias's) gradient, plus the input's except for a first layer (CNN conv1, R18 stem).",
               f"%pk = GFLOP/s / (peak per core x threads); peak: {peak_note}"])
        rows = []
        for case in LAYER_CASES:
            for mode in LAYER_MODES:
                key = f"{case[0]}:{mode}"
                ser = series("conv", key, ("layers", {"id": case[0], "mode": mode}))
                p1, p2, l1, l2 = (median([s[i] for s in ser]) for i in range(4))
                t1 = median([ratio(s[2], s[0]) for s in ser])
                t2 = median([ratio(s[3], s[1]) for s in ser])
                ratios["conv"][key] = dict(torch1=p1, torch2=p2, torchlet1=l1, torchlet2=l2, time1=t1, time2=t2)
                rows.append([case[1], mode, p1, p2, l1, l2, t1, t2])
        table("max-pool and batch norm ms (issue 14): torchlet time / PyTorch time (< 1: torchlet faster)",
              ["case", "mode", "pt 1T", "pt 2T*", "tl 1T", "tl 2T", "tl/pt 1T", "tl/pt 2T"], rows,
              ["eval: forward without a graph; train: forward with batch statistics + backward of a fixed gradient."])
    if "resnet" in fams:
        ratios["resnet"] = {}
        rows = []
        for cid, label in RESNET_CASES:
            ser = series("resnet", cid, ("", {"id": cid}))
            p1, p2, l1, l2 = (median([s[i] for s in ser]) for i in range(4))
            t1 = median([ratio(s[2], s[0]) for s in ser])
            t2 = median([ratio(s[3], s[1]) for s in ser])
            ratios["resnet"][cid] = dict(torch1=p1, torch2=p2, torchlet1=l1, torchlet2=l2, time1=t1, time2=t2)
            rows.append([label, p1, p2, l1, l2, t1, t2])
        table(f"ResNet-18 ms (issue 14), {n} round(s): torchlet time / PyTorch time (target <= 0.80 for the step and batch-1 inference)",
              ["case", "pt 1T", "pt 2T*", "tl 1T", "tl 2T", "tl/pt 1T", "tl/pt 2T"], rows,
              ["torchlet: vision.models.resnet18(); PyTorch: torchvision.models.resnet18(); same steps and shapes."])


# --------------------------------------------------------------------------------------------
# Driver


def main():
    global STAT
    ap = argparse.ArgumentParser(description="PyTorch side of the torchlet benchmarks")
    ap.add_argument("--quick", action="store_true", help="fewer iterations; epochs extrapolated from 100 + 30 batches")
    ap.add_argument("--only", default="matmul,elementwise,train,epoch,sequence,conv,resnet")
    ap.add_argument("--run-node", action="store_true", help="(the default now) run the torchlet bench in this run")
    ap.add_argument("--reuse-node", action="store_true", help="take the newest torchlet result in bench-results/ instead of measuring torchlet")
    ap.add_argument("--rounds", type=int, default=0, help="also time the training step of both sides in N alternating rounds; conv and resnet: N rounds instead of 1")
    ap.add_argument("--stat", choices=["median", "min"], default="median", help="per-call time the tables use (default median)")
    ap.add_argument("--from", dest="from_file", help="print the tables of an earlier bench-torch-*.json without measuring")
    ap.add_argument("--worker")
    a = ap.parse_args()
    if a.worker:
        cfg = json.loads(a.worker)
        out = worker_numpy(cfg) if cfg["kind"] == "numpy" else worker_torch(cfg)
        print("BENCH_JSON " + json.dumps(out))
        return 0
    STAT = "minMs" if a.stat == "min" else "medianMs"
    if a.from_file:
        st = json.load(open(a.from_file))
        la = lambda l: " ".join(f"{x:.2f}" for x in l)
        print(f"# PyTorch bench of {st['timestamp']}{' (--quick)' if st.get('quick') else ''}, reprinted from {a.from_file}")
        print(f"OpenBLAS for the main runs: {st['openblas'] or 'not found'}; load average before {la(st['loadavg_before'])}, after {la(st['loadavg_after'])}")
        render(st)
        return 0
    try:
        import torch
    except ImportError as e:
        print(f"bench:torch: skipped: {sys.executable} has no torch ({e}). Install Debian's python3-torch.")
        return 0
    aliases = {"mm": "matmul", "step": "train", "ew": "elementwise", "elem": "elementwise"}
    fams = [aliases.get(f.strip(), f.strip()) for f in a.only.split(",") if f.strip()]
    bad = [f for f in fams if f not in ("matmul", "elementwise", "train", "epoch", "sequence", *CNN_FAMILIES)]
    if bad:
        print(f"--only: unknown family {bad[0]!r} (expected some of matmul, elementwise, train, epoch, sequence, conv, resnet)", file=sys.stderr)
        return 2
    try:
        import numpy  # noqa: F401

        has_numpy = True
    except ImportError:
        has_numpy = False

    started = datetime.datetime.now(datetime.timezone.utc)
    load0 = os.getloadavg()
    ob_dir, ob_desc = find_openblas()
    sys_blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    primary_is_openblas = ob_desc is not None
    data_root, data_err = prepare_data() if "epoch" in fams else (None, None)
    print(f"# PyTorch bench {started.isoformat(timespec='seconds')}{' (--quick)' if a.quick else ''}")
    print(f"python {sys.version.split()[0]}, torch {torch.__version__}, numpy {'yes' if has_numpy else 'no'}; system BLAS {sys_blas}")
    print(f"OpenBLAS for the main runs: {ob_desc or 'not found (PyTorch and numpy use the system BLAS)'}")
    print(f"timing: warm-up, samples of >= 2 ms, median and min per call (as scripts/bench/harness.ts); each configuration in its own process")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in load0)}{'  (machine NOT idle: numbers are lower bounds)' if load0[0] > 0.5 else ''}")
    if data_err:
        print(f"FashionMNIST for torchvision: {data_err}")

    # NOTE: with a reference (netlib) BLAS 2048^3 takes seconds per call; it is skipped there.
    # NOTE: conv and resnet are measured in alternating rounds with torchlet (cnn_rounds), not in the main runs.
    cnn_fams = [f for f in fams if f in CNN_FAMILIES]
    main_fams = [f for f in fams if f not in CNN_FAMILIES]
    base = dict(quick=a.quick, families=main_fams, data_root=data_root, skip_big=not primary_is_openblas)
    ld = ob_dir if primary_is_openblas else None
    blas_name = "OpenBLAS" if primary_is_openblas else "system BLAS"
    configs = [
        ("1T", dict(threads=1), {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}),
        # NOTE: with the default OMP_WAIT_POLICY PyTorch's OpenMP threads spin while OpenBLAS's run,
        # so an epoch takes minutes: one epoch is enough to show it.
        ("2T", dict(threads=2, epochs=1), {"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2"}),
        ("2T passive", dict(threads=2), {"OMP_NUM_THREADS": "2", "OPENBLAS_NUM_THREADS": "2", "OMP_WAIT_POLICY": "passive"}),
    ]
    runs = {}
    used = None
    for name, c, env in configs if main_fams else []:
        runs[name] = run_worker(dict(base, kind="torch", name=f"torch {blas_name} {name}", **c), env, ld)
        if name == "1T" and not a.reuse_node:
            # torchlet in the same run, between PyTorch's 1-thread and 2-thread workers, so both
            # sides see the machine within minutes of each other (it drifts on a shared VM).
            used = node_results(main_fams, a.quick, True)
    numpy_runs = {}
    if has_numpy and "matmul" in fams:
        for name, n in [("1T", "1"), ("2T", "2")]:
            progress(f"[numpy {blas_name} {name}] sgemm")
            numpy_runs[name] = run_worker(dict(base, kind="numpy", name=f"numpy {name}"), {"OPENBLAS_NUM_THREADS": n, "OMP_NUM_THREADS": n}, ld)
    # What Debian's PyTorch gives as installed, when that is not OpenBLAS: matmul + train step only.
    as_installed = {}
    if primary_is_openblas and ob_dir is not None:
        fam2 = [f for f in fams if f in ("matmul", "train")]
        if fam2:
            for name, c, env in configs[:2]:
                as_installed[name] = run_worker(dict(base, families=fam2, kind="torch", name=f"torch system-BLAS {name}", **c, skip_big=True, all_mlp=False), env, None)

    rounds = interleaved_rounds(a.rounds, base, blas_name, ld) if a.rounds > 0 and "train" in fams else []
    cnn = cnn_rounds(max(1, a.rounds), base, cnn_fams, blas_name, ld) if cnn_fams else []
    if used is None:
        used = node_results(main_fams, a.quick, not a.reuse_node)
    load1 = os.getloadavg()
    st = dict(tool="torchlet-bench-torch", version=1, timestamp=started.isoformat(), quick=a.quick, families=fams,
              openblas=ob_desc, system_blas=sys_blas, loadavg_before=load0, loadavg_after=load1, torchlet_results=used,
              runs=runs, numpy=numpy_runs, as_installed=as_installed, rounds=rounds, cnn_rounds=cnn)
    print()
    st["ratios"] = render(st)
    took = (datetime.datetime.now(datetime.timezone.utc) - started).total_seconds()
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in load1)}; took {took:.0f} s")
    os.makedirs(RESULTS, exist_ok=True)
    out = os.path.join(RESULTS, f"bench-torch-{started.strftime('%Y-%m-%dT%H-%M-%S')}.json")
    with open(out, "w") as f:
        json.dump(st, f, indent=2)
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
