#!/usr/bin/env bash
# Thread scaling on a many-core machine that has no Node and no npm tree (the 16-core device
# machine): unpacks a Node binary carried in .devrun/node.xz, runs scripts/bench/scaling.mjs over
# the built package (dist/ and build/Release carried along) and PyTorch's twin, writes both JSON
# streams to $OUT (or ./scaling-out) and prints the side-by-side table.
# Prepare here: npm run build && mkdir -p .devrun && xz -c "$(command -v node)" > .devrun/node.xz
set -uo pipefail
cd "$(dirname "$0")/.."
out="${OUT:-scaling-out}"
mkdir -p "$out"
threads="${THREADS:-1,2,4,8,16}"
node=node
if [ -f .devrun/node.xz ]; then
  xz -dc .devrun/node.xz > /tmp/node-carried && chmod +x /tmp/node-carried && node=/tmp/node-carried
fi
nproc; lscpu | grep -E "Model name|L2|L3|Flags" | cut -c1-200
"$node" scripts/bench/scaling.mjs --threads "$threads" > "$out/torchlet.jsonl" 2> "$out/torchlet.err" || echo "torchlet side failed"
py=python3
for c in /usr/bin/python3 python3; do "$c" -c "import torch" 2>/dev/null && { py=$c; break; }; done
OMP_WAIT_POLICY=passive "$py" scripts/bench/scaling_torch.py --threads "$threads" > "$out/pytorch.jsonl" 2> "$out/pytorch.err" || echo "pytorch side failed"
tail -n 3 "$out/torchlet.err" "$out/pytorch.err"
"$py" - "$out" <<'PY'
import json, sys, os
out = sys.argv[1]
rows = {}
for side in ("torchlet", "pytorch"):
    path = os.path.join(out, side + ".jsonl")
    if not os.path.exists(path):
        continue
    for line in open(path):
        r = json.loads(line)
        if "name" in r:
            rows.setdefault((r["name"], r["unit"]), {}).setdefault(r["threads"], {})[side] = r["ms"]
        else:
            print(r)
print("| workload | threads | torchlet ms | PyTorch ms | torchlet/PyTorch |")
print("|---|---|---|---|---|")
for (name, unit), by_t in rows.items():
    for t, v in sorted(by_t.items()):
        a, b = v.get("torchlet"), v.get("pytorch")
        ratio = f"{a / b:.2f}" if a and b else "-"
        print(f"| {name} | {t} | {a} | {b} | {ratio} |")
PY
