// The nn modules and functional forms added for CNN, sequence and metric-learning programs:
// Unflatten (and torch.unflatten), the padding modules, PixelShuffle/PixelUnshuffle, Softmin and
// Softmax2d, CosineSimilarity and PairwiseDistance, Unfold/Fold modules, UpsamplingNearest2d/
// UpsamplingBilinear2d, F.relu_, F.maxPool2dWithIndices and Bilinear. Values against loops over the
// elements in double, shapes, broadcasting, gradients by gradcheck on float64, reprs and PyTorch's
// error messages, on each backend.
import { describe, expect, it, vi } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { data, expectClose, f64, muteWarnings } from "./helpers/f64_values.js";

const { nn } = torch;
const F = nn.functional;

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const numel = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const rand = (shape: number[], seed: number) => f64(data(numel(shape), seed), shape);
const leaf = (shape: number[], seed: number) => rand(shape, seed).requiresGrad_(true);

describe.each(backends())("nn extras [%s]", (name) => {
  useBackend(name);
  muteWarnings();

  describe("Unflatten", () => {
    it("splits a dim (one size may be -1) as a view; torch.unflatten too", () => {
      const x = rand([2, 12], 1);
      const y = new nn.Unflatten(1, [3, -1])(x);
      expect(y.shape).toEqual([2, 3, 4]);
      expect(vals(y)).toEqual(vals(x));
      expect(torch.unflatten(x, -1, [2, 2, 3]).shape).toEqual([2, 2, 2, 3]);
      expect(new nn.Unflatten({ dim: 0, unflattenedSize: [1, 2] })(x).shape).toEqual([1, 2, 12]);
      expect(String(new nn.Unflatten(1, [2, 3]))).toBe("Unflatten(dim=1, unflattened_size=(2, 3))");
    });
    it("PyTorch's errors", () => {
      expect(() => new nn.Unflatten(1, [2, 2])(rand([2, 3, 4], 2))).toThrow(
        "unflatten: Provided sizes [2, 2] don't multiply up to the size of dim 1 (3) in the input tensor",
      );
      expect(() => new nn.Unflatten(1, 3 as never)).toThrow("unflattened_size must be a tuple of ints, but found type int");
      expect(() => new nn.Unflatten(1, [2, "a"] as never)).toThrow("unflattened_size must be tuple of ints, but found element of type str at pos 1");
      expect(() => new nn.Unflatten(1.5, [3])).toThrow("invalid argument type for dim parameter");
      expect(() => new nn.Unflatten(5, [3])(rand([2, 3, 4], 2))).toThrow("Dimension out of range (expected to be in range of [-3, 2], but got 5)");
    });
  });

  describe("padding modules", () => {
    /** out[.., i, j] of a 2-D pad by index mapping, as PyTorch defines each mode. */
    function pad2dRef(x: number[], [C, H, W]: number[], [l, r, t, b]: number[], mode: string, value = 0): number[] {
      const out: number[] = [];
      const src = (i: number, n: number): number | null => {
        if (i >= 0 && i < n) return i;
        if (mode === "reflect") return i < 0 ? -i : 2 * (n - 1) - i;
        if (mode === "replicate") return i < 0 ? 0 : n - 1;
        return null;
      };
      for (let c = 0; c < C; c++)
        for (let i = -t; i < H + b; i++)
          for (let j = -l; j < W + r; j++) {
            const [si, sj] = [src(i, H), src(j, W)];
            out.push(si === null || sj === null ? value : x[(c * H + si) * W + sj]);
          }
      return out;
    }
    const x = data(2 * 3 * 4, 3);
    const t = () => f64(x, [1, 2, 3, 4]);
    it("pad the trailing dims as PyTorch's modes do (int or tuple padding)", () => {
      expectClose(new nn.ReflectionPad2d([1, 2, 2, 0])(t()), pad2dRef(x, [2, 3, 4], [1, 2, 2, 0], "reflect"));
      expectClose(new nn.ReplicationPad2d(2)(t()), pad2dRef(x, [2, 3, 4], [2, 2, 2, 2], "replicate"));
      expectClose(new nn.ZeroPad2d([1, 0, 2, 1])(t()), pad2dRef(x, [2, 3, 4], [1, 0, 2, 1], "constant"));
      expectClose(new nn.ConstantPad2d(1, -1.5)(t()), pad2dRef(x, [2, 3, 4], [1, 1, 1, 1], "constant", -1.5));
      // 1-D modes on [N, C, W]: the 2-D reference with no rows added.
      const x3 = f64(x, [2, 3, 4]);
      expectClose(new nn.ReflectionPad1d([3, 1])(x3), pad2dRef(x, [2, 3, 4], [3, 1, 0, 0], "reflect"));
      expectClose(new nn.ReplicationPad1d(2)(x3), pad2dRef(x, [2, 3, 4], [2, 2, 0, 0], "replicate"));
      expectClose(new nn.ConstantPad1d([0, 2], 7)(x3), pad2dRef(x, [2, 3, 4], [0, 2, 0, 0], "constant", 7));
      const y = new nn.ConstantPad3d(1, 2)(f64(x, [2, 3, 4]));
      expect(y.shape).toEqual([4, 5, 6]);
      expect(sum(vals(y))).toBeCloseTo(sum(x) + 2 * (4 * 5 * 6 - 24), 10);
      expect(new nn.ReplicationPad1d(1)(f64(x, [6, 4])).shape).toEqual([6, 6]);
    });
    it("have gradients (gradcheck)", () => {
      const cases: [torch.nn.Module, number[]][] = [
        [new nn.ReflectionPad2d([1, 2, 2, 0]), [1, 2, 3, 4]], [new nn.ReplicationPad1d([2, 1]), [2, 3, 4]],
        [new nn.ReplicationPad2d(1), [2, 3, 4]], [new nn.ReflectionPad1d(2), [3, 4]],
        [new nn.ZeroPad2d(1), [1, 2, 3, 4]], [new nn.ConstantPad3d([1, 0, 0, 1, 1, 0], 3), [1, 2, 3, 4]],
      ];
      for (const [m, shape] of cases) expect(torch.gradcheck((a) => m(a) as Tensor, [leaf(shape, 4)])).toBe(true);
    });
    it("print and fail as PyTorch's", () => {
      expect(String(new nn.ZeroPad2d(1))).toBe("ZeroPad2d((1, 1, 1, 1))");
      expect(String(new nn.ConstantPad1d(2, 3.5))).toBe("ConstantPad1d(padding=(2, 2), value=3.5)");
      expect(String(new nn.ConstantPad3d(1, 0))).toBe("ConstantPad3d(padding=(1, 1, 1, 1, 1, 1), value=0)");
      expect(String(new nn.ReflectionPad2d([1, 1, 2, 0]))).toBe("ReflectionPad2d((1, 1, 2, 0))");
      expect(String(new nn.ReplicationPad1d(3))).toBe("ReplicationPad1d((3, 3))");
      expect(() => new nn.ReflectionPad1d(3)(rand([1, 3], 5))).toThrow(
        "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding (3, 3) at dimension 1 of input [1, 3]",
      );
      expect(() => new nn.ReflectionPad1d(1)(rand([1, 2, 3, 4], 5))).toThrow("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
      expect(() => new nn.ZeroPad2d(1)(rand([3], 5))).toThrow("Padding length too large");
      expect(() => new nn.ConstantPad1d(1)).toThrow("ConstantPad1d() missing required argument 'value'");
    });
  });

  describe("PixelShuffle / PixelUnshuffle", () => {
    it("move channel blocks into pixels: out[c, h·r+i, w·r+j] = in[c·r²+i·r+j, h, w]", () => {
      const [N, C, r, H, W] = [2, 2, 2, 3, 2];
      const x = data(N * C * r * r * H * W, 6);
      const want: number[] = [];
      for (let n = 0; n < N; n++)
        for (let c = 0; c < C; c++)
          for (let oh = 0; oh < H * r; oh++)
            for (let ow = 0; ow < W * r; ow++) {
              const [h, i, w, j] = [Math.floor(oh / r), oh % r, Math.floor(ow / r), ow % r];
              want.push(x[(((n * C * r * r + c * r * r + i * r + j) * H + h) * W) + w]);
            }
      const y = new nn.PixelShuffle(r)(f64(x, [N, C * r * r, H, W]));
      expect(y.shape).toEqual([N, C, H * r, W * r]);
      expectClose(y, want);
      // Unshuffle inverts it, also on extra leading dims.
      expectClose(F.pixelUnshuffle(y, 2), x);
      expect(F.pixelShuffle(rand([3, 2, 8, 1, 2], 7), 2).shape).toEqual([3, 2, 2, 2, 4]);
      expect(F.pixelUnshuffle(rand([4, 6], 7).unsqueeze(0), { downscaleFactor: 2 }).shape).toEqual([4, 2, 3]);
    });
    it("have gradients; reprs; PyTorch's errors", () => {
      expect(torch.gradcheck((a) => F.pixelShuffle(a, 2).mul(rand([1, 2, 4, 2], 9)), [leaf([1, 8, 2, 1], 8)])).toBe(true);
      expect(torch.gradcheck((a) => F.pixelUnshuffle(a, 2).mul(rand([1, 4, 1, 2], 9)), [leaf([1, 1, 2, 4], 8)])).toBe(true);
      expect(String(new nn.PixelShuffle(3))).toBe("PixelShuffle(upscale_factor=3)");
      expect(String(new nn.PixelUnshuffle(2))).toBe("PixelUnshuffle(downscale_factor=2)");
      expect(() => F.pixelShuffle(rand([4, 4], 1), 2)).toThrow("pixel_shuffle expects input to have at least 3 dimensions, but got input with 2 dimension(s)");
      expect(() => F.pixelShuffle(rand([4, 4, 4], 1), 0)).toThrow("pixel_shuffle expects a positive upscale_factor, but got 0");
      expect(() => F.pixelShuffle(rand([5, 4, 4], 1), 2)).toThrow(
        "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=5 is not divisible by 4",
      );
      expect(() => F.pixelShuffle(rand([4, 2, 2], 1), 1.5)).toThrow("pixel_shuffle(): argument 'upscale_factor' (position 2) must be int, not float");
      expect(() => F.pixelUnshuffle(rand([1, 5, 4], 1), 2)).toThrow("pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=5 is not divisible by 2");
      expect(() => F.pixelUnshuffle(rand([1, 4, 5], 1), 2)).toThrow("pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=5 is not divisible by 2");
    });
  });

  describe("Softmin / Softmax2d", () => {
    const softmaxRef = (xs: number[]) => {
      const m = Math.max(...xs);
      const e = xs.map((v) => Math.exp(v - m));
      return e.map((v) => v / sum(e));
    };
    it("softmin is the softmax of −x along dim", () => {
      const x = data(6, 10);
      const want = [0, 1].flatMap((r) => softmaxRef(x.slice(r * 3, r * 3 + 3).map((v) => -v)));
      expectClose(F.softmin(f64(x, [2, 3]), 1), want);
      expectClose(new nn.Softmin(-1)(f64(x, [2, 3])), want);
      expect(torch.gradcheck((a) => F.softmin(a, 0).mul(rand([2, 3], 2)), [leaf([2, 3], 11)])).toBe(true);
      expect(String(new nn.Softmin(1))).toBe("Softmin(dim=1)");
      expect(String(new nn.Softmin())).toBe("Softmin(dim=None)");
    });
    it("softmin without dim takes PyTorch's implicit dim and warns", () => {
      const x = rand([2, 3], 12);
      expect(vals(F.softmin(x))).toEqual(vals(F.softmin(x, 1)));
      expect(vi.mocked(process.emitWarning).mock.calls.map((c) => String(c[0]))).toContain(
        "Implicit dimension choice for softmin has been deprecated. Change the call to include dim=X as an argument.",
      );
    });
    it("Softmax2d normalises over the channels of each pixel", () => {
      const x = data(2 * 3 * 2 * 2, 13);
      const y = new nn.Softmax2d()(f64(x, [2, 3, 2, 2]));
      const want = new Array<number>(x.length);
      for (let n = 0; n < 2; n++)
        for (let p = 0; p < 4; p++) {
          const s = softmaxRef([0, 1, 2].map((c) => x[(n * 3 + c) * 4 + p]));
          [0, 1, 2].forEach((c) => (want[(n * 3 + c) * 4 + p] = s[c]));
        }
      expectClose(y, want);
      expect(new nn.Softmax2d()(f64(x.slice(0, 12), [3, 2, 2])).shape).toEqual([3, 2, 2]);
      expect(() => new nn.Softmax2d()(rand([3, 4], 1))).toThrow("Softmax2d requires a 3D or 4D tensor as input");
      expect(String(new nn.Softmax2d())).toBe("Softmax2d()");
    });
  });

  describe("CosineSimilarity", () => {
    /** 1.13's formula per row: Σ (a/max(‖a‖, eps))·(b/max(‖b‖, eps)). */
    const cosRef = (a: number[], b: number[], eps = 1e-8) => {
      const na = Math.max(Math.sqrt(sum(a.map((v) => v * v))), eps);
      const nb = Math.max(Math.sqrt(sum(b.map((v) => v * v))), eps);
      return sum(a.map((v, i) => (v / na) * (b[i] / nb)));
    };
    it("is the cosine along dim 1 by default, and along any dim", () => {
      const a = data(12, 14), b = data(12, 15);
      const rows = (xs: number[], r: number) => xs.slice(r * 4, r * 4 + 4);
      expectClose(F.cosineSimilarity(f64(a, [3, 4]), f64(b, [3, 4])), [0, 1, 2].map((r) => cosRef(rows(a, r), rows(b, r))));
      const col = (xs: number[], c: number) => [0, 1, 2].map((r) => xs[r * 4 + c]);
      expectClose(new nn.CosineSimilarity(0)(f64(a, [3, 4]), f64(b, [3, 4])), [0, 1, 2, 3].map((c) => cosRef(col(a, c), col(b, c))));
    });
    it("broadcasts x1 and x2 (dim indexes the common shape)", () => {
      const a = data(3 * 4, 16), b = data(5 * 4, 17);
      const y = F.cosineSimilarity(f64(a, [3, 1, 4]), f64(b, [5, 4]), -1);
      expect(y.shape).toEqual([3, 5]);
      expectClose(y, [0, 1, 2].flatMap((i) => [0, 1, 2, 3, 4].map((j) => cosRef(a.slice(i * 4, i * 4 + 4), b.slice(j * 4, j * 4 + 4)))));
    });
    it("normalises each operand before the product: tiny vectors give 1, a zero one 0", () => {
      expectClose(F.cosineSimilarity(f64([1e-5, 0]), f64([1e-5, 0]), 0), [1]);
      expectClose(F.cosineSimilarity(f64([1e-9, 0]), f64([1e-9, 0]), 0), [cosRef([1e-9, 0], [1e-9, 0])]);
      expectClose(F.cosineSimilarity(f64([0, 0]), f64([1, 0]), 0), [0]);
    });
    it("has gradients (gradcheck), and through a clamped norm divides by the clamped value", () => {
      expect(torch.gradcheck((p, q) => F.cosineSimilarity(p, q), [leaf([3, 4], 18), leaf([3, 4], 19)])).toBe(true);
      // d/da of Σ (a/max(‖a‖,eps))·b̂ with the norm's gradient a/max(‖a‖,eps): b̂/N − (a·b̂)·a/N³ (N = eps here).
      const a = leaf([2], 0).detach().mul(0).add(f64([1e-9, 2e-9])).requiresGrad_(true);
      const b = f64([3, -1]);
      F.cosineSimilarity(a, b, 0).backward();
      const bn = Math.sqrt(10), bh = [3 / bn, -1 / bn], N = 1e-8, dot = 1e-9 * bh[0] + 2e-9 * bh[1];
      expectClose(a.grad!, [bh[0] / N - (dot * 1e-9) / N ** 3, bh[1] / N - (dot * 2e-9) / N ** 3], 1e-9);
    });
    it("PyTorch's errors; float32 stays float32", () => {
      const i64 = torch.tensor([1, 2], { dtype: "int64" });
      expect(() => F.cosineSimilarity(i64, i64, 0)).toThrow("expected common dtype to be floating point, yet common dtype is Long");
      expect(F.cosineSimilarity(i64, torch.tensor([1.5, 2]), 0).dtype).toBe("float32");
      expect(() => F.cosineSimilarity(rand([3, 4], 1), rand([5, 4], 2))).toThrow("The size of tensor a (3) must match the size of tensor b (5) at non-singleton dimension 0");
      expect(() => F.cosineSimilarity(rand([3, 4], 1), rand([3, 4], 2), 2)).toThrow("Dimension out of range (expected to be in range of [-2, 1], but got 2)");
      expect(String(new nn.CosineSimilarity())).toBe("CosineSimilarity()");
    });
  });

  describe("PairwiseDistance", () => {
    const a = data(12, 20), b = data(12, 21);
    const distRef = (u: number[], v: number[], p: number, eps = 1e-6) => {
      const d = u.map((x, i) => Math.abs(x - v[i] + eps));
      if (p === Infinity) return Math.max(...d);
      if (p === 0) return d.filter((x) => x !== 0).length;
      return sum(d.map((x) => x ** p)) ** (1 / p);
    };
    const rows = (xs: number[], r: number) => xs.slice(r * 4, r * 4 + 4);
    it("is ‖x1 − x2 + eps‖_p over the last dim, for p = 2, 1, 3, ∞, 0", () => {
      for (const p of [2, 1, 3, Infinity, 0]) {
        expectClose(F.pairwiseDistance(f64(a, [3, 4]), f64(b, [3, 4]), p), [0, 1, 2].map((r) => distRef(rows(a, r), rows(b, r), p)));
      }
      expectClose(new nn.PairwiseDistance(1, 0.5)(f64(a, [3, 4]), f64(b, [3, 4])), [0, 1, 2].map((r) => distRef(rows(a, r), rows(b, r), 1, 0.5)));
    });
    it("keepdim, broadcasting, 1-D inputs; gradcheck", () => {
      expect(new nn.PairwiseDistance({ keepdim: true })(f64(a, [3, 4]), f64(b, [3, 4])).shape).toEqual([3, 1]);
      expectClose(F.pairwiseDistance(f64(a, [3, 4]), f64(b.slice(0, 4))), [0, 1, 2].map((r) => distRef(rows(a, r), b.slice(0, 4), 2)));
      const one = F.pairwiseDistance(f64(a.slice(0, 4)), f64(b.slice(0, 4)));
      expect(one.shape).toEqual([]);
      expect(F.pairwiseDistance(f64(a.slice(0, 4)), f64(b.slice(0, 4)), { keepdim: true }).shape).toEqual([1]);
      expect(torch.gradcheck((p, q) => F.pairwiseDistance(p, q), [leaf([3, 4], 22), leaf([3, 4], 23)])).toBe(true);
      expect(torch.gradcheck((p, q) => F.pairwiseDistance(p, q, 3), [leaf([3, 4], 22), leaf([4], 23)])).toBe(true);
      expect(String(new nn.PairwiseDistance())).toBe("PairwiseDistance()");
      expect(new nn.PairwiseDistance().norm).toBe(2);
    });
  });

  describe("Unfold / Fold modules", () => {
    it("are F.unfold / F.fold with their arguments, and print as PyTorch's", () => {
      const x = rand([1, 2, 4, 5], 24);
      const u = new nn.Unfold([2, 3], 1, 1, 2);
      expect(vals(u(x))).toEqual(vals(F.unfold(x, [2, 3], 1, 1, 2)));
      const cols = u(x);
      const f = new nn.Fold([4, 5], [2, 3], 1, 1, 2);
      expect(vals(f(cols))).toEqual(vals(F.fold(cols, [4, 5], [2, 3], 1, 1, 2)));
      expect(torch.gradcheck((a) => new nn.Fold({ outputSize: 3, kernelSize: 2 })(a), [leaf([1, 4, 4], 25)])).toBe(true);
      expect(String(new nn.Unfold(3))).toBe("Unfold(kernel_size=3, dilation=1, padding=0, stride=1)");
      expect(String(new nn.Unfold([2, 3], 1, 0, 2))).toBe("Unfold(kernel_size=(2, 3), dilation=1, padding=0, stride=2)");
      expect(String(new nn.Fold([4, 5], 2))).toBe("Fold(output_size=(4, 5), kernel_size=2, dilation=1, padding=0, stride=1)");
    });
  });

  describe("UpsamplingNearest2d / UpsamplingBilinear2d", () => {
    it("nearest repeats pixels; bilinear aligns the corners", () => {
      const x = data(9, 26);
      const near = new nn.UpsamplingNearest2d({ scaleFactor: 2 })(f64(x, [1, 1, 3, 3]));
      expectClose(near, Array.from({ length: 36 }, (_, k) => x[Math.floor(Math.floor(k / 6) / 2) * 3 + Math.floor((k % 6) / 2)]));
      const bil = new nn.UpsamplingBilinear2d([5, 4])(f64(x, [1, 1, 3, 3]));
      const want: number[] = [];
      for (let i = 0; i < 5; i++)
        for (let j = 0; j < 4; j++) {
          const [si, sj] = [(i * 2) / 4, (j * 2) / 3];
          const [i0, j0] = [Math.min(Math.floor(si), 1), Math.min(Math.floor(sj), 1)];
          const [di, dj] = [si - i0, sj - j0];
          const at = (r: number, c: number) => x[r * 3 + c];
          want.push((1 - di) * ((1 - dj) * at(i0, j0) + dj * at(i0, j0 + 1)) + di * ((1 - dj) * at(i0 + 1, j0) + dj * at(i0 + 1, j0 + 1)));
        }
      expectClose(bil, want, 1e-12);
      expect(torch.gradcheck((a) => new nn.UpsamplingBilinear2d({ scaleFactor: 2 })(a), [leaf([1, 1, 2, 3], 27)])).toBe(true);
    });
    it("print and fail as PyTorch's", () => {
      expect(String(new nn.UpsamplingNearest2d({ scaleFactor: 2 }))).toBe("UpsamplingNearest2d(scale_factor=2.0, mode=nearest)");
      expect(String(new nn.UpsamplingNearest2d({ size: [3, 4] }))).toBe("UpsamplingNearest2d(size=(3, 4), mode=nearest)");
      expect(String(new nn.UpsamplingBilinear2d(5))).toBe("UpsamplingBilinear2d(size=5, mode=bilinear)");
      expect(new nn.UpsamplingBilinear2d(5).alignCorners).toBe(true);
      expect(() => new nn.UpsamplingBilinear2d({ scaleFactor: 2 })(rand([1, 2, 3], 1))).toThrow("Got 3D input, but bilinear mode needs 4D input");
      expect(() => new nn.UpsamplingNearest2d(3, 2)(rand([1, 1, 2, 2], 1))).toThrow("only one of size or scale_factor should be defined");
    });
  });

  describe("F.relu_ and F.maxPool2dWithIndices", () => {
    it("relu_ clamps in place and returns its input; refused on a leaf that requires grad", () => {
      const x = f64([-1, 2, -3, 0.5]);
      expect(F.relu_(x)).toBe(x);
      expect(vals(x)).toEqual([0, 2, 0, 0.5]);
      expect(() => F.relu_(f64([1]).requiresGrad_(true))).toThrow("a leaf Variable that requires grad is being used in an in-place operation.");
    });
    it("maxPool2dWithIndices is maxPool2d with returnIndices", () => {
      const x = torch.tensor(data(16, 28)).reshape([1, 1, 4, 4]);
      const [v, i] = F.maxPool2dWithIndices(x, 2);
      const [v2, i2] = F.maxPool2d(x, 2, { returnIndices: true }) as [Tensor, Tensor];
      expect(vals(v)).toEqual(vals(v2));
      expect(vals(i)).toEqual(vals(i2));
      expect(F.maxPool2dWithIndices(x, { kernelSize: 3, stride: 1, returnIndices: false })[1].dtype).toBe("int64");
    });
  });

  describe("Bilinear", () => {
    /** y[n, o] = Σ_ij x1[n, i]·W[o, i, j]·x2[n, j] + b[o]. */
    const bilRef = (x1: number[], x2: number[], w: number[], b: number[] | null, [N, I, J, O]: number[]) => {
      const out: number[] = [];
      for (let n = 0; n < N; n++)
        for (let o = 0; o < O; o++) {
          let s = b ? b[o] : 0;
          for (let i = 0; i < I; i++) for (let j = 0; j < J; j++) s += x1[n * I + i] * w[(o * I + i) * J + j] * x2[n * J + j];
          out.push(s);
        }
      return out;
    };
    const [N, I, J, O] = [4, 3, 2, 5];
    const x1 = data(N * I, 30), x2 = data(N * J, 31), w = data(O * I * J, 32), b = data(O, 33);
    it("F.bilinear matches the sum, with leading dims and without bias", () => {
      expectClose(F.bilinear(f64(x1, [N, I]), f64(x2, [N, J]), f64(w, [O, I, J]), f64(b)), bilRef(x1, x2, w, b, [N, I, J, O]));
      const y = F.bilinear(f64(x1, [2, 2, I]), f64(x2, [2, 2, J]), f64(w, [O, I, J]));
      expect(y.shape).toEqual([2, 2, O]);
      expectClose(y, bilRef(x1, x2, w, null, [N, I, J, O]));
      expect(F.bilinear(f64(x1.slice(0, I)), f64(x2.slice(0, J)), f64(w, [O, I, J])).shape).toEqual([O]);
    });
    it("has gradients for inputs, weight and bias (gradcheck)", () => {
      expect(torch.gradcheck((p, q, ww, bb) => F.bilinear(p, q, ww, bb), [leaf([N, I], 34), leaf([N, J], 35), leaf([O, I, J], 36), leaf([O], 37)])).toBe(true);
    });
    it("the module initialises U(−1/√in1, 1/√in1), weight then bias, from the global generator", () => {
      torch.manualSeed(7);
      const m = new nn.Bilinear(3, 2, 4);
      torch.manualSeed(7);
      const bound = 1 / Math.sqrt(3);
      const wWant = torch.empty([4, 3, 2]).uniform_(-bound, bound);
      const bWant = torch.empty([4]).uniform_(-bound, bound);
      expect(vals(m.weight)).toEqual(vals(wWant));
      expect(vals(m.bias!)).toEqual(vals(bWant));
      expect(vals(m.weight).every((v) => Math.abs(v) <= bound)).toBe(true);
      expect(m(torch.ones([2, 3]), torch.ones([2, 2])).shape).toEqual([2, 4]);
      expect(new nn.Bilinear(3, 2, 4, false).bias).toBeNull();
      expect(Object.keys(m.stateDict())).toEqual(["weight", "bias"]);
      expect(String(m)).toBe("Bilinear(in1_features=3, in2_features=2, out_features=4, bias=True)");
      expect(String(new nn.Bilinear({ in1Features: 2, in2Features: 3, outFeatures: 4, bias: false }))).toBe("Bilinear(in1_features=2, in2_features=3, out_features=4, bias=False)");
    });
    it("PyTorch's errors", () => {
      const W = f64(w, [O, I, J]);
      expect(() => F.bilinear(rand([2, I], 1), rand([2, 3, J], 1), W)).toThrow("bilinear(): input dimensions do not match: got 2 and 3");
      expect(() => F.bilinear(rand([2, I], 1), rand([3, J], 1), W)).toThrow("bilinear(): input batch dimensions do not match at dim 0: got 2 and 3");
      expect(() => F.bilinear(rand([2, 2], 1), rand([2, J], 1), W)).toThrow("bilinear(): input1 size does not match weight size: got 2 but expected 3");
      expect(() => F.bilinear(rand([2, I], 1), rand([2, 3], 1), W)).toThrow("bilinear(): input2 size does not match weight size: got 3 but expected 2");
      expect(() => F.bilinear(rand([2, I], 1), rand([2, J], 1), W, rand([4], 1))).toThrow("bilinear(): bias size does not match weight size: got 4 but expected 5");
    });
  });
});
