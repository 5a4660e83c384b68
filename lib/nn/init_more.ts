// The rest of nn.init (PyTorch 1.13 torch/nn/init.py): trunc_normal_, orthogonal_, sparse_, eye_ and
// dirac_, under noGrad, drawing from the default generator in PyTorch's order (trunc_normal_ is one
// uniform_ pass through the inverse normal CDF; orthogonal_ the QR of a normal_ matrix; sparse_ a
// normal_ then one randperm per column), so a seed gives PyTorch's values.
import type { Tensor } from "../tensor.js";
import { noGrad } from "../autograd/grad_mode.js";
import { eye, tensor, zeros } from "../ops/creation.js";
import { randperm } from "../ops/random.js";
import * as linalg from "../linalg.js";
import { checkNumber, checkTensor, parseArgs } from "./args.js";
import { warn } from "./warnings.js";

/** The standard normal CDF at x, in double (the bounds of trunc_normal_'s uniform draw). */
const normCdf = (x: number): number => (1 + (tensor([x / Math.SQRT2], { dtype: "float64" }).erf().item() as number)) / 2;

/** N(mean, std²) truncated to [a, b]: uniform_ in [2 l - 1, 2 u - 1], erfinv, scale, shift, clamp. */
export function trunc_normal_(tensor: Tensor, mean?: number | { mean?: number; std?: number; a?: number; b?: number }, std?: number, a?: number, b?: number): Tensor;
export function trunc_normal_(...args: unknown[]): Tensor {
  const fn = "trunc_normal_";
  const o = parseArgs<{ tensor: Tensor; mean: number; std: number; a: number; b: number }>(fn, args, ["tensor", "mean", "std", "a", "b"], { mean: 0, std: 1, a: -2, b: 2 });
  const t = checkTensor(fn, "tensor", o.tensor);
  const [mean, std, a, b] = [checkNumber(fn, "mean", o.mean), checkNumber(fn, "std", o.std), checkNumber(fn, "a", o.a), checkNumber(fn, "b", o.b)];
  if (mean < a - 2 * std || mean > b + 2 * std) {
    warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.");
  }
  const l = normCdf((a - mean) / std);
  const u = normCdf((b - mean) / std);
  noGrad(() => {
    t.uniform_(2 * l - 1, 2 * u - 1);
    t.erfinv_();
    t.mul_(std * Math.sqrt(2));
    t.add_(mean);
    t.clamp_(a, b);
  });
  return t;
}

/** A (semi-)orthogonal matrix (the rows, or columns, orthonormal) times gain, from the QR of a normal draw. */
export function orthogonal_(tensor: Tensor, gain?: number | { gain?: number }): Tensor;
export function orthogonal_(...args: unknown[]): Tensor {
  const fn = "orthogonal_";
  const o = parseArgs<{ tensor: Tensor; gain: number }>(fn, args, ["tensor", "gain"], { gain: 1 });
  const t = checkTensor(fn, "tensor", o.tensor);
  const gain = checkNumber(fn, "gain", o.gain);
  if (t.ndim < 2) throw new RangeError("Only tensors with 2 or more dimensions are supported");
  if (t.numel() === 0) return t;
  const rows = t.shape[0];
  const cols = t.numel() / rows;
  noGrad(() => {
    let flat = zeros([rows, cols], { dtype: t.dtype }).normal_(0, 1);
    if (rows < cols) flat = flat.t();
    const [q0, r] = linalg.qr(flat) as unknown as [Tensor, Tensor];
    // NOTE: make Q unique (R's diagonal positive), as PyTorch does.
    let q = q0.mul(r.diagonal(0).sign());
    if (rows < cols) q = q.t();
    t.copy_(q.reshape(t.shape));
    t.mul_(gain);
  });
  return t;
}

/** A 2-D tensor with `sparsity` of each column's entries zero, the rest N(0, std²). */
export function sparse_(tensor: Tensor, sparsity: number | { sparsity: number; std?: number }, std?: number): Tensor;
export function sparse_(...args: unknown[]): Tensor {
  const fn = "sparse_";
  const o = parseArgs<{ tensor: Tensor; sparsity: number; std: number }>(fn, args, ["tensor", "sparsity", "std"], { std: 0.01 });
  const t = checkTensor(fn, "tensor", o.tensor);
  if (t.ndim !== 2) throw new RangeError("Only tensors with 2 dimensions are supported");
  const [rows, cols] = t.shape;
  const numZeros = Math.ceil(checkNumber(fn, "sparsity", o.sparsity) * rows);
  noGrad(() => {
    t.normal_(0, checkNumber(fn, "std", o.std));
    for (let c = 0; c < cols; c++) {
      const zeroRows = randperm(rows).index(`:${numZeros}`);
      t.indexPut_([zeroRows, zeros([numZeros], { dtype: "int64" }).add(c)], zeros([], { dtype: t.dtype }));
    }
  });
  return t;
}

/** The identity in a 2-D tensor (ones on the diagonal, zeros elsewhere). */
export function eye_(tensor: Tensor): Tensor {
  const t = checkTensor("eye_", "tensor", tensor);
  if (t.ndim !== 2) throw new RangeError("Only tensors with 2 dimensions are supported");
  noGrad(() => t.copy_(eye(t.shape[0], t.shape[1], { dtype: t.dtype })));
  return t;
}

/** The Dirac delta in a 3-, 4- or 5-D conv weight: each of `groups` blocks passes its input channels through unchanged. */
export function dirac_(tensor: Tensor, groups?: number | { groups?: number }): Tensor;
export function dirac_(...args: unknown[]): Tensor {
  const fn = "dirac_";
  const o = parseArgs<{ tensor: Tensor; groups: number }>(fn, args, ["tensor", "groups"], { groups: 1 });
  const t = checkTensor(fn, "tensor", o.tensor);
  const groups = o.groups;
  if (t.ndim < 3 || t.ndim > 5) throw new RangeError("Only tensors with 3, 4, or 5 dimensions are supported");
  if (t.shape[0] % groups !== 0) throw new RangeError("dim 0 must be divisible by groups");
  const outPerGroup = t.shape[0] / groups;
  const minDim = Math.min(outPerGroup, t.shape[1]);
  noGrad(() => {
    t.zero_();
    const centre = t.shape.slice(2).map((s) => Math.floor(s / 2));
    for (let g = 0; g < groups; g++) for (let d = 0; d < minDim; d++) t.set([g * outPerGroup + d, d, ...centre], 1);
  });
  return t;
}
