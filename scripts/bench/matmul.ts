// Matmul GFLOP/s: the MLP's shapes at batch 64 in their forward (A B) and backward (A^T B for dW,
// A B^T for dX, the transposed operand given as a view, as autograd does) forms, plus 1024^3,
// 2048^3 and two K = 4096 shapes, through torch.mm (output allocation included, as in PyTorch)
// and, for the native backend, torch.mm(a, b, { out }) into a preallocated result. tfjs columns come from tfjs.ts.
// Cases are shared with scripts/bench_torch.py by id.
import * as torch from "../../lib/index.js";
import { type Budget, type Result, SLOW, isNa, tryMeasure } from "./harness.js";
import { type TorchletImpl, unavailable, withImpl } from "./impls.js";

export type Form = "AB" | "AtB" | "ABt";

export interface MatmulCase {
  id: string;
  /** What is multiplied, with the stored shapes. */
  label: string;
  form: Form;
  /** Output m x n, inner dimension k. */
  m: number;
  k: number;
  n: number;
}

function mk(form: Form, m: number, k: number, n: number, label: string): MatmulCase {
  return { id: `${form}:${m}x${k}x${n}`, label, form, m, k, n };
}

// NOTE: the backward shapes follow the brief: dW = X^T @ dY (X stored [64, in]) and dX = dY @ W^T
// (W stored [in, out]), i.e. W laid out as the forward's right operand [in, out].
export const MATMUL_CASES: readonly MatmulCase[] = [
  mk("AB", 64, 784, 512, "64x784 @ 784x512"),
  mk("AtB", 784, 64, 512, "[64x784]^T @ 64x512"),
  mk("ABt", 64, 512, 784, "64x512 @ [784x512]^T"),
  mk("AB", 64, 512, 512, "64x512 @ 512x512"),
  mk("AtB", 512, 64, 512, "[64x512]^T @ 64x512"),
  mk("ABt", 64, 512, 512, "64x512 @ [512x512]^T"),
  mk("AB", 64, 512, 10, "64x512 @ 512x10"),
  mk("AtB", 512, 64, 10, "[64x512]^T @ 64x10"),
  mk("ABt", 64, 10, 512, "64x10 @ [512x10]^T"),
  mk("AB", 1024, 1024, 1024, "1024^3"),
  mk("AB", 2048, 2048, 2048, "2048^3"),
  // Issue 16: a long inner dimension (K = 4096) with small and large outputs.
  mk("AB", 256, 4096, 256, "256x4096 @ 4096x256"),
  mk("AB", 1024, 4096, 1024, "1024x4096 @ 4096x1024"),
];

export const flops = (c: MatmulCase): number => 2 * c.m * c.k * c.n;
export const gflops = (c: MatmulCase, r: Result | undefined): number =>
  r === undefined || isNa(r) ? NaN : flops(c) / r.medianMs / 1e6;

/** Stored shapes of the two operands (before the view transposes them). */
export function storedShapes(c: MatmulCase): [number[], number[]] {
  const a = c.form === "AtB" ? [c.k, c.m] : [c.m, c.k];
  const b = c.form === "ABt" ? [c.n, c.k] : [c.k, c.n];
  return [a, b];
}

/** Why a slow implementation skips a case in this mode, or null to run it (with which budget). */
export function slowPolicy(impl: string, c: MatmulCase, quick: boolean, budget: Budget): { skip: string } | { budget: Budget } {
  const big = c.m * c.k * c.n;
  const slowImpl = impl === "js" || impl === "tfjs-cpu";
  if (slowImpl && big >= 2 * 1024 ** 3) return { skip: `skipped: ~${Math.round((2 * big) / 1e9)} GFLOP at ~1 GFLOP/s is many s per call` };
  if (slowImpl && big >= 1024 ** 3) return quick ? { skip: "skipped in --quick (2+ s per call)" } : { budget: SLOW };
  return { budget };
}

/** Into a preallocated result: torch.mm(a, b, { out }) (what the kernel alone achieves). */
export const OUT_SUFFIX = "-out";

export function runTorchletMatmul(impl: TorchletImpl, c: MatmulCase, budget: Budget, quick: boolean, into = false): Result {
  const why = unavailable(impl);
  if (why) return { na: why };
  const policy = slowPolicy(impl, c, quick, budget);
  if ("skip" in policy) return { na: policy.skip };
  const [sa, sb] = storedShapes(c);
  const a0 = torch.randn(sa);
  const b0 = torch.randn(sb);
  const a = c.form === "AtB" ? a0.t() : a0;
  const b = c.form === "ABt" ? b0.t() : b0;
  if (!into) return withImpl(impl, () => tryMeasure(() => torch.mm(a, b), policy.budget));
  const out = torch.empty(c.m, c.n);
  return withImpl(impl, () => tryMeasure(() => torch.mm(a, b, { out }), policy.budget));
}
