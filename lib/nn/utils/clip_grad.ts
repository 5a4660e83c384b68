// nn.utils.clipGradNorm_ / clipGradValue_: rescale or clamp the .grad of parameters in place, with
// PyTorch 1.13's arithmetic (total norm = norm of the per-tensor norms; clip_coef = max_norm /
// (total_norm + 1e-6) clamped to 1, multiplied in even when it is 1). ref: torch/nn/utils/clip_grad.py.
import { Tensor } from "../../tensor.js";
import { stack } from "../../ops/indexing.js";
import { noGrad } from "../../autograd/grad_mode.js";
import { parseArgs, pyFloat } from "../args.js";

type Params = Tensor | Iterable<Tensor>;

function withGrads(fn: string, parameters: unknown): Tensor[] {
  const list = parameters instanceof Tensor ? [parameters] : parameters != null && typeof (parameters as any)[Symbol.iterator] === "function" ? [...(parameters as Iterable<unknown>)] : null;
  if (list === null) throw new TypeError(`${fn}(): parameters must be a Tensor or an iterable of Tensors`);
  for (const p of list) if (!(p instanceof Tensor)) throw new TypeError(`${fn}(): parameters must be Tensors, got ${typeof p}`);
  return (list as Tensor[]).filter((p) => p.grad !== null && p.grad !== undefined);
}

function toFloat(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number") throw new TypeError(`${fn}(): ${name} must be a number, got ${typeof v}`);
  return v;
}

export interface ClipGradNormOptions {
  maxNorm?: number;
  normType?: number;
  errorIfNonfinite?: boolean;
}

/** Scales every .grad so that their joint norm is at most maxNorm; returns that norm (before clipping) as a 0-d tensor. */
export function clipGradNorm_(parameters: Params, maxNorm: number | ClipGradNormOptions, normType?: number | ClipGradNormOptions, errorIfNonfinite?: boolean | ClipGradNormOptions): Tensor;
export function clipGradNorm_(...args: unknown[]): Tensor {
  const fn = "clip_grad_norm_";
  const o = parseArgs<{ parameters: Params; maxNorm: number; normType: number; errorIfNonfinite: boolean }>(
    fn, args, ["parameters", "maxNorm", "normType", "errorIfNonfinite"], { normType: 2, errorIfNonfinite: false },
  );
  const params = withGrads(fn, o.parameters);
  const maxNorm = toFloat(fn, "max_norm", o.maxNorm);
  const normType = toFloat(fn, "norm_type", o.normType);
  if (params.length === 0) return Tensor.fromStorage(new Float32Array([0]), []);
  return noGrad(() => {
    const grads = params.map((p) => p.grad as Tensor);
    let total: Tensor;
    if (normType === Infinity) {
      const norms = grads.map((g) => g.abs().max() as Tensor);
      total = norms.length === 1 ? norms[0] : (stack(norms).max() as Tensor);
    } else {
      total = stack(grads.map((g) => g.norm(normType))).norm(normType);
    }
    const t = total.item() as number;
    if (o.errorIfNonfinite && !Number.isFinite(t)) {
      throw new Error(
        `The total norm of order ${pyFloat(normType)} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`error_if_nonfinite=False\``,
      );
    }
    const coef = total.add(1e-6).reciprocal().mul(maxNorm).clamp(null, 1.0);
    for (const g of grads) g.mul_(coef);
    return total;
  });
}

/** Clamps every .grad element to [-clipValue, clipValue] in place. */
export function clipGradValue_(parameters: Params, clipValue: number | { clipValue?: number }): void;
export function clipGradValue_(...args: unknown[]): void {
  const fn = "clip_grad_value_";
  const o = parseArgs<{ parameters: Params; clipValue: number }>(fn, args, ["parameters", "clipValue"], {});
  const v = toFloat(fn, "clip_value", o.clipValue);
  const params = withGrads(fn, o.parameters);
  noGrad(() => {
    for (const p of params) (p.grad as Tensor).clamp_(-v, v);
  });
}
