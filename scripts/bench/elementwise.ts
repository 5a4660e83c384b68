// Elementwise ops and reductions on large tensors (16M floats = 64 MB each, far past the caches):
// GB/s counted as the bytes the op must read plus write (no allocation traffic), next to a plain copy
// (Float32Array.set, and torchlet's copy_) so "at memory bandwidth" can be read off directly.
// Out-of-place ops allocate their 64 MB result each call, as a user's code would; the {out} rows
// write into a preallocated tensor (PyTorch's out=), which is what the kernel alone achieves.
// Issue 16's rows work on 4M floats (16 MB, still past L2): an elementwise chain as separate ops,
// row and column sums of 4096x1024, softmax over the rows of 4096x1000; and the small-op overhead
// (one add of 16 floats), which is time per call, not bandwidth (bandwidthBound false).
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
  /** false: not limited by memory bandwidth, so no fraction of the copy's GB/s is shown. */
  bandwidthBound?: boolean;
  run(t: Operands): unknown;
}

interface Operands {
  a: torch.Tensor;
  b: torch.Tensor;
  dst: torch.Tensor;
  rows: torch.Tensor;
  /** 4M floats each: the chain's x, a, b, c; x viewed as 4096x1024 for the sums. */
  x: torch.Tensor;
  ca: torch.Tensor;
  cb: torch.Tensor;
  cc: torch.Tensor;
  x4096x1024: torch.Tensor;
  sm4096x1000: torch.Tensor;
  small: torch.Tensor;
}

const F = 4 * EW_NUMEL;
/** The issue-16 rows' tensors: 4M floats. */
export const EW_NUMEL_4M = 1 << 22;
const F4 = 4 * EW_NUMEL_4M;
export const SMALL_NUMEL = 16;

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
  // NOTE: four ops as PyTorch runs them (one pass each): mul 3, add 3, relu 2, mul 3 tensors of traffic.
  { id: "chain4m", label: "relu(x*a+b)*c, 4 ops on 4M floats", bytes: 11 * F4, run: (t) => t.x.mul(t.ca).add(t.cb).relu().mul(t.cc) },
  { id: "rowsum4096x1024", label: "row sums of 4096x1024 (sum(1))", bytes: F4, run: (t) => t.x4096x1024.sum(1) },
  { id: "colsum4096x1024", label: "column sums of 4096x1024 (sum(0))", bytes: F4, run: (t) => t.x4096x1024.sum(0) },
  { id: "softmax4096x1000", label: "softmax(1) of [4096, 1000]", bytes: 2 * 4 * 4096 * 1000, run: (t) => t.sm4096x1000.softmax(1) },
  { id: "small_add", label: `small-op overhead: a + b on ${SMALL_NUMEL} floats`, bytes: 3 * 4 * SMALL_NUMEL, bandwidthBound: false, run: (t) => t.small.add(t.small) },
];

export const gbPerS = (bytes: number, r: Result | undefined): number =>
  r === undefined || "na" in r ? NaN : bytes / r.medianMs / 1e6;

let operands: Operands | null = null;
function getOperands(): Operands {
  if (operands === null) {
    const a = torch.randn(EW_NUMEL);
    const x = torch.randn(EW_NUMEL_4M);
    operands = {
      a, b: torch.randn(EW_NUMEL), dst: torch.zeros(EW_NUMEL), rows: a.view(EW_NUMEL / ROW, ROW),
      x, ca: torch.randn(EW_NUMEL_4M), cb: torch.randn(EW_NUMEL_4M), cc: torch.randn(EW_NUMEL_4M),
      x4096x1024: x.view(4096, 1024), sm4096x1000: torch.randn(4096, 1000), small: torch.randn(SMALL_NUMEL),
    };
  }
  return operands;
}

/** Drops the ~340 MB of operands once this family is done. */
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
