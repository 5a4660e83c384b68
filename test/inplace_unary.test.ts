// The elementwise functions in place (x.relu_(), x.exp_(), x.pow_(2), ...) and F.relu(x, inplace),
// on both backends: each leaves x holding exactly what the out-of-place form returns, through views
// into the base, with one version bump; and each refuses what PyTorch refuses: a result its dtype
// can't hold (int64 sqrt_), a leaf that requires grad, an expanded target, an operand that partly
// overlaps it.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

type Case = [name: string, inPlace: (x: Tensor) => Tensor, outOfPlace: (x: Tensor) => Tensor];
const CASES: Case[] = [
  ["neg_", (x) => x.neg_(), (x) => x.neg()],
  ["exp_", (x) => x.exp_(), (x) => x.exp()],
  ["log_", (x) => x.log_(), (x) => x.log()],
  ["log1p_", (x) => x.log1p_(), (x) => x.log1p()],
  ["sqrt_", (x) => x.sqrt_(), (x) => x.sqrt()],
  ["rsqrt_", (x) => x.rsqrt_(), (x) => x.rsqrt()],
  ["reciprocal_", (x) => x.reciprocal_(), (x) => x.reciprocal()],
  ["square_", (x) => x.square_(), (x) => x.square()],
  ["abs_", (x) => x.abs_(), (x) => x.abs()],
  ["sign_", (x) => x.sign_(), (x) => x.sign()],
  ["relu_", (x) => x.relu_(), (x) => x.relu()],
  ["sigmoid_", (x) => x.sigmoid_(), (x) => x.sigmoid()],
  ["tanh_", (x) => x.tanh_(), (x) => x.tanh()],
  ["erf_", (x) => x.erf_(), (x) => x.erf()],
  ["sin_", (x) => x.sin_(), (x) => x.sin()],
  ["cos_", (x) => x.cos_(), (x) => x.cos()],
  ["floor_", (x) => x.floor_(), (x) => x.floor()],
  ["ceil_", (x) => x.ceil_(), (x) => x.ceil()],
  ["round_", (x) => x.round_(), (x) => x.round()],
  ["trunc_", (x) => x.trunc_(), (x) => x.trunc()],
  ["pow_(2.5)", (x) => x.pow_(2.5), (x) => x.pow(2.5)],
  ["pow_(tensor)", (x) => x.pow_(torch.tensor([0.5, 2, 3])), (x) => x.pow(torch.tensor([0.5, 2, 3]))],
  ["remainder_(0.7)", (x) => x.remainder_(0.7), (x) => x.remainder(0.7)],
  ["clip_(-0.5, 1)", (x) => x.clip_(-0.5, 1), (x) => x.clip(-0.5, 1)],
];

const data = (dtype: "float32" | "float64") => torch.tensor([[-1.7, 0.25, 2.5], [0, -0.5, 1.25]], { dtype });

for (const b of backends()) {
  describe(`in-place elementwise functions (${b})`, () => {
    useBackend(b);

    for (const [name, inPlace, outOfPlace] of CASES) {
      it(`${name}: x holds the out-of-place result, float32 and float64, also through a view`, () => {
        for (const dtype of ["float32", "float64"] as const) {
          const x = data(dtype);
          const want = vals(outOfPlace(x));
          const v0 = x._version;
          expect(inPlace(x)).toBe(x);
          expect(vals(x)).toEqual(want);
          expect(x._version).toBe(v0 + 1);
          // A column view writes through to its base, and only there.
          const base = data(dtype);
          const col = base.narrow(1, 1, 1).squeeze(1);
          if (name !== "pow_(tensor)") {
            const wantCol = vals(outOfPlace(col.clone()));
            inPlace(col);
            expect(vals(col)).toEqual(wantCol);
            expect(vals(base.narrow(1, 0, 1))).toEqual(vals(data(dtype).narrow(1, 0, 1)));
          }
        }
      });
    }

    it("F.relu(x, inplace=true) and nn.ReLU(true) write into x and return it, recorded in a graph", () => {
      const x = data("float32");
      const want = vals(x.relu());
      expect(torch.nn.functional.relu(x, true)).toBe(x);
      expect(vals(x)).toEqual(want);
      const y = data("float32");
      expect(new torch.nn.ReLU(true).forward(y)).toBe(y);
      expect(vals(y)).toEqual(want);
      // A leaf that requires grad is refused (PyTorch's error); a non-leaf is written and recorded.
      const w = data("float32").requiresGrad_();
      expect(() => torch.nn.functional.relu(w, true)).toThrow("a leaf Variable that requires grad is being used in an in-place operation.");
      const h = w.mul(1);
      expect(torch.nn.functional.relu(h, true)).toBe(h);
      expect(vals(h.detach())).toEqual(want);
      h.sum().backward();
      expect(vals(w.grad!)).toEqual(want.map((v) => (v > 0 ? 1 : 0)));
    });

    it("refuses a float result into an integer tensor, as PyTorch, and leaves it unchanged", () => {
      const x = torch.tensor([1, 4, 9], { dtype: torch.int64 });
      expect(() => x.sqrt_()).toThrow(/result type Float can't be cast to the desired output type Long/);
      expect(() => x.sigmoid_()).toThrow(/can't be cast to the desired output type Long/);
      expect(vals(x)).toEqual([1, 4, 9]);
      expect(vals(x.neg_())).toEqual([-1, -4, -9]);
      expect(vals(x.abs_())).toEqual([1, 4, 9]);
    });

    it("refuses a leaf that requires grad, an expanded target and a partly overlapping operand", () => {
      const w = torch.tensor([1, 2, 3], { dtype: torch.float32, requiresGrad: true });
      expect(() => w.relu_()).toThrow(/a leaf Variable that requires grad is being used in an in-place operation/);
      torch.noGrad(() => expect(vals(w.neg_())).toEqual([-1, -2, -3]));
      const e = torch.tensor([1.5], { dtype: torch.float32 }).expand(3);
      expect(() => e.exp_()).toThrow(/more than one element of the written-to tensor refers to a single memory location/);
      const a = torch.tensor([1, 2, 3, 4], { dtype: torch.float32 });
      expect(() => a.narrow(0, 1, 3).pow_(a.narrow(0, 0, 3))).toThrow(/unsupported operation/);
      expect(() => a.pow_(torch.ones(2, 4))).toThrow(/doesn't match the broadcast shape/);
    });
  });
}
