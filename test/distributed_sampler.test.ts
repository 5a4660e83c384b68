// DistributedSampler against PyTorch 1.13's definition (torch/utils/data/distributed.py): the same
// seeded permutation on every rank, interleaved, padded from the front or trimmed (drop_last).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";

const range = (n: number) => ({ length: n, get: (i: number) => i });

describe("data.DistributedSampler", () => {
  it("splits 10 items over 3 ranks by interleaving, padding from the front (no shuffle)", () => {
    const parts = [0, 1, 2].map((rank) => [...new torch.data.DistributedSampler(range(10), { numReplicas: 3, rank, shuffle: false })]);
    expect(parts).toEqual([[0, 3, 6, 9], [1, 4, 7, 0], [2, 5, 8, 1]]);
    expect(new torch.data.DistributedSampler(range(10), { numReplicas: 3, rank: 0 }).length).toBe(4);
  });

  it("drop_last trims the tail so every rank gets the same count", () => {
    const parts = [0, 1, 2].map((rank) => [...new torch.data.DistributedSampler(range(10), { numReplicas: 3, rank, shuffle: false, dropLast: true })]);
    expect(parts).toEqual([[0, 3, 6], [1, 4, 7], [2, 5, 8]]);
  });

  it("shuffles with randperm seeded by seed + epoch, the same permutation on every rank", () => {
    for (const [seed, epoch] of [[0, 0], [0, 3], [42, 1]]) {
      const g = new torch.Generator();
      g.manualSeed(seed + epoch);
      const perm = torch.randperm(11, { generator: g }).tolist() as number[];
      const padded = [...perm, perm[0]];
      for (let rank = 0; rank < 4; rank++) {
        const s = new torch.data.DistributedSampler(range(11), { numReplicas: 4, rank, seed });
        s.setEpoch(epoch);
        expect([...s]).toEqual(padded.filter((_, i) => i % 4 === rank));
      }
    }
  });

  it("pads by repeating the permutation when the dataset is smaller than the world", () => {
    const parts = [0, 1, 2, 3, 4].map((rank) => [...new torch.data.DistributedSampler(range(2), { numReplicas: 5, rank, shuffle: false })]);
    expect(parts).toEqual([[0], [1], [0], [1], [0]]);
  });

  it("drives a DataLoader: the ranks' batches cover the dataset once", () => {
    const seen: number[] = [];
    for (let rank = 0; rank < 2; rank++) {
      const sampler = new torch.data.DistributedSampler(range(8), { numReplicas: 2, rank, seed: 5 });
      for (const batch of new torch.data.DataLoader(range(8), { batchSize: 2, sampler })) seen.push(...(batch as torch.Tensor).tolist() as number[]);
    }
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("refuses a bad rank with PyTorch's message", () => {
    expect(() => new torch.data.DistributedSampler(range(4), { numReplicas: 2, rank: 2 })).toThrow("Invalid rank 2, rank should be in the interval [0, 1]");
    expect(() => new torch.data.DistributedSampler(range(4))).toThrow(/process group|distributed package/);
  });
});
