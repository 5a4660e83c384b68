// Kind 7: gradient clipping, `torch.nn.utils.clip_grad_*_(params, **kwargs)`. One parameter per
// `grads_before` entry with its .grad set (null: none); the call's return value is `out`, each
// parameter's .grad afterwards is `grads_after[i]` (null: still none). Generic: the op name's tail
// becomes the camelCase function of torch.nn.utils.
// ref: FORMAT.md section 7.
import * as torch from "../../../lib/index.js";
import type { Tensor } from "../../../lib/index.js";
import { compareOut, compareTensor } from "../compare.js";
import { skip, type Case, type JsonTensor } from "../types.js";
import { camel, camelOptions, decodeTensor } from "../values.js";
import { expectThrow, namespace } from "./common.js";

export const CLIP_PREFIX = "torch.nn.utils.";

export function runClipGradCase(c: Case): string[] {
  const utils = namespace("nn").utils;
  if (utils === undefined) skip("torch.nn.utils is not built yet");
  const name = camel(c.op.slice(CLIP_PREFIX.length));
  const fn = utils[name];
  if (typeof fn !== "function") skip(`torch.nn.utils.${name} is missing`);
  const before: (JsonTensor | null)[] = c.grads_before ?? [];
  const params: Tensor[] = before.map((g) => {
    const p = new torch.nn.Parameter(torch.zeros(g === null ? [1] : g.shape));
    if (g !== null) p.grad = decodeTensor(g);
    return p;
  });
  const opts = camelOptions(c.kwargs);
  const call = () => fn(params, opts);
  if (c.raises) return expectThrow(c, call);
  const tol = c.tol ?? { rtol: 0, atol: 0 };
  const out = call();
  const diffs: string[] = [];
  if (c.out === null) {
    if (out !== null && out !== undefined) diffs.push(`out: want None got ${typeof out}`);
  } else diffs.push(...compareOut("out", c.out, out, tol));
  (c.grads_after ?? []).forEach((want: JsonTensor | null, i: number) => {
    const got = params[i].grad ?? null;
    if (want === null) {
      if (got !== null) diffs.push(`grads_after[${i}]: want None got a tensor`);
      return;
    }
    const d = compareTensor(`grads_after[${i}]`, want, got, tol);
    if (d) diffs.push(d);
  });
  return diffs;
}
