# Compares torchlet's seeded normals (randn, normal_, nn.init.*_normal_, nn.Embedding), the other
# random functions (torch.normal's four forms, bernoulli, poisson, binomial, random_, exponential_,
# geometric_, log_normal_, cauchy_, randint_like: the "x" cases) and its linspace / logspace with
# PyTorch 1.13's, element by element, and prints the number of elements
# that differ in any bit per case. Dev tool, not used by tests:
#   /usr/bin/python3 scripts/check_rng_torch.py [--quick] [--extras]
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
DT = {"float32": torch.float32, "float64": torch.float64, "float16": torch.float16, "bfloat16": torch.bfloat16,
      "int64": torch.int64, "int32": torch.int32, "int16": torch.int16, "int8": torch.int8, "uint8": torch.uint8,
      "bool": torch.bool}
ALL_DTYPES = list(DT)


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
    xsizes = [1, 5, 15, 16, 17, 100, 1001] if not quick else [5, 17, 100]
    for dtype in ["float32", "float64"]:
        for s in [0, 7]:
            for n in xsizes:
                for op in ["normal_tf", "normal_ft", "normal_tt", "normal_tt_bcast", "normal_ff", "normal_gen",
                           "bernoulli_t", "bernoulli_tp", "poisson", "binomial", "exponential", "log_normal",
                           "cauchy", "geometric", "bernoulli_s"]:
                    yield {"kind": "x", "op": op, "seed": s, "n": n, "dtype": dtype}
        yield {"kind": "x", "op": "strided_exponential", "seed": 1, "n": 0, "dtype": dtype}
        yield {"kind": "x", "op": "strided_bernoulli", "seed": 1, "n": 0, "dtype": dtype}
        yield {"kind": "x", "op": "normal_tt_mixed", "seed": 2, "n": 40, "dtype": dtype}
    for dtype in ["float32", "float64", "float16", "bfloat16"]:
        for n in [5, 16, 17, 100]:
            for op in ["uniform", "rand", "rand_like", "randn_like", "normal_ff", "normal_tf"]:
                yield {"kind": "x", "op": op, "seed": 4, "n": n, "dtype": dtype}
        yield {"kind": "x", "op": "strided_uniform", "seed": 1, "n": 0, "dtype": dtype}
        yield {"kind": "x", "op": "strided_normal_small", "seed": 1, "n": 0, "dtype": dtype}
    for dtype in ALL_DTYPES:
        for n in [5, 40]:
            ops = ["random", "random_to", "random_from_to", "random_from", "randint_like", "bernoulli_s", "geometric"]
            if dtype == "int64":
                ops.append("randint_wide")
            if dtype in ["int64", "float32", "float64", "bfloat16"]:
                ops += ["random_wide", "random_full"]
            if dtype == "int64":  # values past 2^53, which torchlet's int64 can't hold
                ops = [o for o in ops if o not in ("random", "random_from", "random_full")]
            for op in ops:
                if op == "geometric" and dtype == "bool" or op == "bernoulli_s" and dtype in ["float16", "bfloat16"]:
                    continue
                yield {"kind": "x", "op": op, "seed": 3, "n": n, "dtype": dtype}
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
    if k == "x":
        return run_extra(c["op"], c["n"], dt)
    raise ValueError(k)


