// console.log / util.inspect print tensors, modules and optimizers the way PyTorch's repr does:
// the library names Node's inspect.custom symbol without importing node:util (so its published
// types need no @types/node), and this checks that it is still the very symbol Node looks for.
// ref: issue 11 point 2; lib/inspect_custom.ts.
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { inspect as libInspect } from "../lib/inspect_custom.js";

describe("util.inspect", () => {
  it("uses the library's symbol, which is Node's inspect.custom", () => {
    expect(libInspect.custom).toBe(inspect.custom);
  });
  it("prints a tensor, a parameter, a module and an optimizer as their toString", () => {
    const t = torch.tensor([[1, 2], [3, 4]]);
    expect(inspect(t)).toBe(t.toString());
    const lin = new torch.nn.Linear(2, 3);
    expect(inspect(lin.weight)).toBe(lin.weight.toString());
    expect(inspect(lin.weight)).toMatch(/^Parameter containing:/);
    expect(inspect(lin)).toBe(lin.toString());
    const opt = new torch.optim.SGD(lin.parameters(), { lr: 0.1 });
    expect(inspect(opt)).toBe(opt.toString());
  });
});
