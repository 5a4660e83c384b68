// torch.cov (frequency and reliability weights, correction) and torch.corrcoef, as compositions of
// sums and a matrix product, so both differentiate. With no degrees of freedom left the
// normalisation is 0 (inf / nan entries) and PyTorch's warning is emitted.
// ref: aten/src/ATen/native/Correlation.cpp (cov, corrcoef), PyTorch 1.13.
import { isFloating, scalarTypeName } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { warn } from "../nn/warnings.js";
import { binary, clamp, scalarTensor } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { sum } from "./reduce.js";
import { diag } from "./triangular.js";
import { reshape, squeeze, unsqueeze } from "./views.js";
import { noGrad } from "../autograd/grad_mode.js";

export interface CovOptions {
  correction?: number;
  fweights?: Tensor | null;
  aweights?: Tensor | null;
}

function checkWeights(w: Tensor, name: "fweights" | "aweights", n: number): void {
  if (w.ndim > 1) throw new Error(`cov(): expected ${name} to have one or fewer dimensions but got ${name} with ${w.ndim} dimensions`);
  if (name === "fweights" && (isFloating(w.dtype) || w.dtype === "bool")) {
    throw new TypeError(`cov(): expected fweights to have integral dtype but got fweights with ${scalarTypeName(w.dtype)} dtype`);
  }
  if (name === "aweights" && !isFloating(w.dtype)) {
    throw new TypeError(`cov(): expected aweights to have floating point dtype but got aweights with ${scalarTypeName(w.dtype)} dtype`);
  }
  if (w.numel() !== n) throw new Error(`cov(): expected ${name} to have the same numel as there are observations in the input but got ${w.numel()} != ${n}`);
  const neg = noGrad(() => (w.numel() > 0 ? (w.detach().lt(0).any().item() as unknown as boolean) : false));
  if (neg) throw new Error(`cov(): ${name} cannot be negative`);
}

/** torch.cov: the covariance of the rows (variables) of x over its columns (observations). */
export function cov(x: Tensor, opts: CovOptions = {}): Tensor {
  const { correction = 1, fweights = null, aweights = null } = opts;
  if (x.ndim > 2) throw new Error(`cov(): expected input to have two or fewer dimensions but got an input with ${x.ndim} dimensions`);
  let input = x.ndim < 2 ? reshape(x, [1, -1]) : x;
  const n = input.shape[1];
  if (fweights !== null) checkWeights(fweights, "fweights", n);
  if (aweights !== null) checkWeights(aweights, "aweights", n);
  let w: Tensor | null = fweights;
  if (aweights !== null) w = w === null ? aweights : binary("mul", w, aweights);
  const wSum: Tensor = w === null ? scalarTensor(n, "int64") : sum(w, null, false);
  const avg = binary("div", sum(w === null ? input : binary("mul", input, w), [1], false), wSum);
  let norm: Tensor;
  if (w !== null && correction !== 0 && aweights !== null) {
    norm = binary("sub", wSum, binary("div", binary("mul", correction, sum(binary("mul", w, aweights), null, false)), wSum));
  } else norm = binary("sub", wSum, correction);
  if ((norm.detach().item() as number) <= 0) {
    warn("cov(): degrees of freedom is <= 0");
    norm = scalarTensor(0, norm.dtype);
  }
  const centered = binary("sub", input, unsqueeze(avg, 1));
  const c = matmul(centered, (w === null ? centered : binary("mul", centered, w)).t());
  return squeeze(binary("div", c, norm));
}

/** torch.corrcoef: Pearson correlation coefficients of the rows, clamped to [-1, 1]. */
export function corrcoef(x: Tensor): Tensor {
  const c = cov(x);
  if (c.ndim === 0) return binary("div", c, c);
  const std = diag(c).sqrt();
  const out = binary("div", binary("div", c, unsqueeze(std, 1)), unsqueeze(std, 0));
  return clamp(out, -1, 1);
}
