// vision.models.resnet18/34/50: torchvision 0.14's architecture. The state-dict keys and shapes are
// checked against a list derived here from torchvision's source (models/resnet.py: stem conv1/bn1,
// layer1-4 of BasicBlocks conv1 bn1 conv2 bn2 [downsample.0 conv1x1, downsample.1 BN], fc), parameter
// counts against torchvision's documented ones, torchvision's init, output shapes and a backward pass
// on both backends (small images: the adaptive pool makes any size from 32x32 up work), and errors.
// The check that saved weights load into torchvision and predict the same is scripts/check_resnet_torch.py.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { expectAll } from "./helpers/expect_all.js";

const { nn } = torch;
const { models } = torch.vision;

/** torchvision's BatchNorm2d entries: two parameters, then the three buffers. */
function bnKeys(prefix: string, c: number): [string, number[]][] {
  return [[`${prefix}.weight`, [c]], [`${prefix}.bias`, [c]], [`${prefix}.running_mean`, [c]], [`${prefix}.running_var`, [c]], [`${prefix}.num_batches_tracked`, []]];
}

/** resnet18's state dict in torchvision's order, derived from resnet.py (BasicBlock, [2, 2, 2, 2]). */
function resnet18Keys(numClasses: number): [string, number[]][] {
  const out: [string, number[]][] = [["conv1.weight", [64, 3, 7, 7]], ...bnKeys("bn1", 64)];
  let inplanes = 64;
  [64, 128, 256, 512].forEach((planes, s) => {
    for (let b = 0; b < 2; b++) {
      const p = `layer${s + 1}.${b}`;
      const cin = b === 0 ? inplanes : planes;
      out.push([`${p}.conv1.weight`, [planes, cin, 3, 3]], ...bnKeys(`${p}.bn1`, planes));
      out.push([`${p}.conv2.weight`, [planes, planes, 3, 3]], ...bnKeys(`${p}.bn2`, planes));
      // The first block of stages 2-4 strides by 2 and changes the width: a conv1x1/2 + BN shortcut.
      if (b === 0 && s > 0) out.push([`${p}.downsample.0.weight`, [planes, cin, 1, 1]], ...bnKeys(`${p}.downsample.1`, planes));
    }
    inplanes = planes;
  });
  out.push(["fc.weight", [numClasses, 512]], ["fc.bias", [numClasses]]);
  return out;
}

const numParams = (m: torch.nn.Module) => m.parameters().reduce((n, p) => n + p.numel(), 0);

describe("vision.models.resnet18: names, shapes, init", () => {
  torch.manualSeed(0);
  const model = models.resnet18();

  it("stateDict keys and shapes equal torchvision's, in its order", () => {
    const sd = model.stateDict();
    const want = resnet18Keys(1000);
    expect(Object.keys(sd)).toEqual(want.map(([k]) => k));
    for (const [k, shape] of want) expect(sd[k].shape, k).toEqual(shape);
    expect(Object.keys(sd)).toHaveLength(122);
    expect(Object.keys(sd)).toContain("layer1.0.conv1.weight");
    expect(Object.keys(sd)).toContain("layer2.0.downsample.0.weight");
    expect(Object.keys(sd)).toContain("layer4.1.bn2.running_var");
  });

  it("has 11,689,512 parameters for 1000 classes (torchvision's count)", () => {
    expect(numParams(model)).toBe(11_689_512);
    expect(model.namedParameters().map(([k]) => k)).toEqual(resnet18Keys(1000).map(([k]) => k).filter((k) => !/running_|num_batches/.test(k)));
  });

  it("torchvision's init: conv weights N(0, 2/fan_out), BN weight 1 and bias 0, buffers fresh", () => {
    for (const [name, m] of model.namedModules()) {
      if (m instanceof nn.Conv2d) {
        const fanOut = m.outChannels * m.kernelSize[0] * m.kernelSize[1];
        const mean = m.weight.mean().item();
        const std = m.weight.sub(mean).pow(2).mean().sqrt().item();
        // NOTE: loose bounds: the smallest conv (downsample 64->128, 1x1) has 8192 draws.
        expect(Math.abs(mean), name).toBeLessThan(0.05 * Math.sqrt(2 / fanOut));
        expect(std / Math.sqrt(2 / fanOut), name).toBeGreaterThan(0.97);
        expect(std / Math.sqrt(2 / fanOut), name).toBeLessThan(1.03);
        expect(m.bias, name).toBeNull();
      } else if (m instanceof nn.BatchNorm2d) {
        expect(new Set(vals(m.weight!)), name).toEqual(new Set([1]));
        expect(new Set(vals(m.bias!)), name).toEqual(new Set([0]));
        expect(new Set(vals(m.running_mean!)), name).toEqual(new Set([0]));
        expect(new Set(vals(m.running_var!)), name).toEqual(new Set([1]));
      }
    }
    // fc keeps nn.Linear's default: U(-1/sqrt(512), 1/sqrt(512)).
    expect(model.fc.weight.abs().max().item()).toBeLessThanOrEqual(1 / Math.sqrt(512));
  });

  it("is reproducible for a seed", () => {
    torch.manualSeed(0);
    const again = models.resnet18();
    const a = model.stateDict(), b = again.stateDict();
    for (const k of ["conv1.weight", "layer3.0.downsample.0.weight", "fc.weight", "fc.bias"]) expect(Boolean(b[k].ne(a[k]).any().item()), k).toBe(false);
  });

  it("zeroInitResidual zeros each block's last BN weight only", () => {
    const m = models.resnet18({ numClasses: 10, zeroInitResidual: true });
    for (const [name, t] of Object.entries(m.stateDict())) {
      if (!name.endsWith(".weight") || !name.includes("bn")) continue;
      expect(new Set(vals(t)), name).toEqual(new Set([name.endsWith("bn2.weight") ? 0 : 1]));
    }
    expect(m.fc.weight.shape).toEqual([10, 512]);
  });

  it("prints as torchvision's repr", () => {
    const s = String(model);
    expect(s.split("\n")[0]).toBe("ResNet(");
    expect(s).toContain("(conv1): Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3), bias=False)");
    expect(s).toContain("(maxpool): MaxPool2d(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=False)");
    expect(s).toContain("(0): Conv2d(64, 128, kernel_size=(1, 1), stride=(2, 2), bias=False)");
    expect(s).toContain("(fc): Linear(in_features=512, out_features=1000, bias=True)");
  });
});

