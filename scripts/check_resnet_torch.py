#!/usr/bin/python3
# Dev tool (not a test): checks torchlet's vision.models.resnet18 against torchvision 0.14's.
#  1. init: torchlet's resnet18() after manualSeed(0) against torchvision's after torch.manual_seed(0)
#     (same keys, shapes and, where the random streams agree, values);
#  2. weights: a torchlet ResNet-18 trained a few SGD steps (so BN's running stats moved), saved
#     with torch.save (safetensors), loads into torchvision's resnet18 with load_state_dict (strict)
#     and gives the same eval-mode logits on the same input as torchlet.
# Usage: /usr/bin/python3 scripts/check_resnet_torch.py [--classes 1000] [--size 96]
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_torch_load import load_safetensors  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# torchlet's side: the init state dict, then a few training steps, the trained state dict and the
# eval-mode logits on a fixed input.
TORCHLET_SIDE = r"""
import * as torch from "REPO/lib/index.ts";
const [classes, size, dir] = process.argv.slice(-3);
torch.manualSeed(0);
const model = torch.vision.models.resnet18({ numClasses: Number(classes) });
torch.save(model.stateDict(), `${dir}/init.safetensors`);
const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
const lossFn = new torch.nn.CrossEntropyLoss();
for (let i = 0; i < 3; i++) {
  const x = torch.randn(4, 3, Number(size), Number(size));
  const y = torch.randint(0, Number(classes), [4]);
  lossFn(model(x), y).backward();
  opt.step();
  opt.zeroGrad();
}
model.eval();
const x = torch.randn(2, 3, Number(size), Number(size));
const logits = torch.noGrad(() => model(x));
torch.save(model.stateDict(), `${dir}/trained.safetensors`);
torch.save({ x, logits }, `${dir}/io.safetensors`);
console.log(`torchlet backend: ${JSON.stringify(torch.backendInfo())}`);
"""


def main():
    ap = argparse.ArgumentParser(description="torchlet's resnet18 against torchvision's")
    ap.add_argument("--classes", type=int, default=1000)
    ap.add_argument("--size", type=int, default=96)
    a = ap.parse_args()
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}")
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "side.ts")
        with open(script, "w") as f:
            f.write(TORCHLET_SIDE.replace("REPO", REPO))
        subprocess.run(["npx", "tsx", script, str(a.classes), str(a.size), tmp], cwd=REPO, check=True)
        init, _ = load_safetensors(os.path.join(tmp, "init.safetensors"))
        trained, _ = load_safetensors(os.path.join(tmp, "trained.safetensors"))
        io, _ = load_safetensors(os.path.join(tmp, "io.safetensors"))

    torch.manual_seed(0)
    ref = torchvision.models.resnet18(num_classes=a.classes)
    ref_sd = ref.state_dict()
    same_keys = list(init.keys()) == list(ref_sd.keys())
    same_shapes = all(tuple(init[k].shape) == tuple(v.shape) for k, v in ref_sd.items() if k in init)
    print(f"1. init: {len(init)} keys, same keys in the same order: {same_keys}; same shapes: {same_shapes}")
    ok &= same_keys and same_shapes
    worst = max(((init[k].double() - v.double()).abs().max().item(), k) for k, v in ref_sd.items() if k in init and v.numel())
    exact = sum(torch.equal(init[k].to(v.dtype), v) for k, v in ref_sd.items() if k in init)
    print(f"   values equal to torchvision's for seed 0: {exact}/{len(ref_sd)} tensors; largest difference {worst[0]:.3g} ({worst[1]})")

    result = ref.load_state_dict(trained)  # strict: missing or unexpected keys raise
    print(f"2. load_state_dict(trained torchlet weights): {result}")
    ref.eval()
    with torch.no_grad():
        ours = ref(io["x"]).numpy()
    theirs = io["logits"].numpy()
    diff = float(np.abs(ours - theirs).max())
    rel = diff / float(np.abs(ours).max())
    same_argmax = bool((ours.argmax(1) == theirs.argmax(1)).all())
    print(f"   eval logits on {tuple(io['x'].shape)}: same argmax {same_argmax}; max |difference| {diff:.3g} (relative {rel:.3g})")
    ok &= same_argmax and rel < 1e-4
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
