// torch.nn beyond the conformance cases: Module discovery and naming, train/eval, zeroGrad,
// state dicts and their errors, printing, containers, the layers, nn.init and the calling
// convention (positional or one options object). Every test runs once per backend that loads.
// ref: PyTorch 1.13 (reprs, messages and seeded values below were read off python3-torch 1.13).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as torch from "../lib/index.js";
import { Tensor } from "../lib/index.js";
import { resetWarnings } from "../lib/nn/warnings.js";
import { backends, vals, f32, useBackend } from "./helpers/backends.js";
// The PyTorch quickstart model, as the CLI and the bench use it.
import { NeuralNetwork } from "../examples/lib/model.js";

const { nn } = torch;
const F = nn.functional;

/** A small model with an own parameter, a buffer and nesting, for naming and state-dict tests. */
class Net extends nn.Module {
  scale = new nn.Parameter(torch.ones(2));
  body = new nn.Sequential(new nn.Linear(3, 2), new nn.Tanh());
  head = new nn.Linear(2, 2, { bias: false });
  constructor() {
    super();
    this.registerBuffer("steps", torch.zeros(1));
    this.registerBuffer("scratch", torch.zeros(3), { persistent: false });
  }
  forward(x: Tensor): Tensor {
    return this.head.forward(this.body.forward(x)).mul(this.scale);
  }
}

let warnSpy: ReturnType<typeof vi.spyOn>;
const warnings = () => warnSpy.mock.calls.map((c: unknown[]) => String(c[0]));

