// The lecture's FashionMNIST program with a convolutional network (issue #14), line by line as one
// would write it in PyTorch: the data, the model, Adam, train_loop / test_loop per epoch, a
// prediction. Not the CLI: `npm run train -- --model cnn` (examples/train.ts) trains the same model
// (examples/lib/cnn_model.ts) with progress, metrics and saved weights.
// Run: npx tsx examples/fashion-mnist-cnn.ts [--epochs N] [--limit-batches N]  (defaults: 5 epochs, all data).
// PyTorch's side, the same setup: scripts/cnn_torch.py.
import { parseArgs } from "node:util";
import * as torch from "../lib/index.js";
import { fixed, int } from "./lib/pyformat.js";

// from torch import nn; from torch.utils.data import DataLoader; from torchvision import datasets
// from torchvision.transforms import ToTensor
const { nn } = torch;
const { DataLoader, Subset } = torch.data;
const { datasets } = torch.vision;
const { ToTensor } = torch.vision.transforms;

// Options for a short run (not in the lecture): --epochs N, --limit-batches N.
const { values: cli } = parseArgs({ options: { epochs: { type: "string" }, "limit-batches": { type: "string" } } });
const positiveInt = (flag: string, s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${flag} must be a positive integer, got "${s}"`);
  return n;
};

// torch.manual_seed(0): the init below and the shuffling then follow PyTorch's for seed 0.
torch.manualSeed(0);

let trainingData: torch.data.DatasetLike = new datasets.FashionMNIST({ root: "data", train: true, download: true, transform: new ToTensor() });
const testData = new datasets.FashionMNIST({ root: "data", train: false, download: true, transform: new ToTensor() });
let testSet: torch.data.DatasetLike = testData;

const limitBatches = positiveInt("--limit-batches", cli["limit-batches"]);
if (limitBatches !== undefined) {
  const first = (n: number) => Array.from({ length: n }, (_, i) => i);
  trainingData = new Subset(trainingData, first(Math.min(limitBatches * 64, trainingData.length)));
  testSet = new Subset(testData, first(Math.min(limitBatches * 64, testData.length)));
  console.log(`(short run: ${trainingData.length} training and ${testSet.length} test images)`);
}

// Hyperparameters
const learningRate = 1e-3;
const batchSize = 64;
const epochs = positiveInt("--epochs", cli.epochs) ?? 5;

const trainDataloader = new DataLoader(trainingData, { batchSize, shuffle: true });
const testDataloader = new DataLoader(testSet, { batchSize });

class ConvNet extends nn.Module {
  features = new nn.Sequential(
    new nn.Conv2d(1, 32, 3, { padding: 1 }), // [N, 1, 28, 28] -> [N, 32, 28, 28]
    new nn.BatchNorm2d(32),
    new nn.ReLU(),
    new nn.MaxPool2d(2), // -> [N, 32, 14, 14]
    new nn.Conv2d(32, 64, 3, { padding: 1 }), // -> [N, 64, 14, 14]
    new nn.BatchNorm2d(64),
    new nn.ReLU(),
    new nn.MaxPool2d(2), // -> [N, 64, 7, 7]
  );
  classifier = new nn.Sequential(
    new nn.Flatten(), // -> [N, 3136]
    new nn.Linear(64 * 7 * 7, 128),
    new nn.ReLU(),
    new nn.Dropout(0.25),
    new nn.Linear(128, 10), // -> [N, 10]
  );

  forward(x: torch.Tensor): torch.Tensor {
    x = this.features(x);
    const logits = this.classifier(x);
    return logits;
  }
}

const model = new ConvNet();
console.log(model.toString());

// Initialize the loss function and the optimizer
const lossFn = new nn.CrossEntropyLoss();
const optimizer = new torch.optim.Adam(model.parameters(), { lr: learningRate });

function trainLoop(dataloader: torch.data.DataLoader, model: ConvNet, lossFn: torch.nn.CrossEntropyLoss, optimizer: torch.optim.Optimizer): void {
  const size = dataloader.dataset.length;
  // Training mode: BatchNorm normalizes with the batch's statistics (and updates its running ones),
  // Dropout drops.
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

function testLoop(dataloader: torch.data.DataLoader, model: ConvNet, lossFn: torch.nn.CrossEntropyLoss): void {
  // Evaluation mode: BatchNorm uses its running statistics, Dropout passes everything through.
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

// A prediction for a random test image: unsqueeze(0) makes the batch of one that Conv2d needs.
const classes = testData.classes;
model.eval();
const sampleIdx = torch.randint(testData.length, [1]).item();
const [img, label] = testData.get(sampleIdx);
torch.noGrad(() => {
  const pred = model(img.unsqueeze(0)); // [1, 1, 28, 28] -> [1, 10]
  const [predicted, actual] = [classes[pred.index(0).argmax(0).item()], classes[label]];
  console.log(`Predicted: "${predicted}", Actual: "${actual}"`);
});
