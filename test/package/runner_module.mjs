// A torch.worker.Runner module and DataLoader workerDataset of `npm run test:package`'s smoke.mjs:
// loaded on worker threads from the installed package (plain .js: no tsx needed there).
import * as torch from "torchlet";

export function double(x) {
  return x.mul(2);
}

export const dataset = new torch.data.TensorDataset(torch.arange(0, 10).float());