def run_extra(op, n, dt):
    ar = torch.arange(n, dtype=torch.float64)
    if op == "normal_tf":
        return torch.normal((ar * 0.25 - 1).to(dt), 0.75)
    if op == "normal_ft":
        return torch.normal(0.5, (ar * 0.125 + 0.5).to(dt))
    if op == "normal_tt":
        return torch.normal((ar * 0.25 - 1).to(dt), (ar * 0.125).to(dt))
    if op == "normal_tt_bcast":
        return torch.normal((ar * 0.25 - 1).to(dt), torch.tensor([[0.5], [2.0]], dtype=dt))
    if op == "normal_tt_mixed":
        other = torch.float32 if dt == torch.float64 else torch.float64
        return torch.normal((ar * 0.25 - 1).to(dt), (ar * 0.1 + 0.3).to(other))
    if op == "normal_ff":
        return torch.normal(1.5, 2.0, (n,), dtype=dt)
    if op == "normal_gen":
        g = torch.Generator()
        g.manual_seed(5)
        return torch.normal((ar * 0.25).to(dt), 1.0, generator=g)
    if op == "bernoulli_t":
        return torch.bernoulli(((ar % 11) / 10).to(dt))
    if op == "bernoulli_tp":
        return torch.zeros(n, dtype=torch.int64).bernoulli_(((ar % 7) / 6).to(dt))
    if op == "bernoulli_s":
        return torch.empty(n, dtype=dt).bernoulli_(0.3)
    if op == "poisson":
        return torch.poisson(((ar * 1.7) % 30).to(dt))
    if op == "binomial":
        return torch.binomial((ar % 40 + 1).to(dt), ((ar % 9 + 0.5) / 10).to(dt))
    if op == "exponential":
        return torch.empty(n, dtype=dt).exponential_(1.5)
    if op == "log_normal":
        return torch.empty(n, dtype=dt).log_normal_(0.5, 0.8)
    if op == "cauchy":
        return torch.empty(n, dtype=dt).cauchy_(1.0, 2.0)
    if op == "geometric":
        return torch.empty(n, dtype=dt).geometric_(0.3)
    if op == "strided_exponential":
        return torch.empty(20, 30, dtype=dt).t().exponential_()
    if op == "strided_bernoulli":
        return torch.empty(20, 30, dtype=dt).t().bernoulli_(torch.full((30, 20), 0.4, dtype=dt))
    if op == "random":
        return torch.empty(n, dtype=dt).random_()
    if op == "random_to":
        return torch.empty(n, dtype=dt).random_(2 if dt == torch.bool else 100)
    if op == "random_from_to":
        return torch.empty(n, dtype=dt).random_(*{torch.bool: (0, 2), torch.uint8: (3, 200), torch.int8: (-100, 100)}.get(dt, (-5, 300)))
    if op == "random_from":
        return torch.empty(n, dtype=dt).random_(0 if dt == torch.bool else 3, None)
    if op == "random_wide":
        return torch.empty(n, dtype=dt).random_(-(2 ** 40), 2 ** 41)
    if op == "random_full":
        return torch.empty(n, dtype=dt).random_(-(2 ** 63), None)
    if op == "uniform":
        return torch.empty(n, dtype=dt).uniform_(-2.5, 3.1)
    if op == "rand":
        return torch.rand(n, dtype=dt)
    if op == "rand_like":
        return torch.rand_like(torch.empty(n, dtype=dt))
    if op == "randn_like":
        return torch.randn_like(torch.empty(n, dtype=dt))
    if op == "strided_normal_small":
        return torch.empty(3, 4, dtype=dt).t().normal_(0.5, 2.0)
    if op == "strided_uniform":
        return torch.empty(20, 30, dtype=dt).t().uniform_(-1.0, 1.0)
    if op == "randint_wide":
        return torch.randint(-(2 ** 45), 2 ** 50, (n,))
    if op == "randint_like":
        return torch.randint_like(torch.empty(n, dtype=dt), 0 if dt == torch.bool else 3, 2 if dt == torch.bool else 50)
    raise ValueError(op)


def main():
    d = tempfile.mkdtemp(prefix="rng_torch_")
    cs = list(cases())
    if "--extras" in sys.argv:  # only the "x" cases
        cs = [c for c in cs if c["kind"] == "x"]
    for i, c in enumerate(cs):
        t = run(c).contiguous()
        if t.dtype in (torch.float16, torch.bfloat16):
            t = t.float()  # exact; torchlet's side converts the same way
        if t.dtype == torch.bool:
            t = t.to(torch.uint8)
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
