# PyTorch's side of scripts/bench_f64.ts: float64 matmul 512^3 and the elementwise chain
# exp(sqrt(relu(a*b + c))).sum() on 1M doubles, median ms per call at 1 and 2 threads.
# Usage: /usr/bin/python3 scripts/bench_f64_torch.py
import statistics
import time

import torch


def timed(fn, reps):
    fn()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ts)


torch.manual_seed(0)
A = torch.randn(512, 512, dtype=torch.float64)
B = torch.randn(512, 512, dtype=torch.float64)
n = 1 << 20
a, b, c = (torch.randn(n, dtype=torch.float64) for _ in range(3))
for threads in (1, 2):
    torch.set_num_threads(threads)
    mm = timed(lambda: A @ B, 15)
    ew = timed(lambda: (a * b + c).relu().sqrt().exp().sum().item(), 15)
    print(f"torch t={threads}   matmul 512^3 f64: {mm:.2f} ms ({2 * 512**3 / mm / 1e6:.1f} GFLOP/s)   chain on 1M f64: {ew:.2f} ms")
