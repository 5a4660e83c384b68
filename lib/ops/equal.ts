// torch.equal(a, b): true when both have the same size and the same elements (after type
// promotion, as PyTorch 1.13: int [1, 2] equals float [1., 2.]); different sizes are false, not
// a broadcasting error. NaN is never equal to itself, as in eq.
// ref: https://pytorch.org/docs/1.13/generated/torch.equal.html
import type { Tensor } from "../tensor.js";

export function equal(a: Tensor, b: Tensor): boolean {
  if (a.ndim !== b.ndim || a.shape.some((n, i) => n !== b.shape[i])) return false;
  if (a.numel() === 0) return true;
  return a.eq(b).all().item() === 1;
}
