// gradcheck: compares autograd's gradients with central differences, element by element, for every
// input that requires grad; and differenceQuotient, the lecture's (f(x+h) − f(x))/h.
// NOTE: with float64 inputs (as PyTorch's gradcheck wants) the defaults are PyTorch's (eps 1e-6);
// with float32 inputs eps defaults to 1e-3, since a central difference in float32 carries rounding error of about ulp(f)/eps, so the comparison adds that estimated
// noise floor to PyTorch's atol + rtol·|numerical| (see `noise` below); inputs should stay away from
// kinks (relu at 0, abs at 0, ...). ref: torch.autograd.gradcheck (PyTorch 1.13), slow mode.
import { Tensor } from "../tensor.js";
import { enableGrad, noGrad } from "./grad_mode.js";
import { grad } from "./grad.js";
import { randn, zerosLike } from "../ops/creation.js";
import { isFloating, toElement } from "../dtype.js";

export interface GradcheckOptions {
  /** Half-width of the central difference (PyTorch's default 1e-6 is below float32 resolution). */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Multiplier on the float32 rounding-noise estimate added to the tolerance (0 disables it). */
  noiseFactor?: number;
  /** false: return false instead of throwing on a mismatch. */
  raiseException?: boolean;
}

type Fn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

const F32_EPS = 2 ** -23;
const F64_EPS = 2 ** -52;

function asList(out: Tensor | readonly Tensor[]): Tensor[] {
  return out instanceof Tensor ? [out] : [...out];
}

/** Row-major multi-index of flat element k of shape. */
function multiIndex(k: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = k % shape[d];
    k = Math.floor(k / shape[d]);
  }
  return idx;
}

/** The float outputs of fn(inputs) as flat Float64 copies (non-float outputs are not differentiable). */
function evaluate(fn: Fn, inputs: Tensor[]): Float64Array[] {
  return noGrad(() => asList(fn(...inputs)).filter((t) => isFloating(t.dtype)).map((t) => Float64Array.from(t.double().contiguous().storage())));
}

/**
 * Checks d fn / d inputs: for each input that requires grad and each of its elements, the Jacobian
 * column from a central difference against the one autograd gives (one backward per output element).
 * Returns true, or throws an Error naming the output, input and element that disagree.
 */
export function gradcheck(fn: Fn, inputs: Tensor | readonly Tensor[], options: GradcheckOptions = {}): boolean {
  const given = inputs instanceof Tensor ? [inputs] : [...inputs];
  const double = given.every((t) => !(t instanceof Tensor) || !t.requiresGrad || t.dtype === "float64");
  const { eps = double ? 1e-6 : 1e-3, atol = 1e-5, rtol = 1e-3, noiseFactor = 4, raiseException = true } = options;
  if (!(eps > 0)) throw new RangeError(`gradcheck: eps must be positive, got ${eps}`);
  // Fresh leaves, so the caller's tensors and their .grad are left alone.
  const leaves = given.map((t) => {
    if (!(t instanceof Tensor)) throw new TypeError("gradcheck: inputs must be Tensors");
    return t.requiresGrad ? t.detach().clone().requiresGrad_(true) : t;
  });
  const checked = leaves.map((t, i) => i).filter((i) => given[i].requiresGrad);
  if (checked.length === 0) throw new Error("gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.");

  // Analytical Jacobians: analytic[o][i] is [numel(out o) x numel(input i)], row by row.
  const outs = asList(fn(...leaves)).filter((t) => isFloating(t.dtype));
  const analytic = outs.map((out) =>
    checked.map((i) => new Float64Array(out.numel() * leaves[i].numel())),
  );
  outs.forEach((out, o) => {
    if (!out.requiresGrad) return; // an output independent of the inputs: zero Jacobian
    for (let r = 0; r < out.numel(); r++) {
      for (const i of checked) leaves[i].grad = null;
      const seed = Tensor.empty(out.shape, out.dtype);
      seed.typedArray[r] = toElement(1, out.dtype, "gradcheck");
      out.backward(seed, { retainGraph: true });
      checked.forEach((i, c) => {
        const g = leaves[i].grad;
        if (g === null) return;
        const row = g.double().contiguous().storage();
        analytic[o][c].set(row, r * row.length);
      });
    }
  });

  // Numerical Jacobians, column by column, perturbing one float32 element at a time.
  for (const [c, i] of checked.entries()) {
    const x = leaves[i];
    if (x.dtype !== "float32" && x.dtype !== "float64") throw new TypeError(`gradcheck: input ${i} is ${x.dtype}; pass float32 or float64 inputs`);
    const data = x.typedArray as Float32Array | Float64Array;
    // NOTE: the rounding noise of the outputs' dtype (float64 outputs make it negligible).
    const ulp = outs.every((t) => t.dtype === "float64") ? F64_EPS : F32_EPS;
    const n = x.numel();
    for (let k = 0; k < n; k++) {
      const pos = x.offset + multiIndex(k, x.shape).reduce((s, v, d) => s + v * x.strides[d], 0);
      const orig = data[pos];
      data[pos] = orig + eps;
      const hi = data[pos]; // the float32 actually evaluated
      const fPlus = evaluate(fn, leaves);
      data[pos] = orig - eps;
      const lo = data[pos];
      const fMinus = evaluate(fn, leaves);
      data[pos] = orig;
      const width = hi - lo;
      if (!(width > 0)) throw new RangeError(`gradcheck: eps=${eps} is below ${x.dtype} resolution at input ${i} element [${multiIndex(k, x.shape).join(", ")}] (value ${orig})`);
      for (let o = 0; o < fPlus.length; o++) {
        const rows = fPlus[o].length;
        for (let r = 0; r < rows; r++) {
          const numerical = (fPlus[o][r] - fMinus[o][r]) / width;
          const analytical = analytic[o][c][r * n + k];
          // NOTE: each float32 output is off by up to ~ulp/2; their difference divided by the width
          // is the noise floor of the numerical derivative.
          const noise = (noiseFactor * ulp * (Math.abs(fPlus[o][r]) + Math.abs(fMinus[o][r]))) / width;
          const ok = Math.abs(analytical - numerical) <= atol + rtol * Math.abs(numerical) + noise;
          if (!ok) {
            if (!raiseException) return false;
            const where = `output ${o} element [${multiIndex(r, outs[o].shape).join(", ")}] with respect to input ${i} element [${multiIndex(k, x.shape).join(", ")}]`;
            throw new Error(
              `Jacobian mismatch for ${where}: numerical ${numerical} vs analytical ${analytical} (eps=${eps}, tolerance ${(atol + rtol * Math.abs(numerical) + noise).toExponential(3)})`,
            );
          }
        }
      }
    }
  }
  return true;
}

