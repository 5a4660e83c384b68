// conv2d's im2col path on images large enough that each chunk holds one image: the forward's GEMM
// then writes straight into the output, and the backward reads the output gradient's rows where
// they lie (no transposing copies). Checked against the unfold + matmul composition (another path)
// for the values, the input, weight and bias gradients, with groups and bias, a strided output
// gradient (which takes the copy), and on every backend that loads.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { close } from "./helpers/close.js";

const F = torch.nn.functional;

/** conv2d as F.unfold, a matmul per group, and the bias: [N, O, OH, OW]. */
function viaUnfold(x: Tensor, w: Tensor, b: Tensor | null, stride: number, padding: number, groups: number): Tensor {
  const [N, C, H, W] = x.shape;
  const [O, Cg, kh, kw] = w.shape;
  const OH = Math.floor((H + 2 * padding - kh) / stride) + 1, OW = Math.floor((W + 2 * padding - kw) / stride) + 1;
  const cols = F.unfold(x, [kh, kw], { padding, stride }); // [N, C*kh*kw, L]
  const Og = O / groups, K = Cg * kh * kw;
  const parts = Array.from({ length: groups }, (_, g) =>
    w.narrow(0, g * Og, Og).reshape(Og, K).matmul(cols.narrow(1, g * K, K)),
  ); // each [N, Og, L]
  let y = torch.cat(parts, 1).reshape(N, O, OH, OW);
  if (b !== null) y = y.add(b.reshape(1, O, 1, 1));
  void C;
  return y;
}

for (const name of backends()) {
  describe(`conv2d with one image per chunk (${name})`, () => {
    useBackend(name);

    // 3x70x70 through a 7x7 window at stride 2: 147 column rows x 1225 outputs per image, more than
    // a chunk's 256K elements, so every chunk is one image.
    for (const [C, O, groups] of [[3, 8, 1], [6, 9, 3]]) {
      it(`matches unfold + matmul: forward and every gradient (C ${C}, O ${O}, groups ${groups})`, () => {
        torch.manualSeed(7);
        const x = torch.randn(3, C, 70, 70).requiresGrad_();
        const w = torch.randn(O, C / groups, 7, 7).mul(0.1).requiresGrad_();
        const b = torch.randn(O).requiresGrad_();
        const y = F.conv2d(x, w, b, 2, 3, 1, groups);
        const want = viaUnfold(x, w, b, 2, 3, groups);
        close(vals(y), vals(want), 1e-4);
        // a dense output gradient (read in place) and a strided one (copied first)
        const dense = torch.randn(...y.shape);
        const strided = torch.randn(y.shape[0], y.shape[2], y.shape[3], y.shape[1]).permute(0, 3, 1, 2);
        for (const g of [dense, strided]) {
          const got = torch.autograd.grad([y], [x, w, b], { gradOutputs: [g], retainGraph: true }) as Tensor[];
          const ref = torch.autograd.grad([want], [x, w, b], { gradOutputs: [g], retainGraph: true }) as Tensor[];
          got.forEach((t, i) => close(vals(t), vals(ref[i]), 1e-3));
        }
        expect(y.shape).toEqual([3, O, 35, 35]);
      });
    }
  });
}
