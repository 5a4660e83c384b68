// One training epoch and one evaluation pass, as the tutorial's train_loop / test_loop, but returning
// numbers (mean train loss; test accuracy and loss) instead of printing, for the CLI and the tests.
// Printing and progress are the caller's, through the onBatch callback.
// ref: https://pytorch.org/tutorials/beginner/basics/optimization_tutorial.html
import * as torch from "../../lib/index.js";

type Batch = [torch.Tensor, torch.Tensor];
/** What the loops need of a model and a loss: to be called, `model(X)`, `lossFn(pred, y)`. */
export interface Forward {
  (...args: torch.Tensor[]): torch.Tensor;
}
export interface Trainable extends Forward {
  train(mode?: boolean): unknown;
  eval(): unknown;
}

export interface BatchInfo {
  /** 0-based index of the batch just done, and the number of batches in the epoch. */
  batch: number;
  batches: number;
  /** Samples done so far in this epoch, and in the whole epoch. */
  done: number;
  total: number;
  /** This batch's loss, and the mean loss per sample so far in this epoch. */
  loss: number;
  meanLoss: number;
}

/** One pass over `dataloader` with a step per batch; returns the mean training loss per sample. */
export function trainEpoch(
  dataloader: torch.data.DataLoader<Batch>,
  model: Trainable,
  lossFn: Forward,
  optimizer: torch.optim.Optimizer,
  onBatch?: (info: BatchInfo) => void,
): number {
  model.train();
  const total = dataloader.dataset.length;
  const batches = dataloader.length;
  let done = 0;
  let lossSum = 0;
  for (const [batch, [X, y]] of dataloader.entries()) {
    const pred = model(X);
    const loss = lossFn(pred, y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();

    const n = X.size(0);
    const value = loss.item();
    done += n;
    lossSum += value * n; // the loss is a batch mean; weight it so the epoch mean is per sample
    onBatch?.({ batch, batches, done, total, loss: value, meanLoss: lossSum / done });
  }
  return lossSum / done;
}

export interface Evaluation {
  /** Fraction of samples whose argmax prediction equals the label, in [0, 1]. */
  accuracy: number;
  /** Mean of the per-batch mean losses (the tutorial's "Avg loss"). */
  loss: number;
}

/** The tutorial's test_loop: accuracy and average loss over `dataloader`, without gradients. */
export function evaluate(dataloader: torch.data.DataLoader<Batch>, model: Trainable, lossFn: Forward): Evaluation {
  model.eval();
  const size = dataloader.dataset.length;
  const numBatches = dataloader.length;
  let testLoss = 0;
  let correct = 0;
  torch.noGrad(() => {
    for (const [X, y] of dataloader) {
      const pred = model(X);
      testLoss += lossFn(pred, y).item();
      correct += pred.argmax(1).eq(y).type(torch.float).sum().item();
    }
  });
  return { accuracy: correct / size, loss: testLoss / numBatches };
}

/** Class index predicted for each row of X (argmax of the logits), as a plain array. */
export function predict(model: Trainable, X: torch.Tensor): number[] {
  model.eval();
  return torch.noGrad(() => model(X).argmax(1).tolist() as number[]);
}
