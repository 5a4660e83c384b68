# Compares torchlet's seeded normals (randn, normal_, nn.init.*_normal_, nn.Embedding) and its
# linspace / logspace with PyTorch 1.13's, element by element, and prints the number of elements
# that differ in any bit per case. Dev tool, not used by tests:
#   /usr/bin/python3 scripts/check_rng_torch.py [--quick]
# It writes PyTorch's outputs to a temp dir, then runs `npx tsx scripts/check_rng_torch.ts DIR`,
# which computes torchlet's for the same cases and prints the table.
# NOTE: PyTorch's float32 normal kernel depends on the CPU (normal_fill_AVX2 on x86 with AVX2,
# normal_fill elsewhere); torchlet reproduces the AVX2 one, so run this on an AVX2 machine.
import json
import math
import os
import subprocess
import sys
import tempfile

import torch

torch.set_num_threads(1)
quick = "--quick" in sys.argv
DT = {"float32": torch.float32, "float64": torch.float64}


def cases():
    seeds = [0, 1, 2, 42, 123, 2024, 99991] if not quick else [0, 7]
    sizes = [1, 5, 15, 16, 17, 31, 100, 1000, 4097, 100000] if not quick else [15, 16, 17, 100, 4097]
    for dtype in ["float32", "float64"]:
        for s in seeds:
            for n in sizes:
                yield {"kind": "randn", "seed": s, "n": n, "dtype": dtype}
        yield {"kind": "randn", "seed": 0, "n": 1000000, "dtype": dtype}
        for s in [0, 5]:
            for n in [7, 16, 1000, 1001]:
                for m, sd in [(0.5, 2.0), (-3.0, 0.01), (1000.0, 7.5), (0.0, 0.0)]:
                    yield {"kind": "normal", "seed": s, "n": n, "dtype": dtype, "mean": m, "std": sd}
        yield {"kind": "stream", "seed": 3, "dtype": dtype}
        yield {"kind": "strided", "seed": 4, "dtype": dtype}
    for s in [0, 11]:
        yield {"kind": "init", "fn": "normal_", "shape": [300, 7], "seed": s}
        yield {"kind": "init", "fn": "kaiming_normal_", "shape": [64, 3, 3, 3], "seed": s}
        yield {"kind": "init", "fn": "xavier_normal_", "shape": [128, 50], "seed": s}
        yield {"kind": "embedding", "seed": s, "num": 1000, "dim": 32}
    ranges = [(-math.pi, math.pi), (0.0, 1.0), (5.0, -3.0), (-10.0, -2.5), (1e-3, 1e4), (3.0, 3.0), (-1.0, 1.0), (0.1, 0.7)]
    steps = [1, 2, 7, 8, 9, 15, 16, 17, 100, 2000, 10001]
    for dtype in ["float32", "float64"]:
        for a, b in ranges:
            for n in steps:
                yield {"kind": "linspace", "start": a, "end": b, "steps": n, "dtype": dtype}
        for a, b in [(-2.0, 2.0), (0.0, 3.0), (3.0, -1.5), (-0.3, 0.9)]:
            for base in [10.0, 2.0, math.e]:
                for n in [1, 2, 7, 9, 17, 100, 2000]:
                    yield {"kind": "logspace", "start": a, "end": b, "steps": n, "base": base, "dtype": dtype}


def run(c):
    k = c["kind"]
    dt = DT.get(c.get("dtype", "float32"))
    if "seed" in c:
        torch.manual_seed(c["seed"])
    if k == "randn":
        return torch.randn(c["n"], dtype=dt)
    if k == "normal":
        return torch.empty(c["n"], dtype=dt).normal_(c["mean"], c["std"])
    if k == "stream":  # the cached second value of the double path, then the blocked kernel
        return torch.cat([torch.randn(3, dtype=dt), torch.randn(100, dtype=dt), torch.randn(7, dtype=dt), torch.randn(33, dtype=dt)])
    if k == "strided":
        return torch.empty(20, 30, dtype=dt).t().normal_(0.5, 2.0)
    if k == "init":
        return getattr(torch.nn.init, c["fn"])(torch.empty(*c["shape"]))
    if k == "embedding":
        return torch.nn.Embedding(c["num"], c["dim"]).weight.detach()
    if k == "linspace":
        return torch.linspace(c["start"], c["end"], c["steps"], dtype=dt)
    if k == "logspace":
        return torch.logspace(c["start"], c["end"], c["steps"], base=c["base"], dtype=dt)
    raise ValueError(k)


def main():
    d = tempfile.mkdtemp(prefix="rng_torch_")
    cs = list(cases())
    for i, c in enumerate(cs):
        t = run(c).contiguous()
        c["file"] = f"{i}.bin"
        c["out_dtype"] = str(t.dtype).replace("torch.", "")
        with open(os.path.join(d, c["file"]), "wb") as f:
            f.write(t.numpy().tobytes())
    with open(os.path.join(d, "cases.json"), "w") as f:
        json.dump(cs, f)
    here = os.path.dirname(os.path.abspath(__file__))
    r = subprocess.run(["npx", "tsx", os.path.join(here, "check_rng_torch.ts"), d], cwd=os.path.dirname(here))
    sys.exit(r.returncode)


main()