describe("vision.models: resnet34 and resnet50", () => {
  it("parameter counts equal torchvision's (21,797,672 and 25,557,032)", () => {
    const r34 = models.resnet34();
    expect(numParams(r34)).toBe(21_797_672);
    expect(r34.layer3.length).toBe(6);
    const r50 = models.resnet50();
    expect(numParams(r50)).toBe(25_557_032);
    const keys = Object.keys(r50.stateDict());
    expect(keys).toContain("layer1.0.downsample.0.weight"); // Bottleneck widens 64 -> 256 in stage 1
    expect(keys).toContain("layer4.2.conv3.weight");
    expect(r50.stateDict()["layer2.0.conv2.weight"].shape).toEqual([128, 128, 3, 3]); // stride on the 3x3 (V1.5)
    expect(r50.fc.weight.shape).toEqual([1000, 2048]);
  });
});

for (const name of backends()) {
  describe(`vision.models.resnet18 forward/backward [${name}]`, () => {
    useBackend(name);

    it("maps [N,3,H,W] to [N,numClasses]; a training step gives every parameter a gradient", () => {
      torch.manualSeed(1);
      const m = models.resnet18({ numClasses: 10 });
      const x = torch.randn(2, 3, 32, 32);
      const y = torch.tensor([3, 7], { dtype: "int64" });
      const out = m(x);
      expect(out.shape).toEqual([2, 10]);
      const loss = new nn.CrossEntropyLoss()(out, y);
      expect(Number.isFinite(loss.item())).toBe(true);
      loss.backward();
      for (const [k, p] of m.namedParameters()) {
        expect(p.grad, k).not.toBeNull();
        expect(p.grad!.shape, k).toEqual(p.shape);
        expect(Boolean(p.grad!.isfinite().all().item()), k).toBe(true);
      }
      // Train mode updated BN's running statistics once.
      expect(vals((m.bn1 as torch.nn.BatchNorm2d).num_batches_tracked!)).toEqual([1]);
      const before = m.fc.weight.clone();
      new torch.optim.SGD(m.parameters(), { lr: 0.1 }).step();
      expect(Boolean(m.fc.weight.ne(before).any().item())).toBe(true);
    });

    it("eval mode: noGrad (in-place residual adds) gives the same logits as a recorded forward", () => {
      torch.manualSeed(2);
      const m = models.resnet18({ numClasses: 5 });
      m.eval();
      const x = torch.randn(1, 3, 40, 40);
      const recorded = m(x);
      expect(recorded.requiresGrad).toBe(true);
      const plain: Tensor = torch.noGrad(() => m(x));
      expect(plain.shape).toEqual([1, 5]);
      expect(vals(plain)).toEqual(vals(recorded));
      expect(vals((m.bn1 as torch.nn.BatchNorm2d).num_batches_tracked!)).toEqual([0]);
    });
  });
}

describe("vision.models: errors", () => {
  it("are worded as torchvision's", () => {
    expectAll([
      ["weights", () => models.resnet18({ weights: "IMAGENET1K_V1" as unknown as null }), Error, /pretrained weights are not available/],
      ["unknown option", () => models.resnet18({ num_classes: 10 } as never), TypeError, /unexpected keyword argument 'num_classes' \(options use camelCase: "numClasses"\)/],
      ["groups", () => new models.BasicBlock(64, 64, 1, null, { groups: 2 }), RangeError, /^BasicBlock only supports groups=1 and base_width=64$/],
      ["dilation", () => new models.BasicBlock(64, 64, 1, null, { dilation: 2 }), Error, /^Dilation > 1 not supported in BasicBlock$/],
      ["dilation in resnet18", () => models.resnet18({ replaceStrideWithDilation: [false, false, true] }), Error, /^Dilation > 1 not supported in BasicBlock$/],
      ["dilation list", () => new models.ResNet(models.Bottleneck, [1, 1, 1, 1], { replaceStrideWithDilation: [true] }), RangeError, /^replace_stride_with_dilation should be None or a 3-element tuple/],
      ["layers", () => new models.ResNet(models.BasicBlock, [2, 2, 2]), RangeError, /layers must be a list of 4 block counts/],
      ["block", () => new models.ResNet(nn.Linear as never, [2, 2, 2, 2]), TypeError, /block must be BasicBlock, Bottleneck/],
    ]);
  });
});
