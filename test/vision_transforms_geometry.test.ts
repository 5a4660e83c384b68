// Pad, CenterCrop, RandomCrop, RandomHorizontalFlip, RandomVerticalFlip: on Images (torchvision's
// PIL path) and Tensors, with torchvision 0.14's random draws. The literal expectations were
// generated with Debian's torchvision 0.14 / PyTorch 1.13 (torch.manual_seed(5), a 6x5 'L' image of
// 7 * (0..29)); everything else checks properties that hold for any seed.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Image } from "../lib/vision/image.js";

const T = torch.vision.transforms;
const image: Image = { width: 5, height: 6, channels: 1, data: new Uint8Array(30).map((_, i) => i * 7) };
const asTensor = (img: Image) => torch.tensor(Array.from(img.data)).float().reshape([1, img.height, img.width]);

function rows(img: Image): number[][] {
  return Array.from({ length: img.height }, (_, y) => Array.from(img.data.subarray(y * img.width, (y + 1) * img.width)));
}

/** The four outputs of a transform after torch.manualSeed(5), on the Image and on the Tensor. */
function fourCalls(make: () => { forward(x: any): any }): { image: number[][][]; tensor: number[][][] } {
  const run = (input: Image | torch.Tensor, read: (r: any) => number[][]) => {
    torch.manualSeed(5);
    const tr = make();
    return Array.from({ length: 4 }, () => read(tr.forward(input)));
  };
  return { image: run(image, rows), tensor: run(asTensor(image), (r: torch.Tensor) => r.index(0).tolist() as number[][]) };
}

describe("vision.transforms geometry", () => {
  it("RandomCrop with padding crops where torchvision does, on Images and Tensors alike", () => {
    const { image: im, tensor } = fourCalls(() => new T.RandomCrop(5, { padding: 2 }));
    expect(im[0]).toEqual([[119, 126, 133, 0, 0], [154, 161, 168, 0, 0], [189, 196, 203, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]);
    expect(im.map((r) => r[0])).toEqual([[119, 126, 133, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 7, 14], [77, 84, 91, 98, 0]]);
    expect(tensor).toEqual(im);
  });

  it("pads by reflection, symmetry and edge as torchvision", () => {
    expect(fourCalls(() => new T.RandomCrop([4, 3], { padding: [1, 2], paddingMode: "reflect" })).tensor[0]).toEqual([[56, 63, 56], [21, 28, 21], [56, 63, 56], [91, 98, 91]]);
    const sym = fourCalls(() => new T.RandomCrop(4, { padding: [1, 2, 3, 1], paddingMode: "symmetric" }));
    expect(sym.image[0]).toEqual([[105, 105, 112, 119], [140, 140, 147, 154], [175, 175, 182, 189], [175, 175, 182, 189]]);
    expect(sym.tensor).toEqual(sym.image);
    const reflect = rows(new T.Pad(2, 0, "reflect").forward(image));
    expect(reflect[0]).toEqual([84, 77, 70, 77, 84, 91, 98, 91, 84]);
    expect(reflect.map((r) => r[2])).toEqual([70, 35, 0, 35, 70, 105, 140, 175, 140, 105]);
    const edge = fourCalls(() => new T.RandomCrop(7, { padding: 1, paddingMode: "edge" }));
    expect(edge.tensor).toEqual(edge.image);
    expect(edge.image[0].flat().every((v) => image.data.includes(v))).toBe(true);
  });

  it("CenterCrop rounds offsets as Python and pads a crop larger than the image", () => {
    const big = rows(new T.CenterCrop([9, 8]).forward(image));
    expect(big).toEqual([
      [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 7, 14, 21, 28, 0, 0], [0, 35, 42, 49, 56, 63, 0, 0], [0, 70, 77, 84, 91, 98, 0, 0],
      [0, 105, 112, 119, 126, 133, 0, 0], [0, 140, 147, 154, 161, 168, 0, 0], [0, 175, 182, 189, 196, 203, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    // 6 - 3 = 3 rows to drop: round(1.5) = 2 (halves to even), 5 - 3 = 2 columns: 1.
    expect(rows(new T.CenterCrop(3).forward(image))).toEqual([[77, 84, 91], [112, 119, 126], [147, 154, 161]]);
    expect(new T.CenterCrop([5, 2]).forward(asTensor(image)).index(0).tolist()).toEqual(fourCalls(() => new T.CenterCrop([5, 2])).image[0]);
  });

  it("flips with one torch.rand(1) draw per call, as torchvision", () => {
    expect(fourCalls(() => new T.RandomHorizontalFlip()).image.map((r) => r[0][0])).toEqual([0, 28, 0, 0]);
    expect(fourCalls(() => new T.RandomVerticalFlip(0.3)).tensor.map((r) => r[0][0])).toEqual([0, 175, 0, 0]);
    expect(rows(new T.RandomHorizontalFlip(1).forward(image))[1]).toEqual([63, 56, 49, 42, 35]);
    expect(new T.RandomVerticalFlip(0).forward(asTensor(image)).index(0).index(0).tolist()).toEqual([0, 7, 14, 21, 28]);
  });

  it("keeps channels, dtypes and leading dimensions; pads up with padIfNeeded", () => {
    const rgb: Image = { width: 4, height: 3, channels: 3, data: new Uint8Array(36).map((_, i) => i) };
    const flipped = new T.RandomHorizontalFlip(1).forward(rgb);
    expect(Array.from(flipped.data.subarray(0, 3))).toEqual([9, 10, 11]); // the last pixel of row 0, its 3 channels
    const batch = torch.rand([2, 3, 10, 12]);
    expect(new T.RandomCrop(8, { padding: 1 }).forward(batch).shape).toEqual([2, 3, 8, 8]);
    const bytes = torch.tensor([[1, 2], [3, 4]], { dtype: "int64" }).reshape([1, 2, 2]);
    const padded = new T.RandomCrop(4, { padIfNeeded: true, fill: 9 }).forward(bytes);
    expect(padded.dtype).toBe("int64");
    expect(padded.shape).toEqual([1, 4, 4]);
    expect(new T.RandomCrop(8, { padIfNeeded: true }).forward(image).height).toBe(8);
  });

  it("refuses bad arguments with torchvision's messages", () => {
    expect(() => new T.RandomCrop(7).forward(image)).toThrow(/^Required crop size \(7, 7\) is larger than input image size \(6, 5\)$/);
    expect(() => new T.Pad([1, 2, 3])).toThrow(/padding must be an int or a 1, 2, or 4 element tuple, not a 3 element tuple/);
    expect(() => new T.Pad(1, 0, "wrap" as never)).toThrow(/padding mode should be either constant, edge, reflect or symmetric/);
    expect(() => new T.Pad(6, 0, "reflect").forward(image)).toThrow(/padding size should be less than the corresponding input dimension/);
    expect(() => new T.RandomHorizontalFlip(2)).toThrow(/probability/);
    expect(() => new T.CenterCrop(0)).toThrow(/size should be a positive int/);
    expect(() => new T.RandomCrop(3).forward([1, 2] as never)).toThrow(/should be an Image or a Tensor/);
    expect(String(new T.RandomCrop(32, { padding: 4 }))).toBe("RandomCrop(size=(32, 32), padding=4)");
    expect(String(new T.RandomHorizontalFlip())).toBe("RandomHorizontalFlip(p=0.5)");
  });
});
