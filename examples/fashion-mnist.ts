// The lecture's program in torchlet, section by section as in the Python: a derivative as a difference
// quotient, three loss functions, then PyTorch's "Optimizing Model Parameters" tutorial (FashionMNIST,
// an MLP, SGD) and a prediction for one test image. Not the CLI: `npm run train` is examples/train.ts.
// Run: npx tsx examples/fashion-mnist.ts [--epochs N] [--limit-batches N]  (defaults: the lecture's).
// ref: https://pytorch.org/tutorials/beginner/basics/optimization_tutorial.html
import { parseArgs } from "node:util";
import * as torch from "../lib/index.js";
import { fixed, int, pyFloat } from "./lib/pyformat.js";

// from torch import nn; from torch.utils.data import DataLoader; from torchvision import datasets
// from torchvision.transforms import ToTensor
const { nn } = torch;
const { DataLoader, Subset } = torch.data;
const { datasets } = torch.vision;
const { ToTensor } = torch.vision.transforms;

// Options for a short run (not in the lecture): --epochs N, --limit-batches N (use only the first
// N batches of each split). Without them this is the lecture's full run.
const { values: cli } = parseArgs({ options: { epochs: { type: "string" }, "limit-batches": { type: "string" } } });
const positiveInt = (flag: string, s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got "${s}"`);
  return n;
};

// ---------------------------------------------------------------------------------------------
// 1. Derivatives: the slope of y = 2x^2 from a difference quotient
// ---------------------------------------------------------------------------------------------

function f(x: number): number {
  return 2 * x ** 2;
}

// The slope of the line through (1, f(1)) and (2, f(2)): (8 - 2) / (2 - 1)
let x1 = 1.0;
let x2 = 2.0;
let y1 = f(x1);
let y2 = f(x2);
console.log(pyFloat((y2 - y1) / (x2 - x1))); // 6.0

// Over a tiny interval the quotient approaches the derivative f'(x) = 4x, i.e. 4 at x = 1
const p2Delta = 0.0001;
x1 = 1.0;
x2 = x1 + p2Delta;
y1 = f(x1);
y2 = f(x2);
console.log(pyFloat((y2 - y1) / (x2 - x1))); // about 4.0002

// ---------------------------------------------------------------------------------------------
// 2. Loss functions
// ---------------------------------------------------------------------------------------------

// The lecture's three demos (CrossEntropyLoss on a softmax output with a one-hot float target,
// MultiMarginLoss, KLDivLoss and its warning) live in loss-demos.ts, which runs them when loaded.
// NOTE: a dynamic import, so they run here, in the lecture's order (a static import runs first).
await import("./loss-demos.js");

// ---------------------------------------------------------------------------------------------
// 3. Optimizing model parameters: the FashionMNIST tutorial
// ---------------------------------------------------------------------------------------------

let trainingData: torch.data.DatasetLike = new datasets.FashionMNIST({
  root: "data",
  train: true,
  download: true,
  transform: new ToTensor(),
});

const testData = new datasets.FashionMNIST({
  root: "data",
  train: false,
  download: true,
  transform: new ToTensor(),
});
let testSet: torch.data.DatasetLike = testData;

const limitBatches = positiveInt("--limit-batches", cli["limit-batches"]);
if (limitBatches !== undefined) {
  // Short run: only the first limitBatches * 64 images of each split.
  const first = (n: number) => Array.from({ length: n }, (_, i) => i);
  trainingData = new Subset(trainingData, first(Math.min(limitBatches * 64, trainingData.length)));
  testSet = new Subset(testData, first(Math.min(limitBatches * 64, testData.length)));
  console.log(`(short run: ${trainingData.length} training and ${testSet.length} test images)`);
}

const trainDataloader = new DataLoader(trainingData, { batchSize: 64 });
const testDataloader = new DataLoader(testSet, { batchSize: 64 });

class NeuralNetwork extends nn.Module {
  flatten = new nn.Flatten();
  linear_relu_stack = new nn.Sequential(
    new nn.Linear(28 * 28, 512),
    new nn.ReLU(),
    new nn.Linear(512, 512),
    new nn.ReLU(),
    new nn.Linear(512, 10),
  );

  forward(x: torch.Tensor): torch.Tensor {
    x = this.flatten(x);
    const logits = this.linear_relu_stack(x);
    return logits;
  }
}

const model = new NeuralNetwork();

// Hyperparameters
const learningRate = 1e-3;
const batchSize = 64;
const epochs = positiveInt("--epochs", cli.epochs) ?? 10;

// Initialize the loss function
const lossFn = new nn.CrossEntropyLoss();

const optimizer = new torch.optim.SGD(model.parameters(), { lr: learningRate });

function trainLoop(
  dataloader: torch.data.DataLoader,
  model: NeuralNetwork,
  lossFn: torch.nn.CrossEntropyLoss,
  optimizer: torch.optim.Optimizer,
): void {
  const size = dataloader.dataset.length;
  // Set the model to training mode - important for batch normalization and dropout layers
  // Unnecessary in this situation but added for best practices
  model.train();
  for (const [batch, [X, y]] of dataloader.entries()) {
    // Compute prediction and loss
    const pred = model(X);
    const loss = lossFn(pred, y);

    // Backpropagation
    loss.backward();
    optimizer.step();
    optimizer.zeroGrad();

    if (batch % 100 === 0) {
      const [lossValue, current] = [loss.item(), batch * batchSize + X.size(0)];
      console.log(`loss: ${fixed(lossValue, 6, 7)}  [${int(current, 5)}/${int(size, 5)}]`);
    }
  }
}

function testLoop(dataloader: torch.data.DataLoader, model: NeuralNetwork, lossFn: torch.nn.CrossEntropyLoss): void {
  // Set the model to evaluation mode - important for batch normalization and dropout layers
  // Unnecessary in this situation but added for best practices
  model.eval();
  const size = dataloader.dataset.length;
  const numBatches = dataloader.length;
  let testLoss = 0;
  let correct = 0;

  // Evaluating the model with torch.no_grad() ensures that no gradients are computed during test mode
  // also serves to reduce unnecessary gradient computations and memory usage for tensors with requires_grad=True
  torch.noGrad(() => {
    for (const [X, y] of dataloader) {
      const pred = model(X);
      testLoss += lossFn(pred, y).item();
      correct += pred.argmax(1).eq(y).type(torch.float).sum().item();
    }
  });

  testLoss /= numBatches;
  correct /= size;
  console.log(`Test Error: \n Accuracy: ${fixed(100 * correct, 1)}%, Avg loss: ${fixed(testLoss, 6, 8)} \n`);
}

for (let t = 0; t < epochs; t++) {
  console.log(`Epoch ${t + 1}\n-------------------------------`);
  trainLoop(trainDataloader, model, lossFn, optimizer);
  testLoop(testDataloader, model, lossFn);
}
console.log("Done!");

// ---------------------------------------------------------------------------------------------
// 4. A prediction for a random test image
// ---------------------------------------------------------------------------------------------

const classes = testData.classes;

model.eval();
const sampleIdx = torch.randint(testData.length, [1]).item();
const [img, label] = testData.get(sampleIdx);
torch.noGrad(() => {
  const pred = model(img); // [1, 28, 28] -> Flatten -> [1, 784] -> [1, 10]
  const [predicted, actual] = [classes[pred.index(0).argmax(0).item()], classes[label]];
  console.log(`Predicted: "${predicted}", Actual: "${actual}"`);
});
