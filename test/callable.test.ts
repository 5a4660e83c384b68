// Modules are callable as in PyTorch (`model(X)`, `lossFn(pred, y)`, through Sequential too), with
// forward pre-hooks and forward hooks run by that call path (not by `.forward`), while fields,
// private fields, instanceof, discovery, state dicts and printing stay those of a class instance.
// The calls below are also checked by `tsc --strict` (npm run typecheck includes test/).
// ref: PyTorch 1.13 torch/nn/modules/module.py (_call_impl, register_forward_(pre_)hook).
import { inspect } from "node:util";
import { beforeEach, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { Tensor } from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const { nn } = torch;

class TwoLayer extends nn.Module {
  fc1 = new nn.Linear(3, 4);
  act = new nn.ReLU();
  fc2 = new nn.Linear(4, 2);
  #calls = 0; // a private field lands on the callable instance too
  forward(x: Tensor): Tensor {
    this.#calls++;
    return this.fc2(this.act(this.fc1(x)));
  }
  get calls(): number {
    return this.#calls;
  }
}

/** A module whose own fields are called `name` and `length`, which functions have read-only. */
class Named extends nn.Module {
  declare name: string;
  declare length: number;
  constructor() {
    super();
    (this as any).name = "encoder";
    (this as any).length = 3;
  }
  forward(a: Tensor, b: Tensor): Tensor {
    return a.add(b);
  }
}

describe.each(backends())("callable modules [%s]", (name) => {
  useBackend(name);
  beforeEach(() => torch.manualSeed(0));

  it("model(X) is model.forward(X): a layer, a loss, a Sequential and a custom module", () => {
    const X = torch.randn(5, 3), y = torch.tensor([0, 1, 1, 0, 1], { dtype: torch.long });
    const lin = new nn.Linear(3, 2);
    const out: Tensor = lin(X);
    expect(vals(out)).toEqual(vals(lin.forward(X)));
    const lossFn = new nn.CrossEntropyLoss();
    const loss: Tensor = lossFn(out, y);
    expect(loss.item()).toBe(lossFn.forward(out, y).item());
    const seq = new nn.Sequential(new nn.Linear(3, 4), new nn.ReLU(), new nn.Linear(4, 2));
    expect(vals(seq(X))).toEqual(vals(seq.forward(X)));
    const net = new TwoLayer();
    expect(vals(net(X))).toEqual(vals(net.forward(X)));
    expect(net.calls).toBe(2);
    expect(new Named()(torch.ones(2), torch.ones(2)).tolist()).toEqual([2, 2]);
    // gradients flow through the call as through forward
    lossFn(net(X), y).backward();
    expect(net.fc1.weight.grad).not.toBeNull();
  });

  it("keeps what a class instance has: instanceof, constructor, fields, getters, methods", () => {
    const net = new TwoLayer();
    expect(typeof net).toBe("function");
    expect(net instanceof TwoLayer && net instanceof nn.Module).toBe(true);
    expect(net.constructor).toBe(TwoLayer);
    expect(Object.keys(net)).toEqual(["training", "fc1", "act", "fc2"]);
    expect(net.children()).toEqual([net.fc1, net.act, net.fc2]);
    expect(net.namedParameters().map(([n]) => n)).toEqual(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]);
    expect(Object.keys(net.stateDict())).toEqual(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]);
    expect(net.eval()).toBe(net);
    expect(net.fc1.training).toBe(false);
    const named = new Named();
    expect([named.name, named.length]).toEqual(["encoder", 3]);
    const seq = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU());
    expect(seq.length).toBe(2); // Sequential's getter, not a function's own length
    expect((new nn.ReLU() as unknown as { name?: string }).name).toBeUndefined(); // as on a plain object
    // re-registering a child under its name is allowed, as in PyTorch
    net.registerModule("act", new nn.Tanh());
    expect(String(net.act)).toBe("Tanh()");
    expect(() => net.registerModule("forward", new nn.ReLU())).toThrow("attribute 'forward' already exists");
  });

  it("prints PyTorch's repr through String, template literals and util.inspect (also nested)", () => {
    const seq = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
    const repr = "Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n)";
    expect(String(seq)).toBe(repr);
    expect(`${seq}`).toBe(repr);
    expect(inspect(seq)).toBe(repr);
    expect(inspect({ model: new nn.ReLU() })).toBe("{ model: ReLU() }");
  });

  it("a Module is usable wherever a function is: transforms, map", () => {
    const t = torch.vision.transforms.Compose;
    const double = new (class extends nn.Module {
      forward(x: Tensor): Tensor {
        return x.mul(2);
      }
    })();
    expect(new t([double, double]).forward(torch.ones(2)).tolist()).toEqual([4, 4]);
    expect([torch.ones(1), torch.zeros(1)].map((x) => double(x).item())).toEqual([2, 0]);
  });

  it("type-checks calls against forward's signature", () => {
    const lin = new nn.Linear(3, 2), lossFn = new nn.MSELoss(), X = torch.randn(4, 3);
    // @ts-expect-error Linear.forward takes one Tensor
    expect(() => lin("x")).toThrow();
    // @ts-expect-error a loss takes (input, target)
    expect(() => lossFn(lin(X))).toThrow();
    const y: Tensor = lossFn(lin(X), torch.zeros(4, 2));
    expect(y.ndim).toBe(0);
  });
});

