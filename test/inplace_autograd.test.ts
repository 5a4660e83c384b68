// In-place ops under autograd (lib/autograd/inplace.ts): a write into a non-leaf tensor, or of a value
// that requires grad into any whole tensor, is recorded: the target takes the op's node, and every
// gradient equals the out-of-place program's. Writes that can't be recorded (into a view, into a leaf
// that requires grad) throw instead of dropping a gradient. Every test runs once per backend.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const idx = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });

/** Values and gradients (of x, and of w when given) of loss(f(x, w)), for an in-place and an out-of-place f. */
function compare(inPlace: (x: Tensor, w: Tensor) => Tensor, outOfPlace: (x: Tensor, w: Tensor) => Tensor, shape = [2, 3]) {
  const run = (f: (x: Tensor, w: Tensor) => Tensor) => {
    torch.manualSeed(3);
    const x = torch.randn(shape, { requiresGrad: true });
    const w = torch.randn(shape, { requiresGrad: true });
    const y = f(x, w);
    y.mul(torch.arange(y.numel()).reshape(y.shape).float().add(1)).sum().backward();
    return { y: vals(y.detach()), gx: x.grad ? vals(x.grad) : null, gw: w.grad ? vals(w.grad) : null };
  };
  return [run(inPlace), run(outOfPlace)];
}

