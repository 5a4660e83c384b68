// PyTorch's `t = t.clone(); with torch.no_grad(): t.clamp_(min=eps)` (gaussian_nll_loss's var): the
// value is clamped, but the gradient reaches t as if it were not (d out / d t = 1 everywhere, also
// where the clamp acted). torchlet's in-place ops under noGrad don't
// rewrite a recorded graph that way, so this builds the same value and gradient from where().
// ref: torch/nn/functional.py gaussian_nll_loss (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { where } from "../ops/elementwise.js";

/** max(t, eps) elementwise (NaN stays NaN, as clamp_min), with gradient 1 w.r.t. t throughout. */
export function clampMinKeepGrad(t: Tensor, eps: number): Tensor {
  const low = t.detach().lt(eps);
  // NOTE: t - t.detach() is exactly 0 forward and carries gradient 1; only the clamped elements take
  // it (elsewhere the first term already does), so an infinite t never meets inf - inf.
  return where(low, eps, t).add(where(low, t.sub(t.detach()), 0));
}
