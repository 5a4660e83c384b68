// transforms.Resize on Tensor images, as torchvision 0.14: the output size rule (smaller edge,
// maxSize cap, Python's int() truncation), bilinear with align_corners=False (hand-computed), uint8
// interpolated in float32 then rounded, nearest, 3-D in / 3-D out, the same tensor back when nothing
// changes, and torchvision's refusals. Expected values were checked against torchvision 0.14.1.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { resizedOutputSize } from "../lib/vision/transforms_resize.js";
import { backends, useBackend } from "./helpers/backends.js";

const { Resize } = torch.vision.transforms;

describe("Resize output size", () => {
  it("an int sizes the smaller edge, keeps the aspect ratio (truncating) and obeys maxSize", () => {
    expect(resizedOutputSize(28, 28, [14], null)).toEqual([14, 14]);
    expect(resizedOutputSize(30, 20, [10], null)).toEqual([15, 10]); // w <= h: w is the short edge
    expect(resizedOutputSize(20, 30, [10], null)).toEqual([10, 15]);
    expect(resizedOutputSize(7, 10, [5], null)).toEqual([5, 7]); // int(5 * 10 / 7) = int(7.14)
    expect(resizedOutputSize(100, 20, [10], 30)).toEqual([30, 6]); // long 50 > 30: short int(30 * 10 / 50)
    expect(resizedOutputSize(100, 20, [5, 9], null)).toEqual([5, 9]);
    expect(() => resizedOutputSize(100, 20, [10], 10)).toThrow("max_size = 10 must be strictly greater than the requested size for the smaller edge size = [10]");
  });
});

describe.each(backends())("Resize on %s", (name) => {
  useBackend(name);
  it("bilinear 2x downscale averages each 2x2 block (align_corners=False)", () => {
    const x = torch.arange(16).float().reshape(1, 4, 4);
    const y = new Resize(2).forward(x);
    expect(y.shape).toEqual([1, 2, 2]);
    expect(y.tolist()).toEqual([[[2.5, 4.5], [10.5, 12.5]]]);
  });

  it("an integer image (int64: torchlet has no uint8) is interpolated in float32, rounded and cast back", () => {
    const x = torch.tensor([[[0, 255], [0, 255]]], { dtype: torch.int64 });
    const y = new Resize(4).forward(x);
    expect(y.dtype).toBe(torch.int64);
    // source columns -0.25 (clamped), 0.25, 0.75, 1.25 (clamped): 0, 63.75, 191.25, 255
    expect(y.tolist()).toEqual(Array.from({ length: 1 }, () => Array.from({ length: 4 }, () => [0, 64, 191, 255])));
  });

  it("nearest picks floor(i * in / out); a batch [N, C, H, W] stays 4-D", () => {
    const x = torch.arange(16).float().reshape(1, 1, 4, 4);
    const y = new Resize([2, 3], { interpolation: "nearest" }).forward(x);
    expect(y.tolist()).toEqual([[[[0, 1, 2], [8, 9, 10]]]]);
  });

  it("returns the input itself when the size does not change", () => {
    const x = torch.rand(3, 8, 6);
    expect(new Resize([8, 6]).forward(x)).toBe(x);
    expect(new Resize(6).forward(x)).toBe(x);
  });
});

describe("Resize refusals", () => {
  it("refuses what torchvision refuses, and what torchlet does not build", () => {
    expect(() => new Resize([1, 2, 3])).toThrow("If size is a sequence, it should have 1 or 2 values");
    expect(() => new Resize([4, 4], { maxSize: 10 })).toThrow("max_size should only be passed if size specifies the length of the smaller edge");
    expect(() => new Resize(4, { antialias: true })).toThrow(/antialias=true is not built/);
    expect(() => new Resize(4, { interpolation: "bicubic" as never })).toThrow(/bicubic is not built/);
    const image = { width: 2, height: 2, channels: 1, data: new Uint8Array(4) };
    expect(() => new Resize(4).forward(image as never)).toThrow(/apply ToTensor first/);
  });

  it("prints as torchvision's repr", () => {
    expect(new Resize(4).toString()).toBe("Resize(size=4, interpolation=bilinear, max_size=None, antialias=None)");
  });
});
