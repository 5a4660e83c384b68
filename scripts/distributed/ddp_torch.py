# PyTorch's side of scripts/distributed/bench.ts --torch: the same lecture MLP step (batch 64 per
# process) without DDP in one process, or under DistributedDataParallel on gloo in WORLD_SIZE
# processes (RANK, MASTER_ADDR, MASTER_PORT from the environment). Rank 0 prints
# {"world": N, "msPerStep": median}. One intra-op thread per process, as the launcher gives torchlet.
import json, os, sys, time
import torch
import torch.distributed as dist
from torch import nn

torch.set_num_threads(1)
steps = int(sys.argv[1])
world = int(os.environ.get("WORLD_SIZE", "1"))
if world > 1:
    dist.init_process_group("gloo")
rank = dist.get_rank() if world > 1 else 0
torch.manual_seed(0)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
net = nn.parallel.DistributedDataParallel(model) if world > 1 else model
opt = torch.optim.SGD(model.parameters(), lr=1e-3)
x = torch.rand(64, 1, 28, 28)
y = torch.randint(0, 10, (64,))
loss_fn = nn.CrossEntropyLoss()

def step():
    loss = loss_fn(net(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()

for _ in range(10):
    step()
rounds = []
for _ in range(5):
    if world > 1:
        dist.barrier()
    t0 = time.perf_counter()
    for _ in range(steps):
        step()
    rounds.append((time.perf_counter() - t0) * 1000 / steps)
if rank == 0:
    print(json.dumps({"world": world, "msPerStep": sorted(rounds)[len(rounds) // 2]}))
if world > 1:
    dist.destroy_process_group()
