// torchvision.utils.make_grid and the transforms of transforms_color.ts / transforms_random.ts /
// transforms_crops.ts / transforms_affine.ts. Expected values are worked out from the definitions
// (layouts, grayscale weights 0.2989/0.587/0.114, 1 - x, hand-derived crops and rotations) or are
// identities between ops; seeded randomness is checked by replaying torch's generator by hand
// (torch.rand / torch.randperm / torch.empty(1).uniform_ in torchvision's order).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Image } from "../lib/vision/image.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const T = torch.vision.transforms;
const close = (a: number[], b: number[], tol = 1e-6) => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol));
};

describe.each(backends())("vision extras [%s]", (name) => {
  useBackend(name);

  describe("utils.makeGrid", () => {
    it("lays images out in rows of nrow with padding of padValue", () => {
      const a = torch.arange(30).float().reshape([5, 1, 2, 3]);
      const g = torch.vision.utils.makeGrid(a, { nrow: 2, padding: 1, padValue: 0.5 });
      // 5 images, 2 per row -> 3 rows; height 3 * (2 + 1) + 1, width 2 * (3 + 1) + 1; 1 channel -> 3.
      expect(g.shape).toEqual([3, 10, 9]);
      for (let k = 0; k < 5; k++) {
        const y = Math.floor(k / 2) * 3 + 1;
        const x = (k % 2) * 4 + 1;
        for (let c = 0; c < 3; c++) expect(g.index(c).narrow(0, y, 2).narrow(1, x, 3).tolist()).toEqual(a.index(k, 0).tolist());
      }
      // the sixth cell and the borders are padding
      expect(vals(g.index(0).narrow(0, 7, 2).narrow(1, 5, 3))).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
      expect(vals(g.index(1).select(0, 0)).every((v) => v === 0.5)).toBe(true);
      expect(vals(g.index(2).select(1, 4)).every((v) => v === 0.5)).toBe(true);
      // defaults: nrow 8, padding 2; a single image is returned without padding
      expect(torch.vision.utils.makeGrid(torch.zeros([3, 3, 4, 4])).shape).toEqual([3, 8, 20]);
      expect(torch.vision.utils.makeGrid(torch.ones([1, 2, 3, 4])).shape).toEqual([2, 3, 4]);
      expect(torch.vision.utils.makeGrid(torch.ones([2, 3])).shape).toEqual([3, 2, 3]);
      expect(torch.vision.utils.makeGrid([torch.ones([3, 2, 2]), torch.ones([3, 2, 2])], 1, 0).shape).toEqual([3, 4, 2]);
    });

    it("normalizes by the range, the tensor's min/max or each image's", () => {
      const a = torch.arange(12).float().reshape([2, 1, 2, 3]);
      const all = torch.vision.utils.makeGrid(a, { padding: 0, normalize: true });
      close(vals(all.index(0)), Array.from({ length: 12 }, (_, i) => [0, 1, 2, 6, 7, 8, 3, 4, 5, 9, 10, 11][i] / 11), 1e-7);
      const each = torch.vision.utils.makeGrid(a, { padding: 0, normalize: true, scaleEach: true });
      close(vals(each.index(0)), [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5].map((v) => v / 5), 1e-7);
      const ranged = torch.vision.utils.makeGrid(a, { padding: 0, normalize: true, valueRange: [2, 6] });
      close(vals(ranged.index(0)), [0, 1, 2, 6, 7, 8, 3, 4, 5, 9, 10, 11].map((v) => (Math.min(Math.max(v, 2), 6) - 2) / 4), 1e-7);
      expect(vals(a)).toEqual(Array.from({ length: 12 }, (_, i) => i)); // input untouched
      expect(() => torch.vision.utils.makeGrid(a, { normalize: true, valueRange: 3 as any })).toThrow(/value_range has to be a tuple/);
      expect(() => torch.vision.utils.makeGrid([a, 3 as any])).toThrow(/tensor or list of tensors expected, got a list containing/);
      expect(() => torch.vision.utils.makeGrid(3 as any)).toThrow(/tensor or list of tensors expected/);
      expect(() => torch.vision.utils.makeGrid(torch.zeros([0, 3, 2, 2]))).toThrow(/float division by zero/);
      expect(torch.vision.utils.makeGrid(torch.zeros([2, 3, 0, 4])).shape).toEqual([3, 4, 14]);
    });
  });
  describe("colour transforms", () => {
    it("ConvertImageDtype rescales as torchvision (255 <-> 1.0, integer factors, unsafe casts refused)", () => {
      const u = torch.tensor([0, 3, 128, 255], { dtype: "uint8" });
      expect(vals(new T.ConvertImageDtype("float32").forward(u))).toEqual([0, 3, 128, 255].map((v) => Math.fround(v / 255)));
      expect(new T.ConvertImageDtype("float32").forward(u).dtype).toBe("float32");
      // float -> int: x * (255 + 1 - 1e-3), truncated
      expect(vals(T.convertImageDtype(torch.tensor([0, 0.5, 1, 0.999]), "uint8"))).toEqual([0, 127, 255, 255]);
      // uint8 -> int32: * 2^31 / 2^8; int16 -> uint8: floor(x / 128)
      expect(vals(T.convertImageDtype(u, "int32"))).toEqual([0, 3, 128, 255].map((v) => v * 8388608));
      expect(vals(T.convertImageDtype(torch.tensor([300, 32767, -5], { dtype: "int16" }), "uint8"))).toEqual([2, 255, 256 + Math.floor(-5 / 128)]);
      const f = torch.tensor([0.25]);
      expect(T.convertImageDtype(f, "float32")).toBe(f);
      expect(T.convertImageDtype(f, "float64").dtype).toBe("float64");
      expect(() => T.convertImageDtype(f, "int64")).toThrow(/The cast from torch.float32 to torch.int64 cannot be performed safely./);
      expect(() => T.convertImageDtype(f.double(), "int64")).toThrow(/cannot be performed safely/);
    });

    it("Grayscale weighs R, G, B by 0.2989, 0.587, 0.114 (PIL's integer luma on Images)", () => {
      const x = torch.rand([2, 3, 2, 2]);
      const g = new T.Grayscale().forward(x);
      expect(g.shape).toEqual([2, 1, 2, 2]);
      const [r, gg, b] = [0, 1, 2].map((c) => vals(x.select(1, c)));
      close(vals(g), r.map((v, i) => 0.2989 * v + 0.587 * gg[i] + 0.114 * b[i]), 1e-6);
      const g3 = new T.Grayscale(3).forward(x);
      expect(g3.shape).toEqual([2, 3, 2, 2]);
      expect(vals(g3.select(1, 2))).toEqual(vals(g));
      // uint8: computed in float and truncated
      const u = torch.tensor([[[200]], [[100]], [[50]]], { dtype: "uint8" });
      expect(vals(new T.Grayscale().forward(u))).toEqual([Math.trunc(Math.fround(Math.fround(Math.fround(0.2989 * 200) + Math.fround(0.587 * 100)) + Math.fround(0.114 * 50)))]);
      const one = torch.rand([1, 3, 3]);
      expect(vals(new T.Grayscale().forward(one))).toEqual(vals(one));
      expect(() => new T.Grayscale().forward(torch.rand([2, 3, 3]))).toThrow(/Input image tensor permitted channel values are \[1, 3\], but found 2/);
      expect(() => new T.Grayscale().forward(torch.rand([3, 3]))).toThrow(/Input image tensor should have at least 3 dimensions, but found 2/);
      expect(() => new T.Grayscale(2).forward(torch.rand([3, 3, 3]))).toThrow(/num_output_channels should be either 1 or 3/);
      const img: Image = { width: 3, height: 1, channels: 3, data: new Uint8Array([255, 0, 0, 0, 255, 0, 0, 0, 255]) };
      const luma = (r: number, g: number, b: number) => (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
      const gi = new T.Grayscale().forward(img);
      expect(gi.channels).toBe(1);
      expect(Array.from(gi.data)).toEqual([luma(255, 0, 0), luma(0, 255, 0), luma(0, 0, 255)]);
      expect(Array.from(new T.Grayscale(3).forward(img).data)).toEqual([76, 76, 76, 150, 150, 150, 29, 29, 29]);
    });

    it("RandomGrayscale draws one torch.rand(1) per call and keeps the channel count", () => {
      const x = torch.rand([3, 2, 2]);
      torch.manualSeed(7);
      const draws = Array.from({ length: 8 }, () => torch.rand([1]).item());
      torch.manualSeed(7);
      const t = new T.RandomGrayscale(0.5);
      const gray = new T.Grayscale(3).forward(x);
      for (const d of draws) expect(vals(t.forward(x))).toEqual(vals(d < 0.5 ? gray : x));
      expect(() => new T.RandomGrayscale(2)).toThrow(/probability/);
    });

    it("ColorJitter's adjustments follow their definitions", () => {
      const x = torch.rand([3, 4, 4]);
      close(vals(T.adjustBrightness(x, 1.5)), vals(x).map((v) => Math.min(1, v * 1.5)));
      const gray = vals(new T.Grayscale().forward(x));
      const mean = gray.reduce((a, b) => a + b, 0) / gray.length;
      close(vals(T.adjustContrast(x, 0.3)), vals(x).map((v) => Math.min(1, Math.max(0, 0.3 * v + 0.7 * mean))), 1e-6);
      close(vals(T.adjustSaturation(x, 0)), [...gray, ...gray, ...gray], 1e-6);
      close(vals(T.adjustHue(x, 0)), vals(x), 1e-6);
      // pure red shifted by 1/3 turn is green, by 1/2 is cyan
      const red = torch.tensor([[[1]], [[0]], [[0]]]);
      close(vals(T.adjustHue(red, 1 / 3)), [0, 1, 0], 1e-6);
      close(vals(T.adjustHue(red, 0.5)), [0, 1, 1], 1e-6);
      expect(vals(T.adjustHue(torch.tensor([[[255]], [[0]], [[0]]], { dtype: "uint8" }), -1 / 3))).toEqual([0, 0, 255]);
      expect(() => T.adjustHue(x, 0.6)).toThrow(/hue_factor \(0.6\) is not in \[-0.5, 0.5\]./);
      expect(() => T.adjustBrightness(x, -1)).toThrow(/brightness_factor \(-1\) is not non-negative./);
    });

    it("ColorJitter draws randperm(4) then each factor, and applies them in that order", () => {
      const x = torch.rand([2, 3, 3, 3]);
      torch.manualSeed(11);
      const order = torch.randperm(4).tolist() as number[];
      const u = (lo: number, hi: number) => torch.empty([1]).uniform_(lo, hi).item();
      const f = [u(0.5, 1.5), u(0.8, 1.2), u(0, 2), u(-0.1, 0.1)];
      let want = x;
      for (const i of order) want = [T.adjustBrightness, T.adjustContrast, T.adjustSaturation, T.adjustHue][i](want, f[i]);
      torch.manualSeed(11);
      const got = new T.ColorJitter({ brightness: 0.5, contrast: 0.2, saturation: [0, 2], hue: 0.1 }).forward(x);
      expect(vals(got)).toEqual(vals(want));
      const cj = new T.ColorJitter(0.5, 0, [1, 1]);
      expect([cj.brightness, cj.contrast, cj.saturation, cj.hue]).toEqual([[0.5, 1.5], null, null, null]);
      expect(new T.ColorJitter(2).brightness).toEqual([0, 3]);
      expect(() => new T.ColorJitter(-1)).toThrow(/If brightness is a single number, it must be non negative./);
      expect(() => new T.ColorJitter(0, 0, 0, [-1, 0])).toThrow(/hue values should be between \(-0.5, 0.5\)/);
      expect(() => new T.ColorJitter([1, 2, 3])).toThrow(/brightness should be a single number or a list\/tuple with length 2./);
    });

    it("ColorJitter on an Image follows Pillow's blend and 8-bit HSV arithmetic", () => {
      const img: Image = { width: 2, height: 1, channels: 3, data: new Uint8Array([255, 0, 0, 10, 100, 200]) };
      // brightness: blend with black in float32, truncated and clipped
      torch.manualSeed(12);
      torch.randperm(4);
      const f = torch.empty([1]).uniform_(0.5, 1.5).item();
      torch.manualSeed(12);
      const b = new T.ColorJitter(0.5).forward(img);
      expect(Array.from(b.data)).toEqual(Array.from(img.data).map((v) => Math.min(255, Math.trunc(Math.fround(Math.fround(f) * v)))));
      // hue: red has H = 0; +1/3 turn adds uint8(85) -> sector 2 with f = 0: pure green
      const red: Image = { width: 1, height: 1, channels: 3, data: new Uint8Array([255, 0, 0]) };
      torch.manualSeed(0);
      const jitter = new T.ColorJitter(0, 0, 0, [1 / 3, 1 / 3]);
      expect(Array.from(jitter.forward(red).data)).toEqual([0, 255, 0]);
      // saturation 0 gives the luma in every channel; contrast 0 the rounded mean luma
      const luma = (r: number, g: number, bb: number) => (r * 19595 + g * 38470 + bb * 7471 + 0x8000) >> 16;
      const [l0, l1] = [luma(255, 0, 0), luma(10, 100, 200)];
      expect(Array.from(new T.ColorJitter(0, 0, [0, 0]).forward(img).data)).toEqual([l0, l0, l0, l1, l1, l1]);
      const m = Math.trunc((l0 + l1) / 2 + 0.5);
      expect(Array.from(new T.ColorJitter(0, [0, 0]).forward(img).data)).toEqual(new Array(6).fill(m));
    });

    it("RandomInvert maps x to 1 - x (255 - x for integers and Images)", () => {
      const x = torch.rand([3, 2, 2]);
      close(vals(new T.RandomInvert(1).forward(x)), vals(x).map((v) => 1 - v), 1e-7);
      expect(vals(new T.RandomInvert(0).forward(x))).toEqual(vals(x));
      expect(vals(T.invert(torch.tensor([[[0, 7, 255]]], { dtype: "uint8" })))).toEqual([255, 248, 0]);
      const img: Image = { width: 2, height: 1, channels: 1, data: new Uint8Array([10, 250]) };
      expect(Array.from(new T.RandomInvert(1).forward(img).data)).toEqual([245, 5]);
    });

    it("GaussianBlur is the separable normalised Gaussian with reflect padding, sigma from uniform_", () => {
      const x = torch.rand([2, 5, 6], { dtype: "float64" });
      const [kx, ky, s] = [3, 5, 0.8];
      const k1 = (n: number) => {
        const w = Array.from({ length: n }, (_, i) => Math.exp(-0.5 * ((i - (n - 1) / 2) / s) ** 2));
        const t = w.reduce((a, b) => a + b, 0);
        return w.map((v) => v / t);
      };
      const [wx, wy] = [k1(kx), k1(ky)];
      const refl = (i: number, n: number) => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
      const xs = x.tolist() as number[][][];
      const want: number[] = [];
      for (let c = 0; c < 2; c++) for (let i = 0; i < 5; i++) for (let j = 0; j < 6; j++) {
        let acc = 0;
        for (let a = 0; a < ky; a++) for (let b = 0; b < kx; b++) acc += wy[a] * wx[b] * xs[c][refl(i + a - 2, 5)][refl(j + b - 1, 6)];
        want.push(acc);
      }
      close(vals(T.gaussianBlur(x, [kx, ky], [s, s])), want, 1e-6);
      torch.manualSeed(3);
      const sigma = torch.empty([1]).uniform_(0.1, 2).item();
      torch.manualSeed(3);
      const t = new T.GaussianBlur([3, 5]);
      expect(vals(t.forward(x))).toEqual(vals(T.gaussianBlur(x, [3, 5], [sigma, sigma])));
      const u = torch.full([1, 4, 4], 77, { dtype: "uint8" });
      expect(vals(new T.GaussianBlur(3, 1).forward(u))).toEqual(new Array(16).fill(77));
      expect(() => new T.GaussianBlur(4)).toThrow(/Kernel size value should be an odd and positive number./);
      expect(() => new T.GaussianBlur(3, [2, 1])).toThrow(/sigma values should be positive and of the form \(min, max\)./);
      expect(() => new T.GaussianBlur(3, -1)).toThrow(/If sigma is a single number, it must be positive./);
      const img: Image = { width: 4, height: 3, channels: 1, data: new Uint8Array(12).fill(9) };
      expect(Array.from(new T.GaussianBlur(3).forward(img).data)).toEqual(new Array(12).fill(9));
    });
  });
  describe("random containers", () => {
    it("RandomApply applies all its transforms when torch.rand(1) <= p", () => {
      torch.manualSeed(5);
      const draws = Array.from({ length: 6 }, () => torch.rand([1]).item());
      torch.manualSeed(5);
      const t = new T.RandomApply([(v: number) => v + 1, (v: number) => v * 10], 0.4);
      expect(draws.map(() => t.forward(1))).toEqual(draws.map((d) => (0.4 < d ? 1 : 20)));
      expect(() => new T.RandomApply(3 as any)).toThrow(/Argument transforms should be a sequence/);
    });

    it("RandomOrder applies every transform once in torch.randperm order; RandomChoice picks by weight", () => {
      torch.manualSeed(6);
      const perm = torch.randperm(3).tolist() as number[];
      torch.manualSeed(6);
      const fs = [(s: string) => s + "a", (s: string) => s + "b", (s: string) => s + "c"];
      expect(new T.RandomOrder(fs).forward("")).toBe(perm.map((i) => "abc"[i]).join(""));
      const picks = new Set(Array.from({ length: 40 }, () => new T.RandomChoice(fs).forward("")));
      expect([...picks].sort()).toEqual(["a", "b", "c"]);
      expect(new Set(Array.from({ length: 20 }, () => new T.RandomChoice(fs, [0, 1, 0]).forward("")))).toEqual(new Set(["b"]));
      torch.manualSeed(8);
      const u = torch.rand([1], { dtype: "float64" }).item();
      torch.manualSeed(8);
      expect(new T.RandomChoice(fs, [1, 2, 1]).forward("")).toBe(u * 4 < 1 ? "a" : u * 4 < 3 ? "b" : "c");
      expect(() => new T.RandomChoice(fs, 0.5 as any)).toThrow(/Argument p should be a sequence/);
      expect(() => new T.RandomChoice(fs, [1, 2]).forward("")).toThrow(/The number of weights does not match the population/);
    });
  });

  describe("crops and erasing", () => {
    /** torchvision's get_params replayed: [eraseArea or targetArea, aspect] per attempt. */
    const attempt = (area: number, scale: number[], ratio: number[]) => {
      const lr = torch.tensor(ratio).log().tolist() as number[];
      const a = area * torch.empty([1]).uniform_(scale[0], scale[1]).item();
      const r = torch.tensor([torch.empty([1]).uniform_(lr[0], lr[1]).item()]).exp().item();
      return [a, r];
    };
    const pyRound = (x: number) => (Math.abs(x - Math.floor(x) - 0.5) < 1e-12 ? 2 * Math.round(x / 2) : Math.round(x));

    it("RandomErasing erases a box of the drawn size at the drawn place", () => {
      const x = torch.rand([3, 10, 12]);
      for (const seed of [1, 2, 3, 4]) {
        torch.manualSeed(seed);
        expect(torch.rand([1]).item() < 1).toBe(true);
        let box: number[] | null = null;
        for (let k = 0; k < 10 && box === null; k++) {
          const [a, r] = attempt(120, [0.02, 0.33], [0.3, 3.3]);
          const h = pyRound(Math.sqrt(a * r));
          const w = pyRound(Math.sqrt(a / r));
          if (h < 10 && w < 12) box = [torch.randint(0, 10 - h + 1, [1]).item(), torch.randint(0, 12 - w + 1, [1]).item(), h, w];
        }
        torch.manualSeed(seed);
        const y = new T.RandomErasing({ p: 1, value: [7, 8, 9] }).forward(x);
        const [i, j, h, w] = box!;
        const xs = x.tolist() as number[][][];
        const ys = y.tolist() as number[][][];
        for (let c = 0; c < 3; c++) for (let r = 0; r < 10; r++) for (let q = 0; q < 12; q++) {
          const inside = r >= i && r < i + h && q >= j && q < j + w;
          expect(ys[c][r][q]).toBe(inside ? 7 + c : xs[c][r][q]);
        }
      }
      expect(new T.RandomErasing({ p: 0 }).forward(x)).toBe(x);
      const z = torch.zeros([1, 6, 6]);
      torch.manualSeed(2);
      const inplace = new T.RandomErasing({ p: 1, value: 5, inplace: true, scale: [0.2, 0.3] }).forward(z);
      expect(inplace).toBe(z);
      expect(vals(z).filter((v) => v === 5).length).toBeGreaterThan(0);
      expect(() => new T.RandomErasing({ value: "x" as any })).toThrow(/If value is str, it should be 'random'/);
      expect(() => new T.RandomErasing({ scale: [0, 2] })).toThrow(/Scale should be between 0 and 1/);
      expect(() => new T.RandomErasing({ p: 2 })).toThrow(/Random erasing probability should be between 0 and 1/);
      expect(() => new T.RandomErasing({ p: 1, value: [1, 2] }).forward(x)).toThrow(/If value is a sequence, it should have either a single value or 3 \(number of input channels\)/);
    });

    it("RandomResizedCrop.getParams draws as torchvision and falls back to a ratio-clamped centre crop", () => {
      const x = torch.zeros([1, 20, 24]);
      torch.manualSeed(9);
      const want: number[][] = [];
      for (let n = 0; n < 5; n++) {
        for (let k = 0; k < 10; k++) {
          const [a, r] = attempt(480, [0.08, 1], [3 / 4, 4 / 3]);
          const w = pyRound(Math.sqrt(a * r));
          const h = pyRound(Math.sqrt(a / r));
          if (w > 0 && w <= 24 && h > 0 && h <= 20) {
            want.push([torch.randint(0, 20 - h + 1, [1]).item(), torch.randint(0, 24 - w + 1, [1]).item(), h, w]);
            break;
          }
        }
      }
      torch.manualSeed(9);
      expect(Array.from({ length: 5 }, () => T.RandomResizedCrop.getParams(x, [0.08, 1], [3 / 4, 4 / 3]))).toEqual(want);
      // ratio 5..6 can never fit inside 20x24 with area >= 0.9: width 24, height round(24 / 5) = 5, centred
      expect(T.RandomResizedCrop.getParams(x, [0.9, 1], [5, 6])).toEqual([7, 0, 5, 24]);
      expect(T.RandomResizedCrop.getParams(x, [0.9, 1], [0.1, 0.2])).toEqual([0, 10, 20, 4]);
      const y = new T.RandomResizedCrop([7, 9]).forward(torch.rand([2, 3, 20, 24]));
      expect(y.shape).toEqual([2, 3, 7, 9]);
      expect(new T.RandomResizedCrop(5).size).toEqual([5, 5]);
      expect(() => new T.RandomResizedCrop([1, 2, 3])).toThrow(/Please provide only two dimensions \(h, w\) for size./);
    });

    it("FiveCrop / TenCrop cut the corners and the centre (of the flipped image too)", () => {
      const x = torch.arange(20).reshape([1, 4, 5]);
      const five = new T.FiveCrop([2, 3]).forward(x).map((t) => t.index(0).tolist());
      expect(five).toEqual([
        [[0, 1, 2], [5, 6, 7]], [[2, 3, 4], [7, 8, 9]], [[10, 11, 12], [15, 16, 17]], [[12, 13, 14], [17, 18, 19]], [[6, 7, 8], [11, 12, 13]],
      ]);
      const ten = new T.TenCrop([2, 3]).forward(x).map((t) => t.index(0).tolist());
      expect(ten.slice(0, 5)).toEqual(five);
      expect(ten[5]).toEqual([[4, 3, 2], [9, 8, 7]]);
      expect(new T.TenCrop([2, 3], true).forward(x)[5].index(0).tolist()).toEqual([[15, 16, 17], [10, 11, 12]]);
      const img: Image = { width: 5, height: 4, channels: 1, data: new Uint8Array(20).map((_, i) => i) };
      expect(Array.from(new T.FiveCrop([2, 3]).forward(img)[3].data)).toEqual([12, 13, 14, 17, 18, 19]);
      expect(() => new T.FiveCrop(6).forward(x)).toThrow(/Requested crop size \(6, 6\) is bigger than input size \(4, 5\)/);
    });
  });
  describe("rotation and affine", () => {
    const x = torch.arange(12).float().reshape([1, 3, 4]);
    const sq = torch.arange(16).float().reshape([1, 4, 4]);

    it("rotating by 90 degrees counter-clockwise equals a transpose then an up-down flip", () => {
      expect(T.rotate(sq, 90).tolist()).toEqual(sq.transpose(-2, -1).flip([-2]).tolist());
      expect(T.rotate(sq, -90).tolist()).toEqual(sq.transpose(-2, -1).flip([-1]).tolist());
      expect(T.rotate(sq, 180).tolist()).toEqual(sq.flip([-2, -1]).tolist());
      // expand: the rotated corners of a 3x4 image at 45 degrees span x in 2 +- 7 / (2 sqrt 2), y in 1.5 +- 7 / (2 sqrt 2)
      // -> floor / ceil give widths ceil(4.47) - floor(-0.47) = 6 and ceil(3.97) - floor(-0.97) = 5
      expect(T.rotate(x, 45, { expand: true }).shape).toEqual([1, 5, 6]);
      expect(T.rotate(sq, 90, { expand: true }).tolist()).toEqual(T.rotate(sq, 90).tolist());
      // bilinear at 90 degrees samples pixel centres exactly
      close(vals(T.rotate(sq, 90, { interpolation: "bilinear" })), vals(sq.transpose(-2, -1).flip([-2])), 1e-5);
      const u = sq.type("uint8");
      expect(T.rotate(u, 90).dtype).toBe("uint8");
      expect(vals(T.rotate(u, 90))).toEqual(vals(sq.transpose(-2, -1).flip([-2])));
    });

    it("fills what comes from outside the image, per channel", () => {
      const img = torch.ones([2, 4, 4]);
      // 45 degrees about the centre: the corners come from outside
      const r = T.rotate(img, 45, { fill: [5, 7] });
      expect(vals(r.index(0, 0, 0))).toEqual([5]);
      expect(vals(r.index(1, 0, 0))).toEqual([7]);
      expect(vals(r.index(0, 1, 1))).toEqual([1]);
      // without fill: zeros
      expect(vals(T.rotate(img, 45).index(0, 0, 0))).toEqual([0]);
      expect(() => T.rotate(img, 45, { fill: [1, 2, 3] })).toThrow(/The number of elements in 'fill' cannot broadcast to match the number of channels of the image \(3 != 2\)/);
    });

    it("getInverseAffineMatrix inverts the forward matrix", () => {
      const c = [1.5, -2];
      const inv = T.getInverseAffineMatrix(c, 30, [3, 1], 1.3, [10, -5]);
      const fwd = T.getInverseAffineMatrix(c, 30, [3, 1], 1.3, [10, -5], false);
      const apply = (m: number[], p: number[]) => [m[0] * p[0] + m[1] * p[1] + m[2], m[3] * p[0] + m[4] * p[1] + m[5]];
      for (const p of [[0, 0], [2, 5], [-3, 1]]) close(apply(inv, apply(fwd, p)), p, 1e-12);
      // a pure translation's inverse shifts back
      close(T.getInverseAffineMatrix([0, 0], 0, [2, 3], 1, [0, 0]), [1, 0, -2, 0, 1, -3], 1e-15);
    });

    it("affine translates by whole pixels and RandomRotation/RandomAffine draw as torchvision", () => {
      const t = T.affine(sq, 0, [1, 0], 1, 0);
      expect(t.index(0).tolist()).toEqual([[0, 0, 1, 2], [0, 4, 5, 6], [0, 8, 9, 10], [0, 12, 13, 14]]);
      const down = T.affine(sq, 0, [0, -1], 1, [0, 0], { fill: 9 });
      expect(down.index(0).tolist()).toEqual([[4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15], [9, 9, 9, 9]]);
      const img = torch.rand([3, 6, 7]);
      torch.manualSeed(4);
      const angle = torch.empty([1]).uniform_(-30, 30).item();
      torch.manualSeed(4);
      expect(vals(new T.RandomRotation(30).forward(img))).toEqual(vals(T.rotate(img, angle, { fill: [0, 0, 0] })));
      torch.manualSeed(5);
      const u = (lo: number, hi: number) => torch.empty([1]).uniform_(lo, hi).item();
      const a = u(-10, 10);
      const tx = u(-0.2 * 7, 0.2 * 7);
      const ty = u(-0.1 * 6, 0.1 * 6);
      const sc = u(0.9, 1.1);
      const shx = u(-5, 5);
      const shy = u(1, 2);
      torch.manualSeed(5);
      const p = T.RandomAffine.getParams([-10, 10], [0.2, 0.1], [0.9, 1.1], [-5, 5, 1, 2], [7, 6]);
      const r = (v: number) => (Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));
      expect(p).toEqual([a, [r(tx), r(ty)], sc, [shx, shy]]);
      torch.manualSeed(5);
      const got = new T.RandomAffine(10, { translate: [0.2, 0.1], scale: [0.9, 1.1], shear: [-5, 5, 1, 2], fill: 1 }).forward(img);
      expect(vals(got)).toEqual(vals(T.affine(img, p[0], p[1], p[2], p[3], { fill: [1, 1, 1] })));
      expect(() => new T.RandomRotation(-1)).toThrow(/If degrees is a single number, it must be positive./);
      expect(() => new T.RandomRotation([1, 2, 3])).toThrow(/degrees should be a sequence of length 2./);
      expect(() => new T.RandomAffine(0, { translate: [0, 2] })).toThrow(/translation values should be between 0 and 1/);
      expect(() => new T.RandomAffine(0, { scale: [0, 1] })).toThrow(/scale values should be positive/);
      expect(() => new T.RandomAffine(0, { shear: [1, 2, 3] })).toThrow(/shear should be a sequence of length 2 or 4./);
      expect(() => T.affine(sq, 0, [0, 0], 0, 0)).toThrow(/Argument scale should be positive/);
    });
      it("on Images: Pillow's exact quarter turns and nearest affine sampling with the fill colour", () => {
      const img: Image = { width: 3, height: 2, channels: 1, data: new Uint8Array([1, 2, 3, 4, 5, 6]) };
      // 90 degrees counter-clockwise with expand: the right column becomes the top row
      const q = T.rotate(img, 90, { expand: true });
      expect([q.width, q.height, ...Array.from(q.data)]).toEqual([2, 3, 3, 6, 2, 5, 1, 4]);
      const h = T.rotate(img, 180);
      expect(Array.from(h.data)).toEqual([6, 5, 4, 3, 2, 1]);
      // a whole-pixel translation by the nearest sampler, the uncovered column takes the fill
      const sq: Image = { width: 4, height: 4, channels: 1, data: new Uint8Array(16).map((_, i) => i + 1) };
      const t = T.affine(sq, 0, [1, 0], 1, 0, { fill: 99 });
      expect(Array.from(t.data)).toEqual([99, 1, 2, 3, 99, 5, 6, 7, 99, 9, 10, 11, 99, 13, 14, 15]);
      // 90 degrees about the centre of a square image by the sampler equals the exact turn
      expect(Array.from(T.rotate(sq, 90, { center: [2, 2] }).data)).toEqual(Array.from(T.rotate(sq, 90).data));
      // seeded: RandomRotation draws one uniform_ and rotates by it
      torch.manualSeed(21);
      const angle = torch.empty([1]).uniform_(-40, 40).item();
      torch.manualSeed(21);
      expect(Array.from(new T.RandomRotation(40).forward(sq).data)).toEqual(Array.from(T.rotate(sq, angle, { fill: 0 }).data));
      expect(() => T.rotate(sq, 10, { interpolation: "bilinear" })).toThrow(/bilinear interpolation on an Image/);
      expect(() => T.rotate(sq, 10, { fill: [1, 2] })).toThrow(/The number of elements in 'fill' does not match the number of channels of the image \(2 != 1\)/);
    });
  });
});