/** The lecture's difference quotient (f(x + h) − f(x)) / h of a scalar function of one tensor. */
export function differenceQuotient(fn: (x: Tensor) => Tensor, x: Tensor, h: number): Tensor {
  return noGrad(() => fn(x.add(h)).sub(fn(x)).div(h));
}

/**
 * Checks second derivatives: gradcheck of the function (inputs, gradOutputs) -> the gradients of
 * fn's outputs·gradOutputs with respect to the inputs that require grad, computed with
 * autograd.grad(createGraph) (so the backward rules themselves are differentiated). gradOutputs
 * default to random normal tensors shaped like fn's float outputs; they are checked too.
 * ref: torch.autograd.gradgradcheck (PyTorch 1.13).
 */
export function gradgradcheck(
  fn: Fn,
  inputs: Tensor | readonly Tensor[],
  gradOutputs?: Tensor | readonly Tensor[] | null,
  options: GradcheckOptions = {},
): boolean {
  const given = inputs instanceof Tensor ? [inputs] : [...inputs];
  const diff = given.map((t, i) => i).filter((i) => given[i].requiresGrad);
  if (diff.length === 0) throw new Error("gradgradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.");
  const outs = noGrad(() => asList(fn(...given)).filter((t) => isFloating(t.dtype)));
  const gos = gradOutputs === undefined || gradOutputs === null
    ? outs.map((o) => randn(o.shape, { dtype: o.dtype }).requiresGrad_(true))
    : gradOutputs instanceof Tensor ? [gradOutputs] : [...gradOutputs];
  if (gos.length !== outs.length) throw new RangeError(`gradgradcheck: expected ${outs.length} grad_outputs, got ${gos.length}`);
  const n = given.length;
  const firstDerivatives = (...args: Tensor[]): Tensor[] =>
    enableGrad(() => {
      const ins = args.slice(0, n);
      const all = asList(fn(...ins)).filter((t) => isFloating(t.dtype));
      const keep = all.map((o, k) => k).filter((k) => all[k].requiresGrad);
      const wrt = diff.map((i) => ins[i]);
      if (keep.length === 0) return wrt.map((t) => zerosLike(t));
      const gs = grad(keep.map((k) => all[k]), wrt, { gradOutputs: keep.map((k) => args[n + k]), createGraph: true, allowUnused: true });
      return gs.map((g, k) => g ?? zerosLike(wrt[k]));
    });
  return gradcheck(firstDerivatives, [...given, ...gos], options);
}
