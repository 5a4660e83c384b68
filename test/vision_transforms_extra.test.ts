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
    });
  });
});
