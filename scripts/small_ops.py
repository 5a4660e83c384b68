# PyTorch twin of scripts/small_ops.ts (issue #16): µs per call at 1 thread, 8x8 float32 operands,
# wall and CPU medians of several timed rounds, the same rows in the same order.
#   OPENBLAS_NUM_THREADS=1 python3 scripts/small_ops.py [rounds]
import sys
import time

import torch

torch.set_num_threads(1)
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 7
REPS = 20000

a, b, v, small = torch.randn(8, 8), torch.randn(8, 8), torch.randn(8), torch.randn(16)
out = torch.empty(8, 8)
w = torch.randn(8, 8, requires_grad=True)
F = torch.nn.functional


def per_call(f):
    for _ in range(2000):
        f()
    c0, t0 = time.process_time(), time.perf_counter()
    for _ in range(REPS):
        f()
    return (time.perf_counter() - t0) / REPS * 1e6, (time.process_time() - c0) / REPS * 1e6


# (name, call, under no_grad): as in #16, only "mm grad" records a graph.
CASES = [
    ("mm", lambda: torch.mm(a, b), True),
    ("mm out", lambda: torch.mm(a, b, out=out), True),
    ("add", lambda: a.add(b), True),
    ("add_", lambda: a.add_(b), True),
    ("relu", lambda: a.relu(), True),
    ("linear", lambda: F.linear(a, b, v), True),
    ("mm grad", lambda: torch.mm(a, w), False),
    ("small_add (16)", lambda: small.add(small), True),
]

times = {name: [] for name, _, _ in CASES}
for _ in range(ROUNDS):
    for name, f, ng in CASES:
        if ng:
            with torch.no_grad():
                times[name].append(per_call(f))
        else:
            times[name].append(per_call(f))
median = lambda xs: sorted(xs)[len(xs) // 2]
print(f"{'µs per call':16} {'wall':>6} {'cpu':>6}")
for name, ts in times.items():
    print(f"{name:16} {median([t[0] for t in ts]):6.2f} {median([t[1] for t in ts]):6.2f}")
