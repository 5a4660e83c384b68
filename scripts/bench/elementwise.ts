// Elementwise ops and reductions on large tensors (16M floats = 64 MB each, far past the caches):
// GB/s counted as the bytes the op must read plus write (no allocation traffic), next to a plain copy
// (Float32Array.set, and torchlet's copy_) so "at memory bandwidth" can be read off directly.
// Out-of-place ops allocate their 64 MB result each call, as a user's code would; the {out} rows
// write into a preallocated tensor (PyTorch's out=), which is what the kernel alone achieves.
import * as torch from "../../lib/index.js";
import { type Budget, type Result, tryMeasure } from "./harness.js";
import { type TorchletImpl, unavailable, withImpl } from "./impls.js";

export const EW_NUMEL = 1 << 24;
const ROW = 1024;

export interface EwCase {
  id: string;
  label: string;
  /** Bytes read + written per call. */
  bytes: number;
  run(t: Operands): unknown;
}

interface Operands {
  a: torch.Tensor;
  b: torch.Tensor;
  dst: torch.Tensor;
  rows: torch.Tensor;
}

const F = 4 * EW_NUMEL;

export const EW_CASES: readonly EwCase[] = [
  { id: "copy_", label: "copy_ (dst.copy_(src))", bytes: 2 * F, run: (t) => t.dst.copy_(t.a) },
  { id: "add", label: "add (a + b)", bytes: 3 * F, run: (t) => t.a.add(t.b) },
  { id: "add_out", label: "add (torch.add(a, b, {out}))", bytes: 3 * F, run: (t) => torch.add(t.a, t.b, { out: t.dst }) },
  { id: "add_", label: "add_ (a += b, in place)", bytes: 3 * F, run: (t) => t.dst.add_(t.b) },
  { id: "mul", label: "mul (a * b)", bytes: 3 * F, run: (t) => t.a.mul(t.b) },
  { id: "exp", label: "exp", bytes: 2 * F, run: (t) => t.a.exp() },
  { id: "exp_out", label: "exp (torch.exp(a, {out}))", bytes: 2 * F, run: (t) => torch.exp(t.a, { out: t.dst }) },
  { id: "relu", label: "relu", bytes: 2 * F, run: (t) => t.a.relu() },
  { id: "sum", label: "sum (all)", bytes: F, run: (t) => t.a.sum() },
  { id: "softmax", label: `softmax(1) of [${EW_NUMEL / ROW}, ${ROW}]`, bytes: 2 * F, run: (t) => t.rows.softmax(1) },
];

export const gbPerS = (bytes: number, r: Result | undefined): number =>
  r === undefined || "na" in r ? NaN : bytes / r.medianMs / 1e6;

let operands: Operands | null = null;
function getOperands(): Operands {
  if (operands === null) {
    const a = torch.randn(EW_NUMEL);
    operands = { a, b: torch.randn(EW_NUMEL), dst: torch.zeros(EW_NUMEL), rows: a.view(EW_NUMEL / ROW, ROW) };
  }
  return operands;
}

/** Drops the 256 MB of operands once this family is done. */
export function releaseOperands(): void {
  operands = null;
}

/** The baseline: Float32Array.prototype.set of 16M floats (V8's memmove). */
export function runPlainCopy(budget: Budget): Result {
  const src = new Float32Array(EW_NUMEL).fill(1.5);
  const dst = new Float32Array(EW_NUMEL);
  return tryMeasure(() => dst.set(src), budget);
}

export function runTorchletEw(impl: TorchletImpl, c: EwCase, budget: Budget): Result {
  const why = unavailable(impl);
  if (why) return { na: why };
  const t = getOperands();
  return withImpl(impl, () => tryMeasure(() => c.run(t), budget));
}
