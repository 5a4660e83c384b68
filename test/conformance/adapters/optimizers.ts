// Kind 3: optimizers. `new torch.optim[X](params, camelCase(kwargs))` on one param group; each step
// sets every .grad from the case (null = None, the parameter is skipped), calls step() and
// compares all parameters. Hyperparameters our param group exposes are checked against PyTorch's.
// ref: FORMAT.md section 3.
import type { Tensor } from "../../../lib/index.js";
import { compareTensor } from "../compare.js";
import { skip, type Case, type JsonTensor } from "../types.js";
import { camel, camelOptions, decodeTensor } from "../values.js";
import { namespace } from "./common.js";

/** Builds the case's optimizer class over params, or skips when it isn't built. */
export function buildOptimizer(op: string, params: Tensor[], kwargs: Record<string, unknown> | undefined): any {
  const optim = namespace("optim");
  const name = op.replace(/^optim\./, "");
  const Cls = optim[name];
  if (typeof Cls !== "function") skip(`torch.optim.${name} is missing`);
  return new Cls(params, camelOptions(kwargs));
}

/** PyTorch's resolved hyperparameters vs the ones our first param group holds (where it has them). */
function compareHyper(opt: any, resolved: Record<string, unknown> | undefined): string[] {
  const group = opt?.paramGroups?.[0];
  if (!group || !resolved) return [];
  const diffs: string[] = [];
  for (const [k, want] of Object.entries(resolved)) {
    const key = camel(k);
    if (!(key in group) || want === null) continue; // NOTE: foreach/differentiable/... are PyTorch internals
    const got = group[key];
    const same = Array.isArray(want) ? Array.isArray(got) && want.every((w, i) => w === got[i]) : want === got;
    if (!same) diffs.push(`param_groups[0].${key}: want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
  }
  return diffs;
}

export function runOptimizerCase(c: Case): string[] {
  const tol = c.tol ?? { rtol: 0, atol: 0 };
  const params = (c.params as JsonTensor[]).map((j) => decodeTensor(j).requiresGrad_(true));
  const opt = buildOptimizer(c.op, params, c.kwargs);
  const diffs = compareHyper(opt, c.resolved_hyperparameters);
  const steps = c.step_grads as (JsonTensor | null)[][];
  for (let s = 0; s < steps.length && diffs.length === 0; s++) {
    steps[s].forEach((g, i) => (params[i].grad = g === null ? null : decodeTensor(g)));
    opt.step();
    (c.params_after_step[s] as JsonTensor[]).forEach((want, i) => {
      const d = compareTensor(`step ${s + 1} param ${i}`, want, params[i], tol);
      if (d) diffs.push(d);
    });
  }
  return diffs;
}

