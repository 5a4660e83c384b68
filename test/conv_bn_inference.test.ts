// The conv + batch norm inference path (nn/conv_bn.ts) of nn.Sequential and the ResNets: under
// noGrad in eval mode the batch norm runs in place on the convolution's output. Its output must be bit for bit that of
// the modules run as written (forced here by a no-op hook), and wherever something could see the
// intermediate (a hook on either module, a subclass, grad mode, train mode) the modules
// must run as written: the intermediate a hook captured is the convolution's own output.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { BatchNorm2d } from "../lib/nn/normalization.js";

const { nn } = torch;

/** A resnet18 in eval mode whose BN statistics are not the identity (so a skipped BN shows). */
function model(): ReturnType<typeof torch.vision.models.resnet18> {
  torch.manualSeed(1);
  const m = torch.vision.models.resnet18({ numClasses: 7 });
  torch.noGrad(() => {
    for (const mod of m.modules()) {
      if (!(mod instanceof BatchNorm2d)) continue;
      mod.running_mean!.uniform_(-0.5, 0.5);
      mod.running_var!.uniform_(0.5, 2);
      mod.weight!.uniform_(0.5, 1.5);
      mod.bias!.uniform_(-0.2, 0.2);
    }
  });
  return m.eval();
}

/** The model's output with every batch norm forced onto the written path (a no-op forward hook each). */
function asWritten(m: ReturnType<typeof model>, x: Tensor): Tensor {
  const handles = [...m.modules()].filter((mod) => mod instanceof BatchNorm2d).map((mod) => mod.registerForwardHook(() => undefined));
  try {
    return torch.noGrad(() => m(x));
  } finally {
    handles.forEach((h) => h.remove());
  }
}

describe("ResNet conv + batch norm in inference", () => {
  const x = torch.randn(2, 3, 64, 64);

  it("gives the bits of the modules run as written", () => {
    const m = model();
    const fast = torch.noGrad(() => m(x));
    expect(fast.equal(asWritten(m, x))).toBe(true);
    // the input is untouched, and grad mode (the written path) agrees
    const again = m(x);
    expect(again.detach().equal(fast)).toBe(true);
  });

  it("leaves a hooked convolution's output as the convolution made it", () => {
    const m = model();
    let seen: Tensor | null = null;
    m.conv1.registerForwardHook((_mod, _args, out) => void (seen = out as Tensor));
    torch.noGrad(() => m(x));
    const conv = torch.noGrad(() => nn.functional.conv2d(x, m.conv1.weight, null, 2, 3));
    expect(seen!.equal(conv)).toBe(true);
  });

  it("runs a subclass as written (here a convolution that keeps its last output)", () => {
    const m = model();
    class Remember extends nn.Conv2d {
      last: Tensor | null = null;
      override forward(t: Tensor): Tensor {
        return (this.last = super.forward(t));
      }
    }
    const conv = new Remember(3, 64, 7, { stride: 2, padding: 3, bias: false });
    torch.noGrad(() => conv.weight.copy_(m.conv1.weight));
    m.conv1 = conv;
    const out = torch.noGrad(() => m(x));
    const want = torch.noGrad(() => nn.functional.conv2d(x, conv.weight, null, 2, 3));
    expect(conv.last!.equal(want)).toBe(true); // not normalized in place under the subclass's feet
    expect(out.equal(asWritten(m, x))).toBe(true);
  });

  it("takes the batch statistics in train mode, as written", () => {
    const m = model().train();
    const bn = m.bn1 as BatchNorm2d;
    const before = bn.running_mean!.clone();
    const y = torch.noGrad(() => m(x));
    expect(bn.running_mean!.equal(before)).toBe(false); // the train-mode batch norm ran
    expect(y.shape).toEqual([2, 7]);
  });
});

describe("nn.Sequential conv + batch norm in inference", () => {
  /** The CNN of the FashionMNIST example's shape, with non-trivial BN statistics, in eval mode. */
  function cnn(): torch.nn.Sequential {
    torch.manualSeed(2);
    const s = new nn.Sequential(
      new nn.Conv2d(1, 8, 3, { padding: 1 }), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2),
      new nn.Conv2d(8, 16, 3, { padding: 1 }), new nn.BatchNorm2d(16), new nn.ReLU(),
    );
    torch.noGrad(() => {
      for (const m of s.modules()) if (m instanceof BatchNorm2d) { m.running_mean!.uniform_(-1, 1); m.running_var!.uniform_(0.5, 2); }
    });
    return s.eval() as torch.nn.Sequential;
  }
  const x = torch.randn(4, 1, 28, 28);

  it("gives the bits of the children run one by one", () => {
    const s = cnn();
    const fast = torch.noGrad(() => s(x));
    let slow = x;
    torch.noGrad(() => {
      for (const m of s) slow = m(slow) as Tensor;
    });
    expect(fast.equal(slow)).toBe(true);
  });

  it("leaves a hooked convolution's output (and the BN's input) as the convolution made it", () => {
    const s = cnn();
    const conv = s.at(0) as torch.nn.Conv2d;
    let out: Tensor | null = null;
    let bnIn: Tensor | null = null;
    conv.registerForwardHook((_m, _a, o) => void (out = o as Tensor));
    s.at(1).registerForwardPreHook((_m, args) => void (bnIn = args[0] as Tensor));
    torch.noGrad(() => s(x));
    const want = torch.noGrad(() => nn.functional.conv2d(x, conv.weight, conv.bias, 1, 1));
    expect(out!.equal(want)).toBe(true);
    expect(bnIn!.equal(want)).toBe(true);
  });

  it("gives an unbatched input batch norm's own error, as written", () => {
    const s = cnn();
    const written = (() => {
      try {
        torch.noGrad(() => s.at(1)(torch.randn(8, 28, 28)));
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    })();
    expect(written).toMatch(/expected 4D input/);
    expect(() => torch.noGrad(() => s(torch.randn(1, 28, 28)))).toThrow(written);
  });
});

