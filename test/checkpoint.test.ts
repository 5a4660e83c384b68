// torch.save / torch.load of a general checkpoint (PyTorch's "saving and loading a general
// checkpoint for inference and/or resuming training"): model and optimizer state dicts with the
// epoch and loss in one file, resumed into fresh objects that then train exactly as the originals;
// lists, one tensor, special numbers; refusals with the path of what can't be saved.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { loadFile } from "../lib/io/safetensors.js";

const dir = mkdtempSync(join(tmpdir(), "torchlet-ckpt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const nn = torch.nn;

function makeModel(): torch.nn.Module {
  return new nn.Sequential(new nn.Linear(4, 8), new nn.BatchNorm1d(8), new nn.ReLU(), new nn.Linear(8, 3));
}
function trainSteps(model: torch.nn.Module, opt: torch.optim.Optimizer, n: number, seed: number): number[] {
  torch.manualSeed(seed);
  const losses: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = torch.randn(16, 4);
    const y = torch.randint(0, 3, [16]);
    opt.zeroGrad();
    const loss = nn.functional.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}

describe("checkpoints", () => {
  it("resumes training bit for bit from { epoch, model_state_dict, optimizer_state_dict, loss }", () => {
    torch.manualSeed(0);
    const model = makeModel();
    const opt = new torch.optim.Adam(model.parameters(), { lr: 1e-2, betas: [0.8, 0.95] });
    const first = trainSteps(model, opt, 3, 1);
    const path = join(dir, "ckpt.safetensors");
    torch.save({ epoch: 3, model_state_dict: model.stateDict(), optimizer_state_dict: opt.stateDict(), loss: first[2] }, path);
    const expected = trainSteps(model, opt, 3, 2);

    const ckpt = torch.load<{ epoch: number; model_state_dict: Record<string, torch.Tensor>; optimizer_state_dict: any; loss: number }>(path);
    expect(ckpt.epoch).toBe(3);
    expect(ckpt.loss).toBe(first[2]);
    const model2 = makeModel();
    model2.loadStateDict(ckpt.model_state_dict);
    const opt2 = new torch.optim.Adam(model2.parameters(), { lr: 1 });
    opt2.loadStateDict(ckpt.optimizer_state_dict);
    expect(opt2.paramGroups[0].lr).toBe(1e-2);
    expect(trainSteps(model2, opt2, 3, 2)).toEqual(expected);
  });

  it("a state dict alone stays a plain safetensors file, without a structure entry", () => {
    const path = join(dir, "sd.safetensors");
    torch.save(makeModel().stateDict(), path);
    expect(loadFile(path).metadata).toBe(null);
    expect(Object.keys(torch.load(path))).toContain("1.running_mean");
  });

  it("round-trips lists, one tensor, nested objects and the numbers JSON can't hold", () => {
    const path = join(dir, "misc.safetensors");
    const a = torch.tensor([1.5, -2]);
    const b = torch.arange(6).reshape(2, 3);
    torch.save({ list: [a, 3, "x", null, [true, b]], special: [NaN, Infinity, -Infinity, -0], $tensor: "mine", "a.b": a, a: { b: b } }, path);
    const back = torch.load<any>(path);
    expect(back.list[0].tolist()).toEqual([1.5, -2]);
    expect(back.list.slice(1, 4)).toEqual([3, "x", null]);
    expect(back.list[4][0]).toBe(true);
    expect(back.list[4][1].dtype).toBe("int64");
    expect(back.list[4][1].tolist()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(back.special[0]).toBeNaN();
    expect(back.special.slice(1, 3)).toEqual([Infinity, -Infinity]);
    expect(Object.is(back.special[3], -0)).toBe(true);
    expect(back.$tensor).toBe("mine");
    expect(back["a.b"].tolist()).toEqual([1.5, -2]);
    expect(back.a.b.tolist()).toEqual([[0, 1, 2], [3, 4, 5]]);

    torch.save(torch.tensor([[1, 2]], { dtype: "float64" }), path);
    const t = torch.load<torch.Tensor>(path);
    expect(t).toBeInstanceOf(torch.Tensor);
    expect(t.dtype).toBe("float64");
    expect(t.tolist()).toEqual([[1, 2]]);
  });

  it("refuses what it can't store, naming where it is", () => {
    const path = join(dir, "bad.safetensors");
    expect(() => torch.save({ model: { f: () => 1 } } as any, path)).toThrow(/"model.f" is function/);
    expect(() => torch.save({ when: new Date() } as any, path)).toThrow(/"when" is Date/);
    expect(() => torch.save({ xs: [1, undefined] } as any, path)).toThrow(/"xs.1" is undefined/);
    const cyc: any = { a: {} };
    cyc.a.self = cyc;
    expect(() => torch.save(cyc, path)).toThrow(/contains itself/);
    expect(() => torch.save({ e: 1 }, path, { metadata: { "torchlet.tree": "x" } })).toThrow(/reserved/);
    expect(() => torch.save(makeModel() as any, path)).toThrow(/is a Sequential object: save its stateDict\(\) instead/);
    expect(() => torch.save({ opt: new torch.optim.SGD(makeModel().parameters(), { lr: 0.1 }) } as any, path)).toThrow(/"opt" is a SGD object/);
  });
});
