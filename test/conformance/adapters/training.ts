// Kind 5: short training loops. For each batch: pred = model(X); loss = loss_fn(pred, y);
// loss.backward(); opt.step(); opt.zero_grad(); then loss.item(), the number of correct argmaxes of
// pred (before the step) and every parameter are compared with PyTorch's.
// ref: FORMAT.md section 5; the PyTorch quickstart's train loop.
import type { Tensor } from "../../../lib/index.js";
import { compareOut, compareTensor } from "../compare.js";
import type { Case, JsonTensor } from "../types.js";
import { decodeTensor } from "../values.js";
import { buildModule, loadParams, namedParams, type ModuleSpec } from "./modules.js";
import { buildOptimizer } from "./optimizers.js";

export function runTrainingCase(c: Case): string[] {
  const tol = c.tol ?? { rtol: 0, atol: 0 };
  const model = buildModule(c.model as ModuleSpec);
  const lossFn = buildModule(c.loss as ModuleSpec);
  const diffs = loadParams(model, c.params, undefined, null, new Map());
  if (diffs.length) return diffs;
  if (typeof model.train === "function") model.train();
  const params = [...namedParams(model).values()];
  const opt = buildOptimizer(c.optimizer.op, typeof model.parameters === "function" ? model.parameters() : params, c.optimizer.kwargs);
  const batches = c.batches as { X: JsonTensor; y: JsonTensor }[];
  batches.forEach((b, i) => {
    if (diffs.length) return;
    const X = decodeTensor(b.X);
    const y = decodeTensor(b.y);
    const pred: Tensor = model.forward(X);
    const loss: Tensor = lossFn.forward(pred, y);
    loss.backward();
    opt.step();
    opt.zeroGrad();
    const correct = pred.argmax(1).eq(y).type("float32").sum().item();
    const step = c.steps[i];
    diffs.push(...compareOut(`step ${i + 1} loss`, step.loss, loss.item(), tol));
    if (correct !== step.correct) diffs.push(`step ${i + 1} correct: want ${step.correct} got ${correct}`);
    const now = namedParams(model);
    for (const [name, want] of Object.entries(step.params_after as Record<string, JsonTensor>)) {
      const d = compareTensor(`step ${i + 1} ${name}`, want, now.get(name), tol);
      if (d) diffs.push(d);
    }
  });
  return diffs;
}
