// `for await (const batch of loader)`: the batches and order of `for of` (shuffled too), with the
// event loop turning between batches so timers run during a training loop written this way.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";

describe("DataLoader async iteration", () => {
  it("gives the batches and order of synchronous iteration, and lets timers run between them", async () => {
    const ds = new torch.data.TensorDataset(torch.arange(0, 23), torch.arange(100, 123));
    const make = () => new torch.data.DataLoader(ds, { batchSize: 5, shuffle: true, generator: new torch.Generator().manualSeed(7) });
    const sync = [...make()].map(([x, y]) => [x.tolist(), y.tolist()]);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const viaAwait: unknown[] = [];
    for await (const [x, y] of make()) {
      viaAwait.push([x.tolist(), y.tolist()]);
      const end = performance.now() + 5; // a training step's worth of blocking work
      while (performance.now() < end);
    }
    clearInterval(timer);
    expect(viaAwait).toEqual(sync);
    expect(sync).toHaveLength(5);
    expect(ticks).toBeGreaterThan(0);
  });
});
