// Convolution: F.pad (4 modes), F.unfold/F.fold (fold is unfold's adjoint), F.conv1d/F.conv2d
// against a direct-loop reference computed here in doubles (awkward sizes: odd spatial sizes, kernel
// larger than the input with padding, stride > kernel, depthwise groups, dilation, 'same' with even
// kernels), gradcheck and gradgradcheck through the recorded compositions, nn.Conv1d/Conv2d (init
// bounds, parameter names, padding modes, reprs) and PyTorch's error messages. Every test runs once
// per backend that loads. ref: PyTorch 1.13 (reprs and messages read off it).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { gradcheck, gradgradcheck } from "../lib/autograd/gradcheck.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { close as closeWithin } from "./helpers/close.js";

const { nn } = torch;
/** float32 finite differences (torchlet has no float64 here). */
const GC = { eps: 1e-2, rtol: 1e-2, atol: 1e-3 };
const F = nn.functional;

/** This suite compares within 1e-4. */
const close = (got: number[], want: number[]) => closeWithin(got, want, 1e-4);

/** A leaf that requires grad, for gradcheck. */
const rg = (t: Tensor): Tensor => t.detach().requiresGrad_();

/** Deterministic, non-symmetric values. */
function seq(shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: n }, (_, i) => Math.sin(1.3 * i + 0.7) + 0.1 * (i % 5));
  return torch.tensor(data).reshape(...shape);
}

interface RefOpts { stride: [number, number]; pad: [number, number]; dil: [number, number]; groups: number }

/** Direct-loop conv2d in doubles: x [N,C,H,W], w [O,C/g,kh,kw], zero padding. */
function refConv2d(x: Tensor, w: Tensor, b: Tensor | null, o: RefOpts): { shape: number[]; data: number[] } {
  const [N, C, H, W] = x.shape;
  const [O, Cg, KH, KW] = w.shape;
  const xv = vals(x);
  const wv = vals(w);
  const bv = b ? vals(b) : null;
  const OH = Math.floor((H + 2 * o.pad[0] - o.dil[0] * (KH - 1) - 1) / o.stride[0]) + 1;
  const OW = Math.floor((W + 2 * o.pad[1] - o.dil[1] * (KW - 1) - 1) / o.stride[1]) + 1;
  const Og = O / o.groups;
  const out: number[] = [];
  for (let n = 0; n < N; n++) for (let oc = 0; oc < O; oc++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) {
    let s = bv ? bv[oc] : 0;
    const g = Math.floor(oc / Og);
    for (let c = 0; c < Cg; c++) for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
      const iy = oy * o.stride[0] - o.pad[0] + ky * o.dil[0];
      const ix = ox * o.stride[1] - o.pad[1] + kx * o.dil[1];
      if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
      s += xv[((n * C + g * Cg + c) * H + iy) * W + ix] * wv[((oc * Cg + c) * KH + ky) * KW + kx];
    }
    out.push(s);
  }
  return { shape: [N, O, OH, OW], data: out };
}

const CASES: { name: string; x: number[]; w: number[]; bias: boolean; o: RefOpts }[] = [
  { name: "odd sizes", x: [2, 3, 7, 5], w: [4, 3, 3, 3], bias: true, o: { stride: [1, 1], pad: [0, 0], dil: [1, 1], groups: 1 } },
  { name: "kernel larger than input with padding", x: [1, 2, 2, 3], w: [2, 2, 4, 5], bias: true, o: { stride: [1, 1], pad: [2, 2], dil: [1, 1], groups: 1 } },
  { name: "stride > kernel", x: [1, 1, 9, 8], w: [2, 1, 2, 2], bias: false, o: { stride: [3, 4], pad: [0, 1], dil: [1, 1], groups: 1 } },
  { name: "depthwise (groups = channels)", x: [2, 3, 5, 6], w: [3, 1, 3, 3], bias: true, o: { stride: [1, 1], pad: [1, 1], dil: [1, 1], groups: 3 } },
  { name: "groups 2 with dilation", x: [1, 4, 7, 7], w: [6, 2, 3, 2], bias: true, o: { stride: [2, 1], pad: [1, 0], dil: [2, 3], groups: 2 } },
];

