// out= (torch.add(a, b, { out }), torch.mm(a, b, { out }), torch.exp(x, { out }), ...): the result
// lands in the caller's tensor, equal to the ordinary result, with PyTorch's errors for what out=
// refuses. Each case runs on every backend.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const seq = (...shape: number[]) => torch.arange(shape.reduce((a, b) => a * b, 1)).reshape(shape).mul(0.25).sub(1);

describe.each(backends())("out= on %s", (name) => {
  useBackend(name);

  it("binary and unary ops write into out and return it", () => {
    const a = seq(3, 4);
    const b = seq(4).add(0.5);
    for (const [f, g] of [
      [(o: torch.Tensor) => torch.add(a, b, { out: o }), () => a.add(b)],
      [(o: torch.Tensor) => torch.add(a, b, { alpha: 2, out: o }), () => torch.add(a, b, { alpha: 2 })],
      [(o: torch.Tensor) => torch.sub(a, 3, { out: o }), () => a.sub(3)],
      [(o: torch.Tensor) => torch.mul(a, b, { out: o }), () => a.mul(b)],
      [(o: torch.Tensor) => torch.div(a, b, { out: o }), () => a.div(b)],
      [(o: torch.Tensor) => torch.div(a, b, { roundingMode: "floor", out: o }), () => torch.div(a, b, { roundingMode: "floor" })],
      [(o: torch.Tensor) => torch.exp(a, { out: o }), () => a.exp()],
      [(o: torch.Tensor) => torch.relu(a, { out: o }), () => a.relu()],
      [(o: torch.Tensor) => torch.rsqrt(a.abs(), { out: o }), () => a.abs().rsqrt()],
    ] as const) {
      const out = torch.full([3, 4], NaN);
      expect(f(out)).toBe(out);
      expect(vals(out)).toEqual(vals(g()));
      expect(out.gradFn).toBeNull();
    }
  });

  it("writes through a strided out view", () => {
    const base = torch.zeros(4, 3);
    const out = base.t();
    torch.mul(seq(3, 4), 2, { out });
    expect(vals(base.t())).toEqual(vals(seq(3, 4).mul(2)));
  });

  it("casts into a wider dtype and refuses a narrower one", () => {
    const i = torch.tensor([[1, 2], [3, 4]], { dtype: "int64" });
    const out = torch.empty(2, 2);
    torch.add(i, 1, { out });
    expect(out.dtype).toBe("float32");
    expect(vals(out)).toEqual([2, 3, 4, 5]);
    const long = torch.empty([2, 2], { dtype: "int64" });
    expect(() => torch.add(seq(2, 2), 1, { out: long })).toThrow("result type Float can't be cast to the desired output type Long");
    expect(() => torch.mm(seq(2, 2), seq(2, 2), { out: long })).toThrow("can't be cast");
  });

  it("refuses inputs or out that require grad, like PyTorch", () => {
    const w = seq(2, 2).requiresGrad_();
    const msg = "functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad.";
    expect(() => torch.add(w, 1, { out: torch.empty(2, 2) })).toThrow(`add(): ${msg}`);
    expect(() => torch.mm(w, w, { out: torch.empty(2, 2) })).toThrow(`mm(): ${msg}`);
    expect(() => torch.exp(w, { out: torch.empty(2, 2) })).toThrow(`exp(): ${msg}`);
    expect(() => torch.add(seq(2, 2), 1, { out: torch.empty(2, 2).requiresGrad_() })).toThrow(msg);
    // Under noGrad nothing is recorded, so out= is allowed.
    const out = torch.empty(2, 2);
    torch.noGrad(() => torch.mm(w, w, { out }));
    expect(vals(out)).toEqual(vals(w.detach().mm(w.detach())));
  });

  it("names a wrong shape or a self-overlapping out", () => {
    expect(() => torch.add(seq(2, 3), 1, { out: torch.empty(3, 2) })).toThrow(
      "add(): out has shape [3, 2] but the result has shape [2, 3] (torchlet does not resize out= tensors)",
    );
    expect(() => torch.add(seq(2, 3), 1, { out: torch.empty(1, 3).expand(2, 3) })).toThrow(
      "more than one element of the written-to tensor refers to a single memory location",
    );
    expect(() => torch.add(seq(2, 3), 1, { out: [1, 2] as never })).toThrow("add(): out must be a Tensor");
  });

  it("mm / matmul / bmm into out, from transposed views, vectors and batches", () => {
    const a = seq(5, 3);
    const b = seq(4, 3);
    const out = torch.full([5, 4], NaN);
    expect(torch.mm(a, b.t(), { out })).toBe(out);
    expect(vals(out)).toEqual(vals(a.mm(b.t())));
    const v = torch.empty([]);
    torch.matmul(seq(3), seq(3), { out: v });
    expect(v.item()).toBe(seq(3).matmul(seq(3)).item());
    const bo = torch.empty(2, 3, 3);
    torch.bmm(seq(2, 3, 4), seq(2, 4, 3), { out: bo });
    expect(vals(bo)).toEqual(vals(seq(2, 3, 4).bmm(seq(2, 4, 3))));
  });

  it("gives the right answer when out aliases an input", () => {
    // Exact aliasing is the in-place form (mm computes it aside); any other sharing is refused.
    const a = seq(3, 3);
    const want = vals(a.mm(a));
    torch.mm(a, a, { out: a });
    expect(vals(a)).toEqual(want);
    const x = seq(2, 3);
    const sum = vals(x.add(x.mul(2)));
    torch.add(x, x.mul(2), { out: x });
    expect(vals(x)).toEqual(sum);
    const y = seq(3, 3);
    // Partial sharing is PyTorch's error (the result would depend on the order of the writes).
    expect(() => torch.add(y, y.t(), { out: y })).toThrow(/some elements of the input tensor and the written-to tensor refer to a single memory location/);
    const z = seq(4, 4);
    const nc = torch.empty(4, 4).t();
    torch.mm(z, z, { out: nc });
    expect(vals(nc)).toEqual(vals(z.mm(z)));
  });
});
