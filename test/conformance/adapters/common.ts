// Pieces every adapter shares: finding a torchlet namespace (or skipping when it isn't built),
// running backward from a fixture's upstream, and checking the leaves' .grad against `grads`.
// ref: FORMAT.md, section 1 ("grads[path] is the gradient of sum_i sum(out_i * upstream_i)").
import * as torch from "../../../lib/index.js";
import { Tensor } from "../../../lib/index.js";
import { compareTensor } from "../compare.js";
import { Skip, skip, type Case, type JsonTensor, type Tol } from "../types.js";
import { decodeTensor } from "../values.js";

/** torch.nn / torch.optim / ..., or a Skip naming what is missing. */
export function namespace(name: string): any {
  const ns = (torch as any)[name];
  if (ns === undefined || ns === null) skip(`torch.${name} is not built yet`);
  return ns;
}

/** The sum over float parts of (out_i * upstream_i).sum(), nested tuples included (null parts skipped). */
function upstreamTerms(out: unknown, upstream: unknown, acc: Tensor[]): void {
  if (upstream === null) return;
  if (Array.isArray(upstream)) {
    if (!Array.isArray(out)) throw new TypeError(`upstream is a tuple but the result is ${typeof out}`);
    upstream.forEach((u, i) => upstreamTerms(out[i], u, acc));
    return;
  }
  if (!(out instanceof Tensor)) throw new TypeError("result part is not a tensor, cannot run backward");
  acc.push(out.mul(decodeTensor(upstream as JsonTensor)).sum());
}

/** out.backward(upstream); for a (nested) tuple, backward of sum_i (out_i * upstream_i).sum() over float parts. */
export function backwardFrom(out: unknown, upstream: unknown): void {
  if (Array.isArray(upstream)) {
    const terms: Tensor[] = [];
    upstreamTerms(out, upstream, terms);
    if (terms.length === 0) throw new Error("upstream has no float part");
    terms.reduce((a, b) => a.add(b)).backward();
    return;
  }
  if (!(out instanceof Tensor)) throw new TypeError("result is not a tensor, cannot run backward");
  out.backward(decodeTensor(upstream as JsonTensor));
}

/** Compares each `grads[path]` (null = .grad stays None) with the leaf at that path. */
export function compareGrads(grads: Record<string, JsonTensor | null>, leaves: Map<string, Tensor>, tol: Tol): string[] {
  const diffs: string[] = [];
  for (const [path, want] of Object.entries(grads)) {
    const leaf = leaves.get(path);
    if (leaf === undefined) {
      diffs.push(`grad ${path}: no such input`);
      continue;
    }
    const d = compareTensor(`grad ${path}`, want, leaf.grad, tol);
    if (d) diffs.push(d);
  }
  return diffs;
}

/** For cases that must throw: runs fn, and reports a difference when it returns instead. */
export function expectThrow(c: Case, fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof Skip) throw e;
    return [];
  }
  return [`want ${c.raises} (${c.error_message ?? "an error"}) but the call returned`];
}
