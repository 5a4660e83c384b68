// The transform-heavy pipeline of scripts/service/bench.ts (--only loader): FashionMNIST's training
// set with the CNN augmentations (pad 4 + random 28x28 crop, random horizontal flip), ToTensor and
// Normalize, per image. Imported by the bench and, as workerDataset, by each DataLoader worker.
import * as torch from "../../lib/index.js";

const T = torch.vision.transforms;
export const dataset = new torch.vision.datasets.FashionMNIST({
  root: new URL("../../data", import.meta.url).pathname,
  train: true,
  transform: new T.Compose([new T.RandomCrop(28, { padding: 4 }), new T.RandomHorizontalFlip(), new T.ToTensor(), new T.Normalize([0.286], [0.353])]),
});