describe.each(backends())("in-place autograd [%s]", (name) => {
  useBackend(name);

  it.each([
    ["add_", (h: Tensor, w: Tensor) => h.add_(w), (h: Tensor, w: Tensor) => h.add(w)],
    ["add_ alpha", (h: Tensor, w: Tensor) => h.add_(w, { alpha: -2 }), (h: Tensor, w: Tensor) => h.add(w, { alpha: -2 })],
    ["sub_", (h: Tensor, w: Tensor) => h.sub_(w), (h: Tensor, w: Tensor) => h.sub(w)],
    ["mul_", (h: Tensor, w: Tensor) => h.mul_(w), (h: Tensor, w: Tensor) => h.mul(w)],
    ["div_", (h: Tensor, w: Tensor) => h.div_(w.abs().add(1)), (h: Tensor, w: Tensor) => h.div(w.abs().add(1))],
    ["pow_", (h: Tensor) => h.abs().pow_(3), (h: Tensor) => h.abs().pow(3)],
    ["clamp_", (h: Tensor) => h.clamp_(-0.5, 0.5), (h: Tensor) => h.clamp(-0.5, 0.5)],
    ["relu_", (h: Tensor) => h.relu_(), (h: Tensor) => h.relu()],
    ["exp_", (h: Tensor) => h.exp_(), (h: Tensor) => h.exp()],
    ["sin_", (h: Tensor) => h.sin_(), (h: Tensor) => h.sin()],
    ["sigmoid_ then mul_", (h: Tensor, w: Tensor) => h.sigmoid_().mul_(w), (h: Tensor, w: Tensor) => h.sigmoid().mul(w)],
    ["masked_fill_", (h: Tensor) => h.maskedFill_(h.gt(0), 7), (h: Tensor) => h.maskedFill(h.gt(0), 7)],
    ["fill_", (h: Tensor) => h.fill_(2), (h: Tensor) => h.mul(0).add(2)],
    ["copy_", (h: Tensor, w: Tensor) => h.copy_(w.mul(3)), (_h: Tensor, w: Tensor) => w.mul(3)],
    ["scatter_ of a source", (h: Tensor, w: Tensor) => h.scatter_(1, idx([0, 2, 1, 0, 2, 1]).reshape(2, 3), w), (h: Tensor, w: Tensor) => h.scatter(1, idx([0, 2, 1, 0, 2, 1]).reshape(2, 3), w)],
    ["index_add_", (h: Tensor, w: Tensor) => h.indexAdd_(0, idx([1, 0]), w), (h: Tensor, w: Tensor) => h.indexAdd(0, idx([1, 0]), w)],
  ] as const)("%s on a non-leaf records the op: values and gradients equal the out-of-place program's", (_n, inPlace, outOfPlace) => {
    const [a, b] = compare((x, w) => inPlace(x.mul(1), w), (x, w) => outOfPlace(x.mul(1), w));
    expect(a).toEqual(b);
  });

  it("writes a value that requires grad into a tensor that doesn't (x[i] = v, x.copy_(v), zeros.add_(w))", () => {
    const w = torch.tensor([1, 2], { requiresGrad: true });
    const v = torch.ones(3, 2, { requiresGrad: true });
    const x = torch.zeros(3, 2);
    x.set(0, w.mul(2)); // x[0] = w * 2
    expect(String(x.grad_fn)).toContain("CopySlices");
    x.mul(v).sum().backward();
    expect(vals(w.grad!)).toEqual([2, 2]);
    expect(vals(v.grad!)).toEqual([2, 4, 0, 0, 0, 0]);

    const z = torch.zeros(2);
    const u = torch.tensor([3, 4], { requiresGrad: true });
    z.add_(u);
    z.mul(u).sum().backward(); // z = u, loss = sum(u * u)
    expect(vals(u.grad!)).toEqual([6, 8]);

    const c = torch.zeros(2, 2);
    const s = torch.tensor([5, 6], { requiresGrad: true });
    c.copy_(s); // broadcast over the rows
    c.sum().backward();
    expect(vals(s.grad!)).toEqual([2, 2]);
  });

  it("index assignment: the overwritten part gets no gradient, the value gets the sum over its broadcast", () => {
    const x = torch.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const h = x.mul(1);
    const v = torch.tensor(10, { requiresGrad: true });
    h.set([":", 1], v);
    h.set(idx([1]), torch.tensor([[7, 8, 9]]).requiresGrad_());
    expect(vals(h.detach())).toEqual([1, 10, 3, 7, 8, 9]);
    h.mul(torch.arange(6).reshape(2, 3).float()).sum().backward();
    expect(vals(x.grad!)).toEqual([0, 0, 2, 0, 0, 0]);
    expect(v.grad!.item()).toBe(1); // only row 0 kept v: weight 1
  });

  it("a residual block's out += identity then relu_ trains as the out-of-place block", () => {
    const [a, b] = compare(
      (x, w) => x.mul(w).add_(x).relu_(),
      (x, w) => x.mul(w).add(x).relu(),
    );
    expect(a).toEqual(b);
  });

  it("a modified tensor that a node saved fails at backward with PyTorch's message", () => {
    const a = torch.tensor([1, 2], { requiresGrad: true });
    const b = a.exp(); // exp's gradient reads its result
    b.add_(1);
    expect(() => b.sum().backward()).toThrow(/modified by an inplace operation.*output 0 of ExpBackward0, is at version 1; expected version 0 instead/);
  });

  it("a write into a view rewrites its base (CopySlices): gradients as the out-of-place program's", () => {
    // h[0] *= 3, h[:, 1] += w, then the loss over h: the same as building h out of place
    const [a, b] = compare(
      (x, w) => {
        const h = x.mul(2);
        h.index(0).mul_(3);
        h.index(":", 1).add_(w.index(":", 0));
        return h;
      },
      (x, w) => {
        const h = x.mul(2);
        const row0 = torch.cat([h.index(0).mul(3).unsqueeze(0), h.index("1:")], 0);
        const col1 = row0.index(":", 1).add(w.index(":", 0));
        return torch.stack([row0.index(":", 0), col1, row0.index(":", 2)], 1);
      },
    );
    expect(a).toEqual(b);
    const h = torch.tensor([1, 2, 3], { requiresGrad: true }).mul(1);
    const v = h.index("1:");
    v.relu_();
    expect([String(h.grad_fn), String(v.grad_fn)].map((s) => s.split(" ")[0])).toEqual(["<CopySlices", "<AsStridedBackward0"]);
  });

  it("copies a value that requires grad into a view of a plain tensor (enc[1] = w)", () => {
    const w = torch.tensor([1, 2, 3], { requiresGrad: true });
    const enc = torch.zeros(4, 3);
    enc.index(1).copy_(w.mul(3));
    enc.index(2).copy_(w);
    expect(vals(enc.detach())).toEqual([0, 0, 0, 3, 6, 9, 1, 2, 3, 0, 0, 0]);
    enc.mul(torch.arange(12).reshape(4, 3).float()).sum().backward();
    expect(vals(w.grad!)).toEqual([3 * 3 + 6, 3 * 4 + 7, 3 * 5 + 8]);
  });

  it("a view taken before an in-place write to its base reads the base's new history when used", () => {
    // hf sees relu's effect on h: its gradient must carry relu's mask, as in PyTorch
    const [a, b] = compare(
      (x, w) => {
        const h = x.mul(w);
        const hf = h.view(-1);
        h.relu_();
        return hf.mul(2).reshape(2, 3);
      },
      (x, w) => x.mul(w).relu().mul(2),
    );
    expect(a).toEqual(b);
    // chunks of one tensor, one changed in place: the others keep their own (unchanged) values
    const [c, d] = compare(
      (x) => {
        const g = x.mul(1.5);
        const [p, q, r] = g.chunk(3, 1);
        p.sigmoid_();
        return torch.cat([p, q.mul(r), r], 1);
      },
      (x) => {
        const [p, q, r] = x.mul(1.5).chunk(3, 1);
        return torch.cat([p.sigmoid(), q.mul(r), r], 1);
      },
      [2, 3],
    );
    expect(c).toEqual(d);
  });

  it("refuses what it can't record instead of dropping gradients", () => {
    const leaf = torch.tensor([1, 2], { requiresGrad: true });
    expect(() => leaf.add_(1)).toThrow("add_: a leaf Variable that requires grad is being used in an in-place operation.");
    expect(() => leaf.view(2).mul_(2)).toThrow("mul_: a view of a leaf Variable that requires grad is being used in an in-place operation.");
    expect(() => leaf.index(0).mul_(2)).toThrow("mul_: a view of a leaf Variable that requires grad is being used in an in-place operation.");
    const e = torch.zeros(1, 3).expand(2, 3);
    expect(() => e.add_(leaf.index(0))).toThrow("more than one element of the written-to tensor refers to a single memory location");
    expect(vals(leaf)).toEqual([1, 2]);
  });

  it("leaves plain in-place writes alone: under noGrad, and where nothing requires grad", () => {
    const p = torch.tensor([1, 2], { requiresGrad: true });
    torch.noGrad(() => p.sub_(torch.tensor([0.5, 0.5])));
    expect([p.isLeaf, p.requiresGrad, ...vals(p)]).toEqual([true, true, 0.5, 1.5]);
    const q = torch.ones(2);
    q.mul_(3).add_(1);
    expect([q.gradFn, q.requiresGrad, ...vals(q)]).toEqual([null, false, 4, 4]);
  });
});
