// Tensor.newOnes / newZeros / newEmpty / newFull / newTensor (PyTorch's new_*): this tensor's dtype
// unless the options give one, sizes as varargs or a list, never requiring grad unless asked, and
// sharing nothing with the source.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { vals } from "./helpers/backends.js";

describe("Tensor.new_*", () => {
  const i64 = torch.tensor([1, 2], { dtype: torch.int64, requiresGrad: false });
  const f = torch.tensor([5.5, 3], { requiresGrad: true });

  it("takes the source's dtype, or the one given", () => {
    expect(i64.newOnes(2, 3).dtype).toBe("int64");
    expect(vals(i64.newOnes([2]))).toEqual([1, 1]);
    const d = f.newOnes(5, 3, { dtype: torch.double });
    expect(d.dtype).toBe("float64");
    expect(d.shape).toEqual([5, 3]);
    expect(vals(f.newZeros([3]))).toEqual([0, 0, 0]);
    expect(f.newEmpty(0, 2).shape).toEqual([0, 2]);
    const full = i64.newFull([2, 2], 7);
    expect(full.dtype).toBe("int64");
    expect(vals(full)).toEqual([7, 7, 7, 7]);
    const t = i64.newTensor([3, 4]);
    expect(t.dtype).toBe("int64");
    expect(vals(t)).toEqual([3, 4]);
  });

  it("does not require grad unless asked, and shares no storage", () => {
    expect(f.newOnes(2).requiresGrad).toBe(false);
    expect(f.newZeros(2, { requiresGrad: true }).requiresGrad).toBe(true);
    const t = f.newTensor([1, 2]);
    t.add_(1);
    expect(vals(f)).toEqual([5.5, 3]);
  });

  it("checks sizes and devices as the creation functions do", () => {
    expect(() => f.newOnes(-1)).toThrow(/negative/);
    expect(() => f.newZeros(2, { device: "cuda" })).toThrow(/CPU only/);
  });
});