describe.each(backends())("convolution [%s]", (name) => {
  useBackend(name);

  describe("F.pad", () => {
    const x = seq([1, 2, 3, 4]);
    it("constant: last dim first, value, negative crop", () => {
      const y = F.pad(x, [1, 2, 0, 1], "constant", 9);
      expect(y.shape).toEqual([1, 2, 4, 7]);
      expect(vals(y.index(0, 0, 0))).toEqual([9, ...vals(x.index(0, 0, 0)), 9, 9]);
      expect(vals(y.index(0, 0, 3))).toEqual(Array(7).fill(9));
      expect(vals(F.pad(x, [-1, -1]))).toEqual(vals(x.narrow(3, 1, 2).contiguous()));
    });
    it("reflect, replicate, circular on a row", () => {
      const r = torch.tensor([[[1, 2, 3, 4]]]);
      expect(vals(F.pad(r, [2, 3], "reflect"))).toEqual([3, 2, 1, 2, 3, 4, 3, 2, 1]);
      expect(vals(F.pad(r, [2, 3], "replicate"))).toEqual([1, 1, 1, 2, 3, 4, 4, 4, 4]);
      expect(vals(F.pad(r, [2, 3], { mode: "circular" }))).toEqual([3, 4, 1, 2, 3, 4, 1, 2, 3]);
    });
    it("gradients of every mode (gradcheck, gradgradcheck)", () => {
      const xd = seq([1, 1, 3, 3]);
      for (const mode of ["constant", "reflect", "replicate", "circular"] as const) {
        expect(gradcheck((a) => F.pad(a, [2, 1, 1, 2], mode), [rg(xd)], GC)).toBe(true);
        expect(gradgradcheck((a) => F.pad(a, [2, 1, 1, 2], mode).pow(2), [rg(xd)], null, GC)).toBe(true);
      }
    }, 120_000);
    it("errors worded as PyTorch", () => {
      expect(() => F.pad(torch.zeros(1, 1, 3), [3, 0], "reflect")).toThrow(
        "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (3, 0) at dimension 2 of input [1, 1, 3]",
      );
      expect(() => F.pad(x, [1, 2, 3])).toThrow("Padding length must be divisible by 2");
      expect(() => F.pad(x, [1, 1], "reflect", 2)).toThrow(`Padding mode "reflect" doesn't take in value argument.`);
    });
  });

  describe("F.unfold / F.fold", () => {
    it("unfold picks the patches; fold sums overlaps (fold(unfold(ones)) counts windows)", () => {
      const x = torch.arange(12, { dtype: "float32" }).reshape(1, 1, 3, 4);
      const cols = F.unfold(x, 2);
      expect(cols.shape).toEqual([1, 4, 6]);
      expect(vals(cols.index(0).t().index(0))).toEqual([0, 1, 4, 5]);
      const counts = F.fold(F.unfold(torch.ones(1, 1, 3, 4), 2), [3, 4], 2);
      expect(vals(counts)).toEqual([1, 2, 2, 1, 2, 4, 4, 2, 1, 2, 2, 1]);
    });
    it("fold is unfold's adjoint: <unfold(x), c> = <x, fold(c)>", () => {
      const opts = { dilation: [2, 1], padding: 1, stride: [2, 3] };
      const x = seq([2, 3, 7, 8]);
      const u = F.unfold(x, [2, 3], opts);
      const c = seq(u.shape).mul(0.5).add(0.3);
      const lhs = u.mul(c).sum().item();
      const rhs = x.mul(F.fold(c, [7, 8], [2, 3], opts)).sum().item();
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * (1 + Math.abs(lhs)));
    });
    it("gradcheck and gradgradcheck, unbatched input", () => {
      const x = seq([1, 4, 4]);
      expect(gradcheck((a) => F.unfold(a, [2, 3], { stride: 2, padding: 1 }), [rg(x)], GC)).toBe(true);
      const c = seq([1, 8, 8]);
      expect(gradcheck((a) => F.fold(a, [4, 5], [2, 2], { dilation: [2, 1] }), [rg(c)], GC)).toBe(true);
      expect(gradgradcheck((a) => F.unfold(a, 2).pow(2), [rg(x)], null, GC)).toBe(true);
    }, 120_000);
    it("errors", () => {
      expect(() => F.unfold(torch.zeros(3, 4), 2)).toThrow("Input Error: Only 3D or 4D input Tensors are supported (got 2D)");
      expect(() => F.fold(torch.zeros(1, 5, 6), [4, 5], 2)).toThrow("divisible by the product of kernel_size");
    });
  });

  describe("F.conv2d / F.conv1d", () => {
    for (const c of CASES) {
      it(`matches the direct loop: ${c.name}`, () => {
        const x = seq(c.x);
        const w = seq(c.w).mul(0.3);
        const b = c.bias ? seq([c.w[0]]) : null;
        const want = refConv2d(x, w, b, c.o);
        const y = F.conv2d(x, w, b, c.o.stride, c.o.pad, c.o.dil, c.o.groups);
        expect(y.shape).toEqual(want.shape);
        close(vals(y), want.data);
      });
    }
    it("conv1d is conv2d over a height-1 image; unbatched input", () => {
      const x = seq([2, 4, 9]);
      const w = seq([6, 2, 3]);
      const b = seq([6]);
      const y = F.conv1d(x, w, b, { stride: 2, padding: 1, dilation: 2, groups: 2 });
      const want = refConv2d(x.unsqueeze(2), w.unsqueeze(2), b, { stride: [1, 2], pad: [0, 1], dil: [1, 2], groups: 2 });
      expect(y.shape).toEqual([2, 6, want.shape[3]]);
      close(vals(y), want.data);
      close(vals(F.conv1d(x.index(1), w, b, { stride: 2, padding: 1, dilation: 2, groups: 2 })), vals(y.index(1)));
    });
    it("padding 'same' (even kernel: extra on the right) and 'valid'", () => {
      const x = seq([1, 2, 5, 6]);
      const w = seq([3, 2, 2, 4]);
      const y = F.conv2d(x, w, null, { padding: "same", dilation: [1, 2] });
      expect(y.shape).toEqual([1, 3, 5, 6]);
      // total padding (1, 6): top 0 / bottom 1, left 3 / right 3
      const want = refConv2d(F.pad(x, [3, 3, 0, 1]), w, null, { stride: [1, 1], pad: [0, 0], dil: [1, 2], groups: 1 });
      close(vals(y), want.data);
      expect(F.conv2d(x, w, null, { padding: "valid" }).shape).toEqual([1, 3, 4, 3]);
    });
    it("gradcheck and gradgradcheck in input, weight and bias", () => {
      const x = seq([1, 4, 4, 3]);
      const w = seq([4, 2, 2, 2]).mul(0.5);
      const b = seq([4]);
      expect(gradcheck((a, ww, bb) => F.conv2d(a, ww, bb, { stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2 }), [rg(x), rg(w), rg(b)], GC)).toBe(true);
      expect(gradgradcheck((a, ww) => F.conv2d(a, ww, null, { padding: "same" }), [rg(seq([1, 2, 3, 3])), rg(seq([2, 2, 2, 2]).mul(0.5))], null, GC)).toBe(true);
      const x1 = seq([1, 3, 5]);
      const w1 = seq([3, 1, 3]);
      expect(gradcheck((a, ww) => F.conv1d(a, ww, null, { groups: 3, stride: 2 }), [rg(x1), rg(w1)], GC)).toBe(true);
    }, 120_000);
    it("errors worded as PyTorch", () => {
      expect(() => F.conv2d(torch.zeros(5, 5), torch.zeros(1, 1, 3, 3))).toThrow(
        "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [5, 5]",
      );
      expect(() => F.conv2d(torch.zeros(1, 1, 5, 5), torch.zeros(2, 3, 3, 3))).toThrow(
        "Given groups=1, weight of size [2, 3, 3, 3], expected input[1, 1, 5, 5] to have 3 channels, but got 1 channels instead",
      );
      expect(() => F.conv2d(torch.zeros(1, 2, 5, 5), torch.zeros(2, 2, 3, 3), null, { padding: "same", stride: 2 })).toThrow(
        "padding='same' is not supported for strided convolutions",
      );
      expect(() => F.conv1d(torch.zeros(1, 2, 2), torch.zeros(1, 2, 3))).toThrow(
        "Calculated padded input size per channel: (2). Kernel size: (3). Kernel size can't be greater than actual input size",
      );
    });
  });

  describe("nn.Conv1d / nn.Conv2d", () => {
    it("parameters, shapes and PyTorch's init bounds", () => {
      const m = new nn.Conv2d(4, 6, [3, 2], { groups: 2 });
      expect(m.namedParameters().map(([k]) => k)).toEqual(["weight", "bias"]);
      expect(m.weight.shape).toEqual([6, 2, 3, 2]);
      const bound = 1 / Math.sqrt(2 * 3 * 2); // kaiming_uniform_(a=√5) and the bias: both 1/√fan_in
      for (const v of [...vals(m.weight), ...vals(m.bias as Tensor)]) expect(Math.abs(v)).toBeLessThanOrEqual(bound);
      expect(new nn.Conv1d(3, 5, 2, { bias: false }).bias).toBe(null);
    });
    it("same seed, same parameters", () => {
      torch.manualSeed(3);
      const a = new nn.Conv2d(2, 3, 3);
      torch.manualSeed(3);
      const b = new nn.Conv2d(2, 3, 3);
      expect(vals(a.weight)).toEqual(vals(b.weight));
    });
    it("forward equals F.conv2d; padding modes pad with F.pad first", () => {
      const x = seq([2, 2, 5, 4]);
      const m = new nn.Conv2d(2, 3, 3, { padding: [1, 2], paddingMode: "reflect" });
      const want = F.conv2d(F.pad(x, [2, 2, 1, 1], "reflect"), m.weight, m.bias);
      close(vals(m.forward(x)), vals(want));
      const c = new nn.Conv1d(2, 2, 3, { padding: "same", paddingMode: "circular" });
      const x1 = seq([1, 2, 6]);
      close(vals(c.forward(x1)), vals(F.conv1d(F.pad(x1, [1, 1], "circular"), c.weight, c.bias)));
    });
    it("reprs as PyTorch prints them", () => {
      expect(String(new nn.Conv2d(1, 32, 3, { padding: 1 }))).toBe("Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))");
      expect(String(new nn.Conv1d(4, 4, 3, { groups: 4, bias: false, dilation: 2, paddingMode: "replicate" }))).toBe(
        "Conv1d(4, 4, kernel_size=(3,), stride=(1,), dilation=(2,), groups=4, bias=False, padding_mode=replicate)",
      );
      expect(String(new nn.Conv2d(2, 2, 3, { padding: "same" }))).toBe("Conv2d(2, 2, kernel_size=(3, 3), stride=(1, 1), padding=same)");
    });
    it("constructor errors", () => {
      expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow("in_channels must be divisible by groups");
      expect(() => new nn.Conv2d(4, 3, 3, { groups: 2 })).toThrow("out_channels must be divisible by groups");
      expect(() => new nn.Conv2d(2, 2, 3, { padding: "same", stride: 2 })).toThrow("padding='same' is not supported for strided convolutions");
      expect(() => new nn.Conv2d(2, 2, 3, { paddingMode: "mirror" as never })).toThrow("padding_mode must be one of");
    });
  });
  describe("conv transpose", () => {
    it("convTranspose2d is conv2d's adjoint: <conv2d(x, w), y> = <x, convTranspose2d(y, w)>", () => {
      const o = { stride: [2, 3], padding: [1, 0], dilation: [1, 2], groups: 2 };
      const x = seq([2, 4, 7, 8]);
      const w = seq([6, 2, 3, 2]).mul(0.5);
      const c = F.conv2d(x, w, null, o);
      const y = seq(c.shape).mul(0.7).add(0.1);
      // output_padding makes the transposed output as large as x again
      const back = F.convTranspose2d(y, w, null, { ...o, outputPadding: [0, 2] });
      expect(back.shape).toEqual(x.shape);
      const lhs = c.mul(y).sum().item();
      const rhs = x.mul(back).sum().item();
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-4 * (1 + Math.abs(lhs)));
    });
    it("gradcheck in input, weight and bias", () => {
      expect(gradcheck((a, ww, bb) => F.convTranspose2d(a, ww, bb, { stride: 2, padding: 1, outputPadding: 1 }), [rg(seq([1, 2, 2, 3])), rg(seq([2, 3, 3, 2])), rg(seq([3]))], GC)).toBe(true);
    }, 120_000);
    it("nn.ConvTranspose2d: weight [in, out/groups, k], output_size, repr, errors", () => {
      const m = new nn.ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, groups: 2 });
      expect(m.weight.shape).toEqual([4, 3, 3, 3]);
      const x = seq([1, 4, 3, 3]);
      expect(m.forward(x).shape).toEqual([1, 6, 5, 5]);
      expect(m.forward(x, [6, 5]).shape).toEqual([1, 6, 6, 5]);
      expect(m.forward(x, { outputSize: [1, 6, 6, 6] }).shape).toEqual([1, 6, 6, 6]);
      expect(() => m.forward(x, [7, 5])).toThrow("requested an output size of [7, 5], but valid sizes range from [5, 5] to [6, 6]");
      expect(String(new nn.ConvTranspose2d(2, 2, 3, { stride: 2, outputPadding: 1, bias: false }))).toBe(
        "ConvTranspose2d(2, 2, kernel_size=(3, 3), stride=(2, 2), output_padding=(1, 1), bias=False)",
      );
      expect(() => new nn.ConvTranspose2d(2, 2, 3, { paddingMode: "reflect" })).toThrow('Only "zeros" padding mode is supported for ConvTranspose2d');
      expect(() => F.convTranspose2d(seq([1, 2, 3, 3]), seq([2, 2, 3, 3]), null, { stride: 2, outputPadding: 2 })).toThrow(
        "output padding must be smaller than either stride or dilation",
      );
    });
  });
  describe("interpolate / Upsample", () => {
    const row = torch.arange(5, { dtype: "float32" }).reshape(1, 1, 5);
    it("nearest: size vs scale_factor (the scale given is used for the indices), nearest-exact", () => {
      expect(vals(F.interpolate(row, { scaleFactor: 1.7 }))).toEqual([0, 0, 1, 1, 2, 2, 3, 4]);
      expect(vals(F.interpolate(row, { size: 8 }))).toEqual([0, 0, 1, 1, 2, 3, 3, 4]);
      expect(vals(F.interpolate(row, { size: 8, mode: "nearest-exact" }))).toEqual([0, 0, 1, 2, 2, 3, 4, 4]);
    });
    it("linear with and without align_corners", () => {
      const x = torch.tensor([[[0, 3, 6]]]);
      close(vals(F.interpolate(x, { size: 5, mode: "linear", alignCorners: true })), [0, 1.5, 3, 4.5, 6]);
      close(vals(F.interpolate(x, { scaleFactor: 2, mode: "linear" })), [0, 0.75, 2.25, 3.75, 5.25, 6]);
    });
    it("bilinear gradcheck; nn.Upsample repr", () => {
      expect(gradcheck((a) => F.interpolate(a, { size: [4, 3], mode: "bilinear" }), [rg(seq([1, 1, 3, 2]))], GC)).toBe(true);
      expect(String(new nn.Upsample({ scaleFactor: 2 }))).toBe("Upsample(scale_factor=2.0, mode=nearest)");
      expect(String(new nn.Upsample({ size: [3, 4], mode: "bilinear" }))).toBe("Upsample(size=(3, 4), mode=bilinear)");
      expect(new nn.Upsample({ scaleFactor: 2 }).forward(seq([1, 2, 2, 3])).shape).toEqual([1, 2, 4, 6]);
    }, 120_000);
    it("errors", () => {
      expect(() => F.interpolate(row, { size: 3, scaleFactor: 2 })).toThrow("only one of size or scale_factor should be defined");
      expect(() => F.interpolate(row)).toThrow("either size or scale_factor should be defined");
      expect(() => F.interpolate(row, { size: 3, alignCorners: true })).toThrow("align_corners option can only be set with the interpolating modes");
      expect(() => F.interpolate(seq([1, 1, 2, 2]), { size: 3, mode: "linear" })).toThrow("Got 4D input, but linear mode needs 3D input");
    });
  });
});
