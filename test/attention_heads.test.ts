// PackedHeads (lib/nn/attention_heads.ts), self-attention's split of the packed projection into
// head-major q, k, v: the same values and gradients as the composition it replaced (chunk, then
// contiguous().view().transpose()), bit for bit, on every backend; gradgradcheck through its
// differentiable backward; and MultiheadAttention's self-attention taking it.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { gradcheck, gradgradcheck } from "../lib/autograd/gradcheck.js";
import { PackedHeads } from "../lib/nn/attention_heads.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const composed = (proj: Tensor, heads: number): Tensor[] => {
  const [L, N, E3] = proj.shape;
  return proj.chunk(3, -1).map((t) => t.contiguous().view(L, N * heads, E3 / 3 / heads).transpose(0, 1));
};

describe.each(backends())("PackedHeads [%s]", (name) => {
  useBackend(name);

  it("q, k, v and the projection's gradient equal the chunk composition's, bit for bit", () => {
    torch.manualSeed(11);
    for (const [L, N, E, H] of [[5, 3, 8, 2], [7, 1, 12, 3], [1, 2, 4, 4]]) {
      const proj = torch.randn(L, N, 3 * E);
      const gs = [0, 1, 2].map(() => torch.randn(N * H, L, E / H));
      const a = proj.clone().requiresGrad_(true), b = proj.clone().requiresGrad_(true);
      const got = PackedHeads.apply(a, H) as Tensor[];
      const want = composed(b, H);
      got.forEach((t, i) => {
        expect(t.shape).toEqual([N * H, L, E / H]);
        expect(t.isContiguous()).toBe(true);
        expect(vals(t)).toEqual(vals(want[i]));
      });
      // Only some outputs used: the others' gradients are zeros.
      torch.autograd.backward([got[0], got[2]], [gs[0], gs[2]]);
      torch.autograd.backward([want[0], want[2]], [gs[0], gs[2]]);
      expect(vals(a.grad!)).toEqual(vals(b.grad!));
    }
  });

  it("gradcheck and gradgradcheck (float64)", () => {
    const proj = torch.randn(3, 2, 12).double().requiresGrad_(true);
    const f = (p: Tensor) => (PackedHeads.apply(p, 2) as Tensor[]).map((t, i) => t.mul(i + 1)).reduce((s, t) => s.add(t.pow(2)));
    expect(gradcheck(f, [proj])).toBe(true);
    expect(gradgradcheck(f, [proj])).toBe(true);
  });

  it("MultiheadAttention's self-attention takes it; cross-attention doesn't", () => {
    const mha = new torch.nn.MultiheadAttention(8, 2);
    const x = torch.randn(4, 3, 8).requiresGrad_(true);
    const seen: number[] = [];
    const apply = PackedHeads.apply;
    (PackedHeads as unknown as { apply: unknown }).apply = (...args: unknown[]) => (seen.push(1), (apply as (...a: unknown[]) => unknown).apply(PackedHeads, args));
    try {
      mha.forward(x, x, x);
      expect(seen.length).toBe(1);
      mha.forward(x, x.detach().clone(), x);
      expect(seen.length).toBe(1);
    } finally {
      (PackedHeads as unknown as { apply: unknown }).apply = apply;
    }
  });
});
