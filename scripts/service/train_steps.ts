// The training work of scripts/service/bench.ts: SGD steps of the lecture's MLP on random batches of
// 64. Run on the main thread (blocking it) or as a torch.worker.Runner module (not blocking it).
import * as torch from "../../lib/index.js";
import { NeuralNetwork } from "../../examples/lib/model.js";

torch.manualSeed(0);
const model = new NeuralNetwork();
const opt = new torch.optim.SGD(model.parameters(), { lr: 1e-3 });
const lossFn = new torch.nn.CrossEntropyLoss();
const x = torch.rand([64, 1, 28, 28]);
const y = torch.randint(0, 10, [64]);

export function step(): number {
  const loss = lossFn(model(x), y);
  opt.zeroGrad();
  loss.backward();
  opt.step();
  return loss.item();
}

/** `n` steps in one call, as an epoch loop does; the last loss. */
export function trainSteps(n: number): number {
  let last = NaN;
  for (let i = 0; i < n; i++) last = step();
  return last;
}
