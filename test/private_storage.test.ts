// Storages an op keeps for its own backward only (dropout's mask; max-pool's argmax when the indices
// are not returned) go back to the scratch pool when their node releases its saved state, or at
// once when no node was recorded; never while the graph is retained, under createGraph (whose new
// graph may read them), or when the user holds them (returnIndices). The class check: training
// with recycling gives bit for bit the losses and gradients of the same run with nothing recycled.
import { beforeEach, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Node } from "../lib/autograd/node.js";
import { clearScratch, emptyUninit, scratchStats } from "../lib/ops/scratch.js";

const F = torch.nn.functional;
const SHAPE = [64, 1024]; // 256 KB: pooled sizes start at 16 KB

/** Up to four pooled storages of `shape` (float32 unless given), taken out of the pool. */
function pooled(shape: number[], dtype: "float32" | "int64" = "float32"): unknown[] {
  const before = scratchStats().hits;
  const got = [0, 1, 2, 3].map(() => emptyUninit(shape, dtype).typedArray);
  return got.slice(0, scratchStats().hits - before);
}

beforeEach(() => clearScratch());

describe("dropout's mask", () => {
  it("goes back to the pool when backward releases the graph", () => {
    const x = torch.randn(SHAPE, { requiresGrad: true });
    const y = F.dropout(x, 0.5);
    const mask = (y.gradFn as Node).inputs![1];
    expect(pooled(SHAPE)).not.toContain(mask.typedArray);
    y.sum().backward();
    expect(pooled(SHAPE)).toContain(mask.typedArray);
  });

  it("stays while the graph is retained, and the second backward gives the same gradient", () => {
    const x = torch.randn(SHAPE, { requiresGrad: true });
    const y = F.dropout(x, 0.5);
    const mask = (y.gradFn as Node).inputs![1];
    y.sum().backward(undefined, { retainGraph: true });
    const first = x.grad!.clone();
    expect(pooled(SHAPE)).not.toContain(mask.typedArray);
    for (let i = 0; i < 4; i++) emptyUninit(SHAPE, "float32").typedArray.fill(7);
    x.grad = null;
    y.sum().backward();
    expect(x.grad!.equal(first)).toBe(true);
  });

  it("stays under createGraph, where the gradient's own graph reads it", () => {
    const x = torch.randn(SHAPE, { requiresGrad: true });
    const y = F.dropout(x, 0.5);
    const mask = (y.gradFn as Node).inputs![1];
    const [g] = torch.autograd.grad([y.pow(2).sum()], [x], { createGraph: true }) as torch.Tensor[];
    for (let i = 0; i < 4; i++) emptyUninit(SHAPE, "float32").typedArray.fill(7);
    const [gg] = torch.autograd.grad([g.sum()], [x]) as torch.Tensor[];
    // d/dx sum(2 (x m) m) = 2 m², with m = 0 or 1 / (1 - p) = 2: 0 or 8 per element
    expect(new Set(gg.flatten().tolist() as number[])).toEqual(new Set([0, 8]));
    // released (retainGraph false) but under createGraph: still not recycled
    const y2 = F.dropout(x, 0.5);
    const mask2 = (y2.gradFn as Node).inputs![1];
    torch.autograd.grad([y2.pow(2).sum()], [x], { createGraph: true, retainGraph: false });
    const taken = pooled(SHAPE);
    expect(taken).not.toContain(mask.typedArray);
    expect(taken).not.toContain(mask2.typedArray);
  });

  it("goes back at once when no graph is recorded", () => {
    const x = torch.randn(SHAPE);
    const held = scratchStats().held;
    F.dropout(x, 0.5);
    expect(scratchStats().held - held).toBe(64 * 1024 * 4);
  });
});

describe("max-pool's indices", () => {
  const X = [8, 16, 32, 32], OUT = [8, 16, 16, 16];

  it("go back to the pool after backward when not returned, and at once without a graph", () => {
    const x = torch.randn(X, { requiresGrad: true });
    F.maxPool2d(x, 2).sum().backward();
    expect(pooled(OUT, "int64")).toHaveLength(1);
    torch.noGrad(() => F.maxPool2d(x, 2));
    expect(pooled(OUT, "int64")).toHaveLength(1);
  });

  it("stay the user's when returned", () => {
    const x = torch.randn(X, { requiresGrad: true });
    const [v, idx] = F.maxPool2d(x, 2, { returnIndices: true }) as [torch.Tensor, torch.Tensor];
    const before = idx.tolist();
    v.sum().backward();
    expect(pooled(OUT, "int64")).toHaveLength(0);
    for (let i = 0; i < 4; i++) emptyUninit(OUT, "int64").typedArray.fill(-1);
    expect(idx.tolist()).toEqual(before);
  });
});

describe("training with recycled storages", () => {
  it("gives the losses and gradients of the same run with nothing recycled", () => {
    const run = (retainGraph: boolean) => {
      clearScratch();
      torch.manualSeed(3);
      const model = new torch.nn.Sequential(
        new torch.nn.Conv2d(1, 8, 3, { padding: 1 }), new torch.nn.ReLU(), new torch.nn.MaxPool2d(2),
        new torch.nn.Flatten(), new torch.nn.Dropout(0.3), new torch.nn.Linear(8 * 16 * 16, 64), new torch.nn.ReLU(),
        new torch.nn.Dropout(0.3), new torch.nn.Linear(64, 10),
      );
      const opt = new torch.optim.SGD(model.parameters(), { lr: 0.05 });
      const x = torch.randn(32, 1, 32, 32), y = torch.randint(10, [32]);
      const losses: number[] = [];
      for (let step = 0; step < 4; step++) {
        opt.zeroGrad();
        const loss = F.crossEntropy(model(x) as torch.Tensor, y);
        loss.backward(undefined, { retainGraph });
        losses.push(loss.item());
        opt.step();
      }
      return { losses, grads: model.parameters().map((p) => p.grad!.tolist()) };
    };
    const recycled = run(false);
    expect(scratchStats().held).toBeGreaterThan(0);
    expect(recycled).toEqual(run(true));
  });

  it("gives LSTM and GRU training the losses and gradients of the run with nothing recycled", () => {
    for (const Rnn of [torch.nn.LSTM, torch.nn.GRU]) {
      const run = (retainGraph: boolean) => {
        clearScratch();
        torch.manualSeed(5);
        const rnn = new Rnn(40, 64, { numLayers: 2 });
        const opt = new torch.optim.SGD(rnn.parameters(), { lr: 0.1 });
        const x = torch.randn(30, 8, 40);
        const losses: number[] = [];
        for (let step = 0; step < 3; step++) {
          opt.zeroGrad();
          const [out] = rnn.forward(x) as [torch.Tensor, unknown];
          const loss = out.pow(2).mean();
          loss.backward(undefined, { retainGraph });
          losses.push(loss.item());
          opt.step();
        }
        return { losses, grads: rnn.parameters().map((p) => p.grad!.tolist()), held: scratchStats().held };
      };
      const recycled = run(false), kept = run(true);
      expect(recycled.held).toBeGreaterThan(kept.held);
      expect({ ...recycled, held: 0 }).toEqual({ ...kept, held: 0 });
    }
  });
});
