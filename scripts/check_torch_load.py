#!/usr/bin/python3
# Dev tool (not a test): checks that a weights file written by `npm run train` loads into PyTorch's
# NeuralNetwork (or, for `--model cnn` weights, the ConvNet of scripts/cnn_torch.py, BatchNorm's
# running_mean/running_var/num_batches_tracked buffers included) with model.load_state_dict (strict)
# and predicts what torchlet predicts on the 10,000 FashionMNIST test images in eval mode (same
# argmax, close logits). The model is picked from the file's keys. Reads safetensors by hand (struct,
# json, numpy) since Debian has no python3-safetensors. ref: https://huggingface.co/docs/safetensors
#
# Usage: /usr/bin/python3 scripts/check_torch_load.py runs/<dir>/model.safetensors [--data data]
import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cnn_torch import ConvNet, read_idx_gz  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DTYPES = {"F32": np.float32, "I64": np.int64, "BOOL": np.bool_}


def load_safetensors(path):
    """name -> torch.Tensor and the __metadata__ dict, checking the layout as it goes."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    meta = header.pop("__metadata__", None)
    body = data[8 + n :]
    tensors, end = {}, 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, stop = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        assert begin == end, f"{name}: data starts at {begin}, previous tensor ended at {end}"
        assert stop - begin == int(np.prod(info["shape"])) * np.dtype(dtype).itemsize, f"{name}: size mismatch"
        arr = np.frombuffer(body[begin:stop], dtype=dtype).reshape(info["shape"])
        tensors[name] = torch.from_numpy(arr.copy())
        end = stop
    assert end == len(body), f"{len(body) - end} trailing bytes after the last tensor"
    # Keep the header's key order (what torchlet wrote), not the offset order used for checking.
    return {k: tensors[k] for k in header}, meta


class NeuralNetwork(nn.Module):
    # The tutorial's model, verbatim.
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(28 * 28, 512),
            nn.ReLU(),
            nn.Linear(512, 512),
            nn.ReLU(),
            nn.Linear(512, 10),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


# torchlet's side: the same weights through torchlet, logits written as raw float32.
TORCHLET_LOGITS = r"""
import { writeFileSync } from "node:fs";
import * as torch from "REPO/lib/index.ts";
import { NeuralNetwork } from "REPO/examples/lib/model.ts";
import { ConvNet } from "REPO/examples/lib/cnn_model.ts";
const [kind, weights, out, root] = process.argv.slice(-4);
const model = kind === "cnn" ? new ConvNet() : new NeuralNetwork();
model.loadStateDict(torch.load(weights));
model.eval();
const test = new torch.vision.datasets.FashionMNIST({ root, train: false, transform: new torch.vision.transforms.ToTensor() });
const parts: Float32Array[] = [];
torch.noGrad(() => {
  for (const [X] of new torch.data.DataLoader(test, { batchSize: 1000 })) {
    parts.push(Float32Array.from(model.forward(X).contiguous().storage() as Float32Array));
  }
});
const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
let at = 0;
for (const p of parts) { all.set(p, at); at += p.length; }
writeFileSync(out, all);
console.log(`torchlet backend: ${JSON.stringify(torch.backendInfo())}`);
"""


def torchlet_logits(kind, weights, data_root):
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "logits.ts")
        out = os.path.join(tmp, "logits.f32")
        with open(script, "w") as f:
            f.write(TORCHLET_LOGITS.replace("REPO", REPO))
        subprocess.run(["npx", "tsx", script, kind, os.path.abspath(weights), out, os.path.abspath(data_root)], cwd=REPO, check=True)
        return np.fromfile(out, dtype=np.float32).reshape(-1, 10)


def main():
    ap = argparse.ArgumentParser(description="Load a torchlet weights file into PyTorch and compare predictions.")
    ap.add_argument("weights")
    ap.add_argument("--data", default=os.path.join(REPO, "data"))
    args = ap.parse_args()

    state_dict, meta = load_safetensors(args.weights)
    print(f"torch {torch.__version__}; {args.weights}: metadata {meta}")
    for k, v in state_dict.items():
        print(f"  {k:28s} {str(v.dtype):14s} {tuple(v.shape)}")

    kind = "cnn" if "features.0.weight" in state_dict else "mlp"
    model = ConvNet() if kind == "cnn" else NeuralNetwork()
    print(f"model: {type(model).__name__}")
    result = model.load_state_dict(state_dict)  # strict: missing or unexpected keys raise
    print(f"load_state_dict: {result}")
    model.eval()

    raw = os.path.join(args.data, "FashionMNIST", "raw")
    images = read_idx_gz(os.path.join(raw, "t10k-images-idx3-ubyte.gz"), 0x803)
    labels = read_idx_gz(os.path.join(raw, "t10k-labels-idx1-ubyte.gz"), 0x801).astype(np.int64)
    # torchvision's ToTensor: uint8 -> float32 / 255, shape [N, 1, 28, 28]
    X = torch.from_numpy(images.astype(np.float32) / np.float32(255)).unsqueeze(1)
    with torch.no_grad():
        # NOTE: in batches of 1000, as the torchlet side; one 10000-image batch would need ~2 GB for the CNN.
        ours = torch.cat([model(X[i : i + 1000]) for i in range(0, len(X), 1000)]).numpy()

    theirs = torchlet_logits(kind, args.weights, args.data)
    assert theirs.shape == ours.shape, f"torchlet gave {theirs.shape}, PyTorch {ours.shape}"
    same = int((theirs.argmax(1) == ours.argmax(1)).sum())
    diff = float(np.abs(theirs - ours).max())
    rel = diff / float(np.abs(ours).max())
    acc_torch = float((ours.argmax(1) == labels).mean())
    acc_torchlet = float((theirs.argmax(1) == labels).mean())
    print(f"PyTorch accuracy {100 * acc_torch:.2f}%, torchlet accuracy {100 * acc_torchlet:.2f}%")
    # A different argmax is only excusable on a near tie (top two PyTorch logits within 1e-4).
    top2 = np.sort(ours, axis=1)[:, -2:]
    real_mismatches = int(((theirs.argmax(1) != ours.argmax(1)) & (top2[:, 1] - top2[:, 0] > 1e-4)).sum())
    print(f"same argmax on {same}/{len(labels)} test images ({real_mismatches} not near ties); "
          f"max |logit difference| {diff:.3g} (relative {rel:.3g})")
    ok = real_mismatches == 0 and rel < 1e-4
    print("OK" if ok else "MISMATCH")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
