# PyTorch's twin of scaling.mjs: the same workloads at each thread count, one JSON line each.
# Usage: python3 scripts/bench/scaling_torch.py [--threads 1,2,4,8,16] [--seconds 0.4]
import argparse, json, time
import torch

p = argparse.ArgumentParser()
p.add_argument("--threads", default="1,2,4,8,16")
p.add_argument("--seconds", type=float, default=0.4)
args = p.parse_args()
thread_counts = [int(t) for t in args.threads.split(",")]


def time_it(fn):
    """Median seconds per call after one warm-up call, over >= 5 calls and args.seconds."""
    fn()
    times, start = [], time.perf_counter()
    while len(times) < 5 or time.perf_counter() - start < args.seconds:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        if len(times) >= 200:
            break
    times.sort()
    return times[len(times) // 2]


def train_step(batch):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(784, 512), torch.nn.ReLU(),
                                torch.nn.Linear(512, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10))
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=1e-3)
    X, y = torch.randn(batch, 1, 28, 28), torch.randint(10, (batch,))

    def step():
        loss = loss_fn(model(X), y)
        loss.backward()
        opt.step()
        opt.zero_grad()
    return step


def mm(m, k, n, ta=False):
    a = torch.randn(k, m).t() if ta else torch.randn(m, k)
    b, out = torch.randn(k, n), torch.empty(m, n)
    name = f"mm {'[%dx%d]T' % (k, m) if ta else '%dx%d' % (m, k)}@{k}x{n}"
    return name, "GFLOP/s", 2 * m * k * n, lambda: (lambda: torch.mm(a, b, out=out))


N = 1 << 24
x, y, o = torch.randn(N), torch.randn(N), torch.empty(N)
rows, sm = torch.randn(4096, 1024), torch.randn(4096, 1000)
workloads = [
    mm(64, 784, 512), mm(64, 512, 512), mm(784, 64, 512, True), mm(1024, 1024, 1024), mm(2048, 2048, 2048),
    mm(256, 4096, 256),
    ("add 16M (out=)", "GB/s", 12 * N, lambda: (lambda: torch.add(x, y, out=o))),
    ("exp 16M (out=)", "GB/s", 8 * N, lambda: (lambda: torch.exp(x, out=o))),
    ("row sum 4096x1024", "GB/s", 4 * 4096 * 1024, lambda: (lambda: rows.sum(1))),
    ("softmax 4096x1000", "GB/s", 8 * 4096 * 1000, lambda: (lambda: sm.softmax(1))),
    ("train step b64", "steps/s", 1, lambda: train_step(64)),
    ("train step b256", "steps/s", 1, lambda: train_step(256)),
]
print(json.dumps({"side": "pytorch", "version": torch.__version__, "config": torch.__config__.parallel_info().splitlines()[:6]}))
for name, unit, work, make in workloads:
    for t in thread_counts:
        torch.set_num_threads(t)
        fn = make()
        s = time_it(fn)
        rate = 1 / s if unit == "steps/s" else work / s / 1e9
        print(json.dumps({"side": "pytorch", "name": name, "threads": t, "ms": round(s * 1e3, 4), "rate": round(rate, 2), "unit": unit}))
