// torch.* creation and statistics helpers: tril_indices, triu_indices, combinations,
// cartesian_prod, block_diag, vander, cov, corrcoef, trapezoid / trapz, cumulative_trapezoid
// (ops/creation_extra.ts, ops/correlation.ts, ops/trapezoid.ts).
import { Tensor } from "./tensor.js";
import * as ce from "./ops/creation_extra.js";
import { tensorList } from "./ops/stacking.js";
import { cov as covOp, corrcoef as corrcoefOp, type CovOptions } from "./ops/correlation.js";
import * as tz from "./ops/trapezoid.js";

export type { IndicesOptions, CombinationsOptions } from "./ops/creation_extra.js";
export type { CovOptions } from "./ops/correlation.js";
export type { TrapezoidOptions } from "./ops/trapezoid.js";

/** torch.tril_indices(row, col, offset?, { dtype }) or (row, col, { offset, dtype }). */
export function trilIndices(row: number, col: number, offset: number | (ce.IndicesOptions & { offset?: number }) = 0, opts: ce.IndicesOptions = {}): Tensor {
  return typeof offset === "object" ? ce.trilIndices(row, col, offset.offset ?? 0, offset) : ce.trilIndices(row, col, offset, opts);
}
/** torch.triu_indices(row, col, offset?, { dtype }) or (row, col, { offset, dtype }). */
export function triuIndices(row: number, col: number, offset: number | (ce.IndicesOptions & { offset?: number }) = 0, opts: ce.IndicesOptions = {}): Tensor {
  return typeof offset === "object" ? ce.triuIndices(row, col, offset.offset ?? 0, offset) : ce.triuIndices(row, col, offset, opts);
}
/** torch.combinations(x, r?, { withReplacement }) or (x, { r, withReplacement }). */
export function combinations(x: Tensor, r: number | (ce.CombinationsOptions & { r?: number }) = 2, opts: ce.CombinationsOptions = {}): Tensor {
  return typeof r === "object" ? ce.combinations(x, r.r ?? 2, r) : ce.combinations(x, r, opts);
}
/** torch.cartesian_prod(a, b, ...) or ([a, b, ...]). */
export const cartesianProd = (...tensors: (Tensor | readonly Tensor[])[]) => ce.cartesianProd(tensorList(tensors));
/** torch.block_diag(a, b, ...) or ([a, b, ...]). */
export const blockDiag = (...tensors: (Tensor | readonly Tensor[])[]) => ce.blockDiag(tensorList(tensors));
/** torch.vander(x, N?, increasing?) or (x, { N, increasing }). */
export function vander(x: Tensor, N?: number | null | { N?: number | null; increasing?: boolean }, increasing = false): Tensor {
  return N !== null && typeof N === "object" ? ce.vander(x, N.N, N.increasing ?? false) : ce.vander(x, N, increasing);
}
export const cov = (x: Tensor, opts?: CovOptions) => covOp(x, opts);
export const corrcoef = (x: Tensor) => corrcoefOp(x);

function trapArgs(x?: Tensor | null | tz.TrapezoidOptions, opts?: tz.TrapezoidOptions): [Tensor | null, tz.TrapezoidOptions] {
  if (x instanceof Tensor || x === null || x === undefined) return [x ?? null, opts ?? {}];
  return [x.x ?? null, x];
}
/** torch.trapezoid(y, x?, { dim }) or (y, { dx, dim }). */
export const trapezoid = (y: Tensor, x?: Tensor | null | tz.TrapezoidOptions, opts?: tz.TrapezoidOptions) => tz.trapezoid(y, ...trapArgs(x, opts));
export const trapz = trapezoid;
/** torch.cumulative_trapezoid(y, x?, { dim }) or (y, { dx, dim }). */
export const cumulativeTrapezoid = (y: Tensor, x?: Tensor | null | tz.TrapezoidOptions, opts?: tz.TrapezoidOptions) => tz.cumulativeTrapezoid(y, ...trapArgs(x, opts));