describe.each(backends())("nn [%s]", (name) => {
  useBackend(name);
  beforeEach(() => {
    torch.manualSeed(0); // the default generator's seed is random per process
    resetWarnings();
    warnSpy = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
  });
  afterEach(() => warnSpy.mockRestore());

  describe("Module", () => {
    it("names parameters from fields in definition order, recursing into children", () => {
      const model = new NeuralNetwork();
      expect(model.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
        ["linear_relu_stack.0.weight", [512, 784]],
        ["linear_relu_stack.0.bias", [512]],
        ["linear_relu_stack.2.weight", [512, 512]],
        ["linear_relu_stack.2.bias", [512]],
        ["linear_relu_stack.4.weight", [10, 512]],
        ["linear_relu_stack.4.bias", [10]],
      ]);
      expect(model.parameters().every((p) => p instanceof nn.Parameter && p.requiresGrad && p.isLeaf)).toBe(true);
      expect(model.namedChildren().map(([n]) => n)).toEqual(["flatten", "linear_relu_stack"]);
      expect(model.children()[1]).toBe(model.linear_relu_stack);
      expect(model.namedModules().map(([n]) => n)).toEqual([
        "", "flatten", "linear_relu_stack",
        "linear_relu_stack.0", "linear_relu_stack.1", "linear_relu_stack.2", "linear_relu_stack.3", "linear_relu_stack.4",
      ]);
      expect(model.modules()[0]).toBe(model);
    });

    it("lists own parameters before children's, buffers separately, each shared tensor once", () => {
      const net = new Net();
      expect(net.namedParameters().map(([n]) => n)).toEqual(["scale", "body.0.weight", "body.0.bias", "head.weight"]);
      expect(net.namedParameters("", false).map(([n]) => n)).toEqual(["scale"]);
      expect(net.namedBuffers().map(([n]) => n)).toEqual(["steps", "scratch"]);
      const shared = new nn.Linear(2, 2);
      const twice = new nn.Sequential(shared, new nn.ReLU(), shared);
      expect(twice.namedParameters().map(([n]) => n)).toEqual(["0.weight", "0.bias"]);
      expect(twice.length).toBe(3);
    });

    it("prints like PyTorch's module repr", () => {
      expect(String(new NeuralNetwork())).toBe(
        [
          "NeuralNetwork(",
          "  (flatten): Flatten(start_dim=1, end_dim=-1)",
          "  (linear_relu_stack): Sequential(",
          "    (0): Linear(in_features=784, out_features=512, bias=True)",
          "    (1): ReLU()",
          "    (2): Linear(in_features=512, out_features=512, bias=True)",
          "    (3): ReLU()",
          "    (4): Linear(in_features=512, out_features=10, bias=True)",
          "  )",
          ")",
        ].join("\n"),
      );
      expect(String(new nn.Softmax())).toBe("Softmax(dim=None)");
      expect(String(new nn.LogSoftmax({ dim: 1 }))).toBe("LogSoftmax(dim=1)");
      expect(String(new nn.Dropout())).toBe("Dropout(p=0.5, inplace=False)");
      expect(String(new nn.GELU())).toBe("GELU(approximate='none')");
      expect(String(new nn.ReLU(true))).toBe("ReLU(inplace=True)");
      expect(String(new nn.Linear(3, 4, { bias: false }))).toBe("Linear(in_features=3, out_features=4, bias=False)");
      expect(String(new nn.Identity())).toBe("Identity()");
      expect(String(new nn.Sequential())).toBe("Sequential()");
      expect(String(new nn.CrossEntropyLoss({ weight: torch.ones(3) }))).toBe("CrossEntropyLoss()");
      expect(String(new nn.ModuleList([new nn.ReLU(), new nn.Sigmoid()]))).toBe("ModuleList(\n  (0): ReLU()\n  (1): Sigmoid()\n)");
    });

    it("train() and eval() set training on every descendant", () => {
      const model = new NeuralNetwork();
      expect(model.modules().every((m) => m.training)).toBe(true);
      expect(model.eval()).toBe(model);
      expect(model.modules().every((m) => !m.training)).toBe(true);
      model.train();
      expect(model.linear_relu_stack.at(-1).training).toBe(true);
      expect(() => model.train("yes" as never)).toThrow("training mode is expected to be boolean");
    });

    it("zeroGrad zeroes grads in place by default (PyTorch 1.13) and sets null with setToNone", () => {
      const net = new Net();
      net.forward(torch.ones(4, 3)).sum().backward();
      const g = net.scale.grad!;
      expect(vals(g).some((v) => v !== 0)).toBe(true);
      expect(net.head.weight.grad).not.toBeNull();
      net.zeroGrad();
      expect(net.scale.grad).toBe(g);
      expect(vals(g)).toEqual([0, 0]);
      net.zeroGrad({ setToNone: true });
      expect(net.parameters().every((p) => p.grad === null)).toBe(true);
    });

    it("stateDict has PyTorch's keys and order, shares storage, and skips non-persistent buffers", () => {
      const net = new Net();
      const sd = net.stateDict();
      expect(Object.keys(sd)).toEqual(["scale", "steps", "body.0.weight", "body.0.bias", "head.weight"]);
      expect(sd.scale.requiresGrad).toBe(false);
      expect(sd["body.0.weight"].typedArray).toBe(net.body[0].parameters()[0].typedArray);
      expect(net.stateDict({ keepVars: true }).scale).toBe(net.scale);
    });

    it("loadStateDict copies values, so a fresh model computes the same outputs", () => {
      torch.manualSeed(1);
      const a = new Net();
      torch.manualSeed(2);
      const b = new Net();
      const x = torch.randn(5, 3);
      expect(vals(a.forward(x))).not.toEqual(vals(b.forward(x)));
      const weightBefore = b.head.weight;
      expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
      expect(vals(b.forward(x))).toEqual(vals(a.forward(x)));
      expect(b.head.weight).toBe(weightBefore); // copied in place, not replaced
      const map = new Map(Object.entries(a.stateDict()));
      expect(b.loadStateDict(map).missingKeys).toEqual([]);
    });

    it("loadStateDict reports missing, unexpected and mis-shaped keys in PyTorch's words", () => {
      const m = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
      const bad = { "0.weight": torch.zeros(3, 2), "x.y": torch.zeros(1), "0.bias": torch.zeros(4) };
      expect(() => m.loadStateDict(bad)).toThrow(
        'Error(s) in loading state_dict for Sequential:\n\tUnexpected key(s) in state_dict: "x.y". \n\tsize mismatch for 0.bias: copying a param with shape torch.Size([4]) from checkpoint, the shape in current model is torch.Size([3]).',
      );
      expect(() => m.loadStateDict({ "0.weight": torch.zeros(3, 2) })).toThrow('Missing key(s) in state_dict: "0.bias". ');
      expect(m.loadStateDict({ "0.weight": torch.ones(3, 2), "x.y": torch.zeros(1) }, { strict: false })).toEqual({
        missingKeys: ["0.bias"],
        unexpectedKeys: ["x.y"],
      });
      expect(vals(m[0].parameters()[0])).toEqual([1, 1, 1, 1, 1, 1]);
      expect(() => m.loadStateDict({ "0.weight": 3, "0.bias": torch.zeros(3) } as never)).toThrow(
        'While copying the parameter named "0.weight", expected torch.Tensor or Tensor-like object from checkpoint but received number',
      );
    });

    it("registerBuffer, registerParameter, apply, requiresGrad_ and to()", () => {
      const net = new Net();
      expect(() => net.registerBuffer("a.b", torch.zeros(1))).toThrow('buffer name can\'t contain "."');
      expect(() => net.registerBuffer("body", torch.zeros(1))).toThrow("attribute 'body' already exists");
      net.registerParameter("extra", new nn.Parameter(torch.zeros(1)));
      expect(net.namedParameters().map(([n]) => n)).toContain("extra");
      const seen: string[] = [];
      net.apply((m) => seen.push(m.constructor.name));
      expect(seen).toEqual(["Linear", "Tanh", "Sequential", "Linear", "Net"]);
      net.requiresGrad_(false);
      expect(net.parameters().some((p) => p.requiresGrad)).toBe(false);
      expect(net.to("cpu")).toBe(net);
      expect(() => net.to("cuda")).toThrow(/cpu/);
    });

    it("Parameter shares the tensor's storage and prints as 'Parameter containing:'", () => {
      const t = torch.tensor([1, 2]);
      const p = new nn.Parameter(t);
      expect(p.typedArray).toBe(t.typedArray);
      expect(p.requiresGrad).toBe(true);
      expect(new nn.Parameter(t, { requiresGrad: false }).requiresGrad).toBe(false);
      expect(String(p)).toBe("Parameter containing:\ntensor([1., 2.], requires_grad=True)");
    });
  });

  describe("containers", () => {
    it("Sequential runs children in order; indexing, at, length, iteration, append, Map form", () => {
      const seq = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU());
      expect(seq[1]).toBeInstanceOf(nn.ReLU);
      expect(seq.at(-2)).toBe(seq[0]);
      expect([...seq].length).toBe(2);
      seq.append(new nn.Linear(3, 1));
      expect(seq.namedParameters().map(([n]) => n)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
      const x = torch.tensor([[1, -2]]);
      const manual = seq[2].forward(seq[1].forward(seq[0].forward(x)));
      expect(vals(seq.forward(x))).toEqual(vals(manual));
      const named = new nn.Sequential(new Map<string, InstanceType<typeof nn.Module>>([["fc", new nn.Linear(2, 2)], ["act", new nn.ReLU()]]));
      expect(named.namedParameters().map(([n]) => n)).toEqual(["fc.weight", "fc.bias"]);
      expect(() => new nn.Sequential(3 as never)).toThrow(/not a Module subclass/);
      expect(new nn.Sequential(new nn.ReLU(), {} as never).length).toBe(1); // generic callers pass {} for no kwargs
    });

    it("a module listed twice in a Sequential runs twice", () => {
      const double = new (class extends nn.Module {
        forward(x: Tensor) {
          return x.mul(2);
        }
      })();
      expect(vals(new nn.Sequential(double, double).forward(torch.tensor([1.5])))).toEqual([6]);
    });

    it("ModuleList registers its modules", () => {
      class Stack extends nn.Module {
        layers = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 1)]);
        forward(x: Tensor) {
          for (const l of this.layers) x = l.forward(x);
          return x;
        }
      }
      const s = new Stack();
      expect(s.namedParameters().map(([n]) => n)).toEqual(["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]);
      s.layers.insert(0, new nn.Identity());
      expect(s.layers[0]).toBeInstanceOf(nn.Identity);
      expect(s.layers.length).toBe(3);
      expect(s.forward(torch.ones(4, 2)).shape).toEqual([4, 1]);
    });
  });

  describe("Linear", () => {
    it("draws PyTorch's initial values for a given seed", () => {
      torch.manualSeed(0);
      const l = new nn.Linear(4, 3);
      expect(vals(l.weight)).toEqual(f32([
        -0.003743410110473633, 0.26822179555892944, -0.4115225672721863, -0.3679695129394531,
        -0.19257718324661255, 0.13407868146896362, -0.009906589984893799, 0.39644473791122437,
        -0.04437202215194702, 0.1323062777519226, -0.15110653638839722, -0.09828269481658936,
      ]));
      expect(vals(l.bias!)).toEqual(f32([-0.4776742458343506, -0.33114105463027954, -0.20611155033111572]));
      torch.manualSeed(0);
      expect(vals(new nn.Linear(2, 2).weight)).toEqual(f32([-0.005293981172144413, 0.37932288646698, -0.5819807648658752, -0.5203874707221985]));
    });

    it("keeps every weight and bias in [-1/sqrt(in), 1/sqrt(in)] with the uniform std", () => {
      const l = new nn.Linear(784, 512);
      const bound = 1 / Math.sqrt(784);
      const w = vals(l.weight);
      expect(w.every((v) => Math.abs(v) <= bound)).toBe(true);
      expect(vals(l.bias!).every((v) => Math.abs(v) <= bound)).toBe(true);
      const mean = w.reduce((a, b) => a + b, 0) / w.length;
      const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
      expect(std / (bound / Math.sqrt(3))).toBeCloseTo(1, 1);
    });

    it("computes x Wᵀ + b for 1-D, 2-D and 3-D input, with or without bias", () => {
      const l = new nn.Linear(2, 3);
      torch.noGrad(() => {
        l.weight.copy_(torch.tensor([[1, 2], [3, 4], [5, 6]]));
        l.bias!.copy_(torch.tensor([0.5, -0.5, 1]));
      });
      expect(vals(l.forward(torch.tensor([1, -1])))).toEqual([-0.5, -1.5, 0]);
      expect(l.forward(torch.ones(4, 5, 2)).shape).toEqual([4, 5, 3]);
      const nb = new nn.Linear({ inFeatures: 2, outFeatures: 1, bias: false });
      expect(nb.bias).toBeNull();
      expect(nb.namedParameters().map(([n]) => n)).toEqual(["weight"]);
      expect(() => l.forward(torch.ones(2, 5))).toThrow("mat1 and mat2 shapes cannot be multiplied (2x5 and 2x3)");
      expect(() => new (nn.Linear as any)(2)).toThrow("Linear() missing required argument 'outFeatures'");
      expect(() => new nn.Linear(-1, 2)).toThrow(/negative dimension/);
    });

    it("backpropagates into weight and bias", () => {
      const l = new nn.Linear(3, 2);
      const x = torch.tensor([[1, 2, 3], [4, 5, 6]]);
      l.forward(x).sum().backward();
      expect(vals(l.weight.grad!)).toEqual([5, 7, 9, 5, 7, 9]);
      expect(vals(l.bias!.grad!)).toEqual([2, 2]);
    });
  });

  describe("activations", () => {
    it("ReLU, Sigmoid, Tanh match their formulas", () => {
      const x = torch.tensor([-2, -0.5, 0, 0.7, 3]);
      expect(vals(new nn.ReLU().forward(x))).toEqual([0, 0, 0, Math.fround(0.7), 3]);
      vals(new nn.Sigmoid().forward(x)).forEach((v, i) => expect(v).toBeCloseTo(1 / (1 + Math.exp(-vals(x)[i])), 6));
      vals(new nn.Tanh().forward(x)).forEach((v, i) => expect(v).toBeCloseTo(Math.tanh(vals(x)[i]), 6));
    });

    it("ReLU(inplace) writes into its input and returns it, recorded in a graph; a leaf that requires grad is refused", () => {
      const x = torch.tensor([-1, 2]);
      expect(new nn.ReLU(true).forward(x)).toBe(x);
      expect(vals(x)).toEqual([0, 2]);
      const y = torch.tensor([-1, 2], { requiresGrad: true });
      expect(() => F.relu(y, { inplace: true })).toThrow("a leaf Variable that requires grad is being used in an in-place operation.");
      const h = y.mul(3);
      const out = F.relu(h, { inplace: true });
      expect(out).toBe(h);
      expect(vals(h.detach())).toEqual([0, 6]);
      out.sum().backward();
      expect(vals(y.grad!)).toEqual([0, 3]);
    });

    it("GELU: erf form by default, tanh approximation on request (PyTorch's values)", () => {
      const x = torch.tensor([-2, -0.5, 0, 0.7, 3]);
      const exact = f32([-0.045500099658966064, -0.1542687863111496, 0, 0.5306254625320435, 2.995950222015381]);
      const approx = f32([-0.04540228843688965, -0.1542859971523285, 0, 0.5305701494216919, 2.9963626861572266]);
      vals(new nn.GELU().forward(x)).forEach((v, i) => expect(v).toBeCloseTo(exact[i], 6));
      vals(new nn.GELU("tanh").forward(x)).forEach((v, i) => expect(v).toBeCloseTo(approx[i], 6));
      expect(() => new nn.GELU("fast" as never)).toThrow("approximate argument must be either none or tanh.");
      expect(String(F.gelu(x.requiresGrad_(true)))).toContain("grad_fn=<GeluBackward0>");
    });

    it("Softmax without dim uses dim 0 for 0-D, 1-D and 3-D input and 1 otherwise, warning once per call site", () => {
      const sm = new nn.Softmax();
      const pick = (shape: number[]) => {
        torch.manualSeed(shape.length);
        const x = torch.randn(shape);
        const out = sm.forward(x);
        const dim = [0, 1].find((d) => d < Math.max(x.ndim, 1) && vals(out).every((v, i) => Math.abs(v - vals(x.softmax(d))[i]) < 1e-7));
        return dim;
      };
      expect([pick([]), pick([4]), pick([2, 3]), pick([2, 3, 4]), pick([2, 3, 2, 2])]).toEqual([0, 0, 1, 0, 1]);
      const msg = "Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument.";
      expect(warnings()).toEqual([msg]); // five calls, one call site
      sm.forward(torch.ones(2, 2)); // another call site
      expect(warnings()).toEqual([msg, msg]);
      new nn.LogSoftmax().forward(torch.ones(3));
      expect(warnings()[2]).toBe("Implicit dimension choice for log_softmax has been deprecated. Change the call to include dim=X as an argument.");
      new nn.Softmax(1).forward(torch.ones(2, 2));
      F.softmax(torch.ones(2, 2), { dim: 0 });
      expect(warnings().length).toBe(3);
    });

    it("Softmax/LogSoftmax with dim match the tensor methods", () => {
      torch.manualSeed(3);
      const x = torch.randn(2, 3, 4);
      expect(vals(new nn.Softmax(-1).forward(x))).toEqual(vals(x.softmax(2)));
      expect(vals(new nn.LogSoftmax({ dim: 1 }).forward(x))).toEqual(vals(x.logSoftmax(1)));
      expect(vals(F.logSoftmax(x, 0))).toEqual(vals(x.logSoftmax(0)));
    });
  });

  describe("Flatten, Identity", () => {
    it("Flatten keeps the batch dim by default; startDim/endDim as options", () => {
      const x = torch.zeros(2, 3, 4, 5);
      expect(new nn.Flatten().forward(x).shape).toEqual([2, 60]);
      expect(new nn.Flatten({ startDim: 0 }).forward(x).shape).toEqual([120]);
      expect(new nn.Flatten(1, 2).forward(x).shape).toEqual([2, 12, 5]);
      expect(() => new nn.Flatten().forward(torch.ones(3))).toThrow("Dimension out of range (expected to be in range of [-1, 0], but got 1)");
    });

    it("Identity returns its input and ignores constructor arguments", () => {
      const x = torch.ones(2);
      expect(new nn.Identity(54, { unused: "argument" }).forward(x)).toBe(x);
    });
  });

  describe("Dropout", () => {
    it("is the identity in eval mode, with p = 0, and for empty input", () => {
      const d = new nn.Dropout(0.3).eval();
      const x = torch.randn(10);
      expect(d.forward(x)).toBe(x);
      expect(new nn.Dropout(0).forward(x)).toBe(x);
    });

    it("p = 1 gives zeros with a zero gradient", () => {
      const x = torch.randn(6).requiresGrad_(true);
      const y = new nn.Dropout(1).forward(x);
      expect(vals(y).every((v) => v === 0)).toBe(true); // (−0 for negative inputs, as x * 0 in PyTorch)
      y.sum().backward();
      expect(vals(x.grad!)).toEqual([0, 0, 0, 0, 0, 0]);
    });

    it("keeps each element scaled by float32(1/(1-p)) or zeroes it, and the gradient follows the mask", () => {
      const p = 0.3;
      const scale = Math.fround(1 / Math.fround(1 - p));
      torch.manualSeed(5);
      const x = torch.randn(4000).requiresGrad_(true);
      const y = new nn.Dropout({ p }).forward(x);
      y.sum().backward();
      const xv = vals(x), yv = vals(y), gv = vals(x.grad!);
      let zeros = 0;
      yv.forEach((v, i) => {
        if (v === 0) {
          zeros++;
          expect(gv[i]).toBe(0);
        } else {
          expect(v).toBe(Math.fround(xv[i] * scale));
          expect(gv[i]).toBe(scale);
        }
      });
      expect(zeros / 4000).toBeGreaterThan(0.26);
      expect(zeros / 4000).toBeLessThan(0.34);
    });

    it("draws PyTorch's mask for a given seed (CPU, non-MKL bernoulli)", () => {
      torch.manualSeed(0);
      const y = F.dropout(torch.ones(12), 0.25);
      const k = Math.fround(4 / 3);
      expect(vals(y)).toEqual([0, k, k, 0, k, 0, k, k, k, k, k, k]);
    });

    it("rejects p outside [0, 1]", () => {
      expect(() => new nn.Dropout(1.5)).toThrow("dropout probability has to be between 0 and 1, but got 1.5");
      expect(() => F.dropout(torch.ones(2), -0.1)).toThrow("dropout probability has to be between 0 and 1, but got -0.1");
    });
  });

  describe("nn.init", () => {
    it("calculateGain follows PyTorch's table", () => {
      expect(nn.init.calculateGain("linear")).toBe(1);
      expect(nn.init.calculateGain("sigmoid")).toBe(1);
      expect(nn.init.calculateGain("tanh")).toBeCloseTo(5 / 3, 15);
      expect(nn.init.calculateGain("relu")).toBe(Math.SQRT2);
      expect(nn.init.calculateGain("leaky_relu")).toBeCloseTo(1.4141428569978354, 15);
      expect(nn.init.calculateGain("leaky_relu", 0.2)).toBeCloseTo(1.3867504905630728, 15);
      expect(nn.init.calculateGain("selu")).toBe(0.75);
      expect(() => nn.init.calculateGain("swish")).toThrow("Unsupported nonlinearity swish");
    });

    it("initialises parameters in place (under noGrad) within the documented bounds", () => {
      const w = new nn.Parameter(torch.empty(300, 200));
      const inBounds = (t: Tensor, b: number) => vals(t).every((v) => Math.abs(v) <= b);
      const sampleStd = (t: Tensor) => {
        const v = vals(t);
        const m = v.reduce((a, b) => a + b, 0) / v.length;
        return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
      };
      expect(nn.init.uniform_(w, -0.1, 0.1)).toBe(w);
      expect(inBounds(w, 0.1)).toBe(true);
      nn.init.xavier_uniform_(w);
      const xb = Math.sqrt(6 / 500);
      expect(inBounds(w, xb)).toBe(true);
      const near = (a: number, b: number) => expect(Math.abs(a / b - 1)).toBeLessThan(0.02); // 60000 samples
      near(sampleStd(w), xb / Math.sqrt(3));
      nn.init.xavier_normal_(w, { gain: 2 });
      near(sampleStd(w), 2 * Math.sqrt(2 / 500));
      nn.init.kaiming_uniform_(w, { mode: "fan_out", nonlinearity: "relu" });
      expect(inBounds(w, Math.sqrt(6 / 300))).toBe(true);
      nn.init.kaiming_normal_(w);
      near(sampleStd(w), Math.sqrt(2 / 200));
      nn.init.normal_(w, 3, 0.5);
      near(sampleStd(w), 0.5);
      nn.init.constant_(w, 0.25);
      expect(vals(w).every((v) => v === 0.25)).toBe(true);
      expect(vals(nn.init.ones_(torch.empty(2)))).toEqual([1, 1]);
      expect(vals(nn.init.zeros_(torch.ones(2)))).toEqual([0, 0]);
      expect(w.requiresGrad).toBe(true);
    });

    it("reproduces Linear's init with kaiming_uniform_(a=sqrt(5)) and reports PyTorch's errors", () => {
      torch.manualSeed(7);
      const l = new nn.Linear(5, 4, { bias: false });
      torch.manualSeed(7);
      const w = nn.init.kaiming_uniform_(torch.empty(4, 5), Math.sqrt(5));
      expect(vals(w)).toEqual(vals(l.weight));
      expect(() => nn.init.xavier_uniform_(torch.empty(3))).toThrow("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
      expect(() => nn.init.kaiming_uniform_(torch.empty(2, 2), { mode: "fan" as never })).toThrow("Mode fan not supported, please use one of ['fan_in', 'fan_out']");
      nn.init.kaiming_uniform_(torch.empty(0, 3));
      expect(warnings()).toEqual(["Initializing zero-element tensors is a no-op"]);
    });
  });

  describe("calling convention", () => {
    it("accepts every parameter positionally or in the options object, and rejects unknown ones", () => {
      expect(new nn.Softmax({ dim: 1 }).dim).toBe(1);
      expect(new nn.Dropout(0.2, true).inplace).toBe(true);
      expect(new nn.Dropout({ p: 0.2, inplace: true }).p).toBe(0.2);
      expect(() => new nn.Linear(2, 3, { in_features: 2 } as never)).toThrow(`Linear() got an unexpected keyword argument 'in_features' (options use camelCase: "inFeatures")`);
      expect(() => new nn.Linear(2, 3, { inFeatures: 2 })).toThrow("Linear() got multiple values for argument 'inFeatures'");
      expect(() => new (nn.Flatten as any)(1, -1, 3)).toThrow("Flatten() takes at most 2 positional argument(s) but 3 were given");
    });

    it("functional forms: linear, oneHot, flatten", () => {
      const x = torch.tensor([[1, 2]]);
      const w = torch.tensor([[1, 0], [0, 1], [1, 1]]);
      expect(vals(F.linear(x, w, torch.tensor([0, 0, 1])))).toEqual([1, 2, 4]);
      expect(vals(F.linear(x, w))).toEqual([1, 2, 3]);
      const oh = F.oneHot(torch.tensor([2, 0], { dtype: "int64" }), 3);
      expect(oh.dtype).toBe("int64");
      expect(oh.tolist()).toEqual([[0, 0, 1], [1, 0, 0]]);
      expect(F.oneHot(torch.tensor([1, 3], { dtype: "int64" })).shape).toEqual([2, 4]);
      expect(() => F.oneHot(torch.tensor([1]))).toThrow("one_hot is only applicable to index tensor.");
      expect(F.flatten(torch.zeros(2, 3, 4), 1).shape).toEqual([2, 12]);
    });
  });
});
