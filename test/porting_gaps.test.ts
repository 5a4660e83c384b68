// What testers translating PyTorch tutorials line by line ran into: int32
// embedding indices, the RNG state in PyTorch's layout, Generator(device), the legacy typed
// constructors, deepcopy, torch.load of a PyTorch checkpoint, requires_grad_'s full message.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as torch from "../lib/index.js";
import { resetWarnings } from "../lib/nn/warnings.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

describe.each(backends())("porting gaps [%s]", (name) => {
  useBackend(name);
  afterEach(() => vi.restoreAllMocks());

  it("embedding takes int32 and int64 indices and names the real type of others", () => {
    const emb = new torch.nn.Embedding(5, 3);
    const a = emb.forward(torch.tensor([1, 4], { dtype: "int32" }));
    const b = emb.forward(torch.tensor([1, 4], { dtype: "int64" }));
    expect(vals(a)).toEqual(vals(b));
    expect(() => emb.forward(torch.tensor([1.0]))).toThrow("but got torch.FloatTensor instead");
    expect(() => emb.forward(torch.tensor([true]))).toThrow("but got torch.BoolTensor instead");
    expect(() => emb.forward(torch.tensor([1], { dtype: "int16" }))).toThrow("but got torch.ShortTensor instead");
  });

  it("get/setRngState round-trips the default generator, including the cached normal", () => {
    torch.manualSeed(5);
    torch.randn(3); // an odd count of double normals leaves the second of a pair cached
    const state = torch.getRngState();
    expect([state.dtype, state.shape]).toEqual(["uint8", [5056]]);
    const a = vals(torch.randn(5).add(torch.rand(7).sum()));
    torch.setRngState(state);
    expect(vals(torch.randn(5).add(torch.rand(7).sum()))).toEqual(a);
    // the same layout as PyTorch's: seed, left = 624 - next + 1, next, the words as u64
    const bytes = new DataView((state.storage() as Uint8Array).buffer, (state.storage() as Uint8Array).byteOffset, 5056);
    expect(Number(bytes.getBigUint64(0, true))).toBe(5);
    expect(bytes.getInt32(8, true) + Number(bytes.getBigUint64(16, true))).toBe(625);
    const g = new torch.Generator().manualSeed(9);
    const gs = g.getState();
    const x = vals(torch.rand([4], { generator: g }));
    expect(vals(torch.rand([4], { generator: new torch.Generator().setState(gs) }))).toEqual(x);
    expect(() => torch.setRngState(torch.zeros(10, { dtype: "uint8" }))).toThrow("found the input RNG state size to be 10");
    expect(() => torch.setRngState(torch.zeros(5056))).toThrow("RNG state must be a torch.ByteTensor");
  });

  it("Generator takes a device as PyTorch's does (cpu only)", () => {
    expect(new torch.Generator("cpu").manualSeed(3).initialSeed()).toBe(3);
    expect(new torch.Generator({ device: "cpu" }).initialSeed()).toBe(new torch.Generator().initialSeed());
    expect(() => new torch.Generator("cuda")).toThrow("Torch not compiled with CUDA enabled");
  });

  it("legacy typed constructors build from data or sizes", () => {
    const l = torch.LongTensor([1, 2]);
    expect([l.dtype, ...vals(l)]).toEqual(["int64", 1, 2]);
    expect(torch.FloatTensor(2, 3).shape).toEqual([2, 3]);
    expect(torch.FloatTensor().shape).toEqual([0]);
    expect(torch.BoolTensor([true, false]).dtype).toBe("bool");
    expect(() => torch.LongTensor(torch.tensor([1.5]))).toThrow("expected a Long tensor (got Float)");
  });

  it("deepcopy copies a module's parameters and buffers without drawing random numbers", () => {
    torch.manualSeed(0);
    const m = new torch.nn.Sequential(new torch.nn.Linear(3, 2), new torch.nn.BatchNorm1d(2));
    const before = torch.rand(1).item();
    torch.manualSeed(0);
    new torch.nn.Sequential(new torch.nn.Linear(3, 2), new torch.nn.BatchNorm1d(2));
    const c = torch.deepcopy(m);
    expect(torch.rand(1).item()).toBe(before); // the copy drew nothing
    const sd = m.stateDict(), cd = c.stateDict();
    for (const k of Object.keys(sd)) {
      expect(vals(cd[k])).toEqual(vals(sd[k]));
      expect(cd[k].typedArray).not.toBe(sd[k].typedArray);
    }
    const t = torch.ones(2, { requiresGrad: true });
    expect(torch.deepcopy(t).requiresGrad).toBe(true);
    expect(() => torch.deepcopy(t.mul(2))).toThrow("Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol");
  });

  it("torch.load names a PyTorch zip or pickle checkpoint instead of a header-length error", () => {
    const dir = mkdtempSync(join(tmpdir(), "tl-load-"));
    writeFileSync(join(dir, "a.pt"), Buffer.from("PK\x03\x04 rest of a zip archive", "latin1"));
    writeFileSync(join(dir, "b.pt"), Buffer.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8]));
    expect(() => torch.load(join(dir, "a.pt"))).toThrow("this is a zip archive, as PyTorch's torch.save writes");
    expect(() => torch.load(join(dir, "b.pt"))).toThrow("this is a Python pickle");
  });

  it("reading .grad of a non-leaf that doesn't retain it warns as PyTorch does (not for leaves or retained ones)", () => {
    resetWarnings();
    const spy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const x = torch.ones(2, { requiresGrad: true });
    const y = x.mul(2);
    const z = x.mul(3);
    z.retainGrad();
    y.add(z).sum().backward();
    const warned = () => spy.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("not a leaf Tensor is being accessed")).length;
    expect([x.grad !== null, warned()]).toEqual([true, 0]);
    expect([vals(z.grad!), warned()]).toEqual([[1, 1], 0]);
    expect(y.grad).toBe(null);
    expect(warned()).toBe(1);
  });

  it("requiresGrad_(false) on a non-leaf gives PyTorch's whole message", () => {
    const y = torch.ones(2, { requiresGrad: true }).mul(2);
    expect(() => y.requiresGrad_(false)).toThrow("you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
  });
});
