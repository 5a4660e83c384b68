// PyTorch's keyword arguments as one trailing options object, on the Tensor methods and torch.*
// functions that take dims (lib/tensor_keywords.ts): the same results as the positional calls, and
// PyTorch's errors for unknown or doubled arguments.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

describe.each(backends())("keyword arguments [%s]", (name) => {
  useBackend(name);
  const x = torch.arange(24).reshape(2, 3, 4).float();

  it("reductions take { dim, keepdim } after or instead of the positionals", () => {
    expect(vals(x.sum({ dim: 1 }))).toEqual(vals(x.sum(1)));
    expect(x.sum(1, { keepdim: true }).shape).toEqual([2, 1, 4]);
    expect(x.mean({ dim: [0, 2], keepdim: true }).shape).toEqual([1, 3, 1]);
    expect(vals(torch.sum(x, { dim: 2 }))).toEqual(vals(x.sum(2)));
    expect(vals(torch.mean(x, 1, { keepdim: true }))).toEqual(vals(x.mean(1, true)));
    const m = x.max({ dim: 1 });
    expect([vals(m.values), vals(m.indices)]).toEqual([vals(x.max(1).values), vals(x.max(1).indices)]);
    expect(vals(x.argmax({ dim: -1, keepdim: true }))).toEqual(vals(x.argmax(-1, true)));
    expect(vals(torch.argmax(x, { dim: 0 }))).toEqual(vals(x.argmax(0)));
    expect(vals(x.logsumexp({ dim: 2 }))).toEqual(vals(x.logsumexp(2)));
    expect(vals(x.all({ dim: 0 }))).toEqual(vals(x.all(0)));
    expect(vals(x.softmax({ dim: -1 }))).toEqual(vals(x.softmax(-1)));
    expect(vals(torch.softmax(x, { dim: 0 }))).toEqual(vals(x.softmax(0)));
    expect(vals(x.cumsum({ dim: 1 }))).toEqual(vals(x.cumsum(1)));
    expect(vals(x.median({ dim: 2 }).values)).toEqual(vals(x.median(2).values));
  });

  it("shape ops, topk, split/chunk, tril/triu, gather, multinomial take their keywords", () => {
    expect(x.flatten({ startDim: 1 }).shape).toEqual([2, 12]);
    expect(torch.flatten(x, { startDim: 1 }).shape).toEqual([2, 12]);
    expect(x.unsqueeze({ dim: 0 }).shape).toEqual([1, 2, 3, 4]);
    expect(x.transpose({ dim0: 0, dim1: 2 }).shape).toEqual([4, 3, 2]);
    const t = x.topk(2, { dim: 1, largest: false });
    expect(vals(t.values)).toEqual(vals(x.topk(2, 1, false).values));
    expect(x.chunk(2, { dim: -1 }).map((c) => c.shape)).toEqual([[2, 3, 2], [2, 3, 2]]);
    expect(torch.split(x, 1, { dim: 1 }).length).toBe(3);
    const sq = torch.ones(3, 3);
    expect(vals(torch.triu(sq, { diagonal: 1 }))).toEqual(vals(sq.triu(1)));
    expect(vals(sq.tril({ diagonal: -1 }))).toEqual(vals(sq.tril(-1)));
    const idx = torch.tensor([[0], [2]], { dtype: "int64" });
    expect(vals(torch.ones(2, 3).gather({ dim: 1, index: idx }))).toEqual([1, 1]);
    torch.manualSeed(1);
    const a = vals(torch.multinomial(torch.tensor([0.2, 0.3, 0.5]), { numSamples: 2 }));
    torch.manualSeed(1);
    expect(a).toEqual(vals(torch.multinomial(torch.tensor([0.2, 0.3, 0.5]), 2)));
  });

  it("torch.cat and torch.stack take { dim }", () => {
    const a = torch.ones(2, 3), b = torch.zeros(2, 3);
    expect(torch.cat([a, b], { dim: 1 }).shape).toEqual([2, 6]);
    expect(torch.stack([a, b], { dim: 2 }).shape).toEqual([2, 3, 2]);
  });

  it("refuses unknown and doubled keywords with PyTorch's words; snake_case keys are read as camelCase", () => {
    expect(() => x.sum({ dims: 1 } as never)).toThrow("sum() got an unexpected keyword argument 'dims'");
    expect(() => x.sum(1, { dim: 1 } as never)).toThrow("sum() got multiple values for argument 'dim'");
    expect(x.flatten({ start_dim: 1 } as never).shape).toEqual([2, 12]);
    expect(() => torch.cat([x], { axis: 0 } as never)).toThrow("cat() got an unexpected keyword argument 'axis'");
  });

  it("leaves a method's own options object alone (cumsum's dtype, multinomial's generator)", () => {
    expect(x.cumsum(0, { dtype: "float64" }).dtype).toBe("float64");
    expect(x.cumsum({ dim: 0, dtype: "float64" }).dtype).toBe("float64");
    const g = new torch.Generator().manualSeed(3);
    const p = torch.tensor([0.5, 0.5]);
    const r = vals(p.multinomial(4, true, { generator: g }));
    expect(vals(p.multinomial({ numSamples: 4, replacement: true, generator: new torch.Generator().manualSeed(3) }))).toEqual(r);
  });
});