describe("forward hooks", () => {
  beforeEach(() => torch.manualSeed(0));

  it("pre-hooks see (module, args) and may replace them; forward hooks see the output and may replace it", () => {
    const lin = new nn.Linear(2, 2);
    const X = torch.ones(1, 2);
    const seen: unknown[] = [];
    const h1 = lin.registerForwardPreHook((m, args) => {
      seen.push(m === lin, args.length);
      return args[0].mul(0); // a non-array result becomes the single argument
    });
    const h2 = lin.registerForwardHook((m, args, out) => {
      seen.push(vals(args[0]), vals(out));
    });
    const out = lin(X);
    const bias = vals(lin.bias!);
    expect(vals(out)).toEqual(bias); // forward ran on zeros
    expect(seen).toEqual([true, 1, [0, 0], bias]); // the forward hook got the replaced args
    h1.remove();
    h2.remove();
    h2.remove(); // removing twice is harmless
    const h3 = lin.registerForwardHook(() => torch.full([1], 7));
    expect(lin(X).tolist()).toEqual([7]);
    expect(lin.forward(X).shape).toEqual([1, 2]); // .forward alone skips hooks
    h3.remove();
    expect(vals(lin(X))).toEqual(vals(lin.forward(X)));
  });

  it("an array from a pre-hook replaces all arguments; undefined and null keep them", () => {
    const add = new (class extends nn.Module {
      forward(a: Tensor, b: Tensor): Tensor {
        return a.add(b);
      }
    })();
    const [one, two] = [torch.ones(1), torch.full([1], 2)];
    add.registerForwardPreHook(() => undefined);
    add.registerForwardPreHook(() => null);
    expect(add(one, one).item()).toBe(2);
    add.registerForwardPreHook((_m, [a, b]) => [b, b]);
    expect(add(one, two).item()).toBe(4);
    add.registerForwardHook(() => null);
    expect(add(one, two).item()).toBe(4);
  });

  it("hooks run in registration order, each seeing the previous one's result", () => {
    const id = new nn.Identity();
    const order: string[] = [];
    id.registerForwardPreHook((_m, [x]) => (order.push("pre1"), x.add(1)));
    id.registerForwardPreHook((_m, [x]) => (order.push("pre2"), x.mul(10)));
    id.registerForwardHook((_m, _a, y) => (order.push("fwd1"), (y as Tensor).add(1)));
    id.registerForwardHook((_m, _a, y) => (order.push("fwd2"), (y as Tensor).mul(2)));
    expect(id(torch.zeros(1)).item()).toBe(22); // ((0 + 1) * 10 + 1) * 2
    expect(order).toEqual(["pre1", "pre2", "fwd1", "fwd2"]);
  });

  it("run on the children of a Sequential, and on nested modules of a custom one", () => {
    const seq = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU(), new nn.Linear(2, 1));
    const names: string[] = [];
    for (const [n, m] of seq.namedModules()) m.registerForwardHook(() => void names.push(n || "root"));
    seq(torch.ones(3, 2));
    expect(names).toEqual(["0", "1", "2", "root"]);
    // the common use: capture activations
    const net = new TwoLayer();
    let hidden: Tensor | null = null;
    net.act.registerForwardHook((_m, _a, out) => void (hidden = out));
    net(torch.ones(5, 3));
    expect(hidden!.shape).toEqual([5, 4]);
  });

  it("a hook registered or removed while hooks run takes effect from the next call (PyTorch's snapshot)", () => {
    const id = new nn.Identity();
    let count = 0;
    const h = id.registerForwardHook(() => {
      count++;
      h.remove();
      id.registerForwardHook(() => void count++);
    });
    id(torch.zeros(1));
    expect(count).toBe(1);
    id(torch.zeros(1));
    expect(count).toBe(2);
  });

  it("handles have distinct ids; a hook must be a function", () => {
    const id = new nn.Identity();
    const [a, b] = [id.registerForwardHook(() => {}), id.registerForwardPreHook(() => {})];
    expect(a).toBeInstanceOf(nn.RemovableHandle);
    expect(a.id).not.toBe(b.id);
    expect(() => id.registerForwardHook(null as never)).toThrow("registerForwardHook: hook must be a function, got null");
  });
});
