// The trapezoidal rule: torch.trapezoid / trapz (the integral of y along dim, with sample points x
// or a constant spacing dx) and torch.cumulative_trapezoid (its running values), as PyTorch composes
// them: sum(dx * (y[1:] + y[:-1])) / 2, or (sum(y) - (y[0] + y[-1]) / 2) * dx for a constant dx.
// ref: aten/src/ATen/native/Integration.cpp, PyTorch 1.13.
import { normDim } from "../shape.js";
import { Tensor } from "../tensor.js";
import { binary } from "./elementwise.js";
import { cumsum } from "./cumulative.js";
import { sum } from "./reduce.js";
import { diff } from "./windows.js";
import { narrow, select, unsqueeze } from "./views.js";

export interface TrapezoidOptions {
  /** The sample points (PyTorch's keyword x=). */
  x?: Tensor | null;
  dx?: number;
  dim?: number;
}

/** y[1:] + y[:-1] along dim. */
function pairSums(y: Tensor, d: number): Tensor {
  const n = y.shape[d];
  return binary("add", narrow(y, d, 1, n - 1), narrow(y, d, 0, n - 1));
}

/** The spacing along dim: x's differences (x 1-D: along its only dim, shaped to broadcast at d). */
function spacing(y: Tensor, x: Tensor, d: number): Tensor {
  if (x.ndim === 1) {
    if (x.shape[0] !== y.shape[d]) throw new Error("trapezoid: There must be one `x` value for each sample point");
    let dx = diff(x, {});
    for (let i = d + 1; i < y.ndim; i++) dx = unsqueeze(dx, -1);
    return dx;
  }
  return diff(x, { dim: d });
}

function prepare(y: Tensor, dim: number): [Tensor, number] {
  if (y.ndim === 0) throw new RangeError(`Dimension specified as ${dim} but tensor has no dimensions`);
  return [y, normDim(dim, y.ndim)];
}

/** torch.trapezoid(y, x?, { dx, dim }). */
export function trapezoid(y: Tensor, x?: Tensor | null, opts: TrapezoidOptions = {}): Tensor {
  const { dx = 1, dim = -1 } = opts;
  const [yy, d] = prepare(y, dim);
  // NOTE: true division by 1 gives an integral y the default float dtype, as the rule's division does
  if (yy.shape[d] === 0) return binary("div", sum(yy, [d], false), 1);
  if (x instanceof Tensor) return binary("div", sum(binary("mul", spacing(yy, x, d), pairSums(yy, d)), [d], false), 2);
  const ends = binary("add", select(yy, d, 0), select(yy, d, -1));
  return binary("mul", binary("sub", sum(yy, [d], false), binary("mul", ends, 0.5)), dx);
}

/** torch.cumulative_trapezoid(y, x?, { dx, dim }): one shorter than y along dim. */
export function cumulativeTrapezoid(y: Tensor, x?: Tensor | null, opts: TrapezoidOptions = {}): Tensor {
  const { dx = 1, dim = -1 } = opts;
  const [yy, d] = prepare(y, dim);
  if (yy.shape[d] === 0) return binary("div", yy, 1);
  const parts = x instanceof Tensor ? binary("div", binary("mul", spacing(yy, x, d), pairSums(yy, d)), 2) : binary("mul", pairSums(yy, d), dx / 2);
  return cumsum(parts, d);
}
