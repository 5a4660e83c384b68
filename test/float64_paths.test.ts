// float64 end to end: every op a model uses keeps float64 in its output and its gradient (no float32
// kernel or buffer on the way), so torch.setDefaultDtype("float64") and model.double() compute in
// double. The sweep is the class check; the value checks compare with sums and products in double.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend } from "./helpers/backends.js";

const F = torch.nn.functional;
const long = (xs: number[] | number[][]) => torch.tensor(xs, { dtype: "int64" });
/** Values no float32 holds, so any float32 step shows in the result. */
const X = [[0.3, -1.2, 2.5, 0.7], [1.1, 0.4, -0.6, 1.9], [-0.2, 0.9, 1.3, -2.1]].map((r) => r.map((v) => v + 1e-12));

const OPS: [string, (x: torch.Tensor) => torch.Tensor][] = [
  ["prod", (x) => x.prod()], ["prod(dim)", (x) => x.prod(1)], ["cumprod", (x) => x.cumprod(1)], ["cumsum", (x) => x.cumsum(1)],
  ["softmax", (x) => x.softmax(1)], ["logSoftmax", (x) => x.logSoftmax(1)], ["logsumexp", (x) => x.logsumexp(1)], ["amax", (x) => x.amax(1)],
  ["norm", (x) => x.norm()], ["std", (x) => x.std()], ["sort", (x) => x.sort(1).values], ["median", (x) => x.median()],
  ["gelu", (x) => F.gelu(x)], ["silu", (x) => F.silu(x)], ["mish", (x) => F.mish(x)], ["softplus", (x) => F.softplus(x)],
  ["layerNorm", (x) => F.layerNorm(x, [4])], ["batchNorm", (x) => F.batchNorm(x, null, null, null, null, true)],
  ["groupNorm", (x) => F.groupNorm(x.unsqueeze(2), 2)], ["instanceNorm", (x) => F.instanceNorm(x.reshape(1, 3, 4))],
  ["matmul", (x) => x.matmul(x.t())], ["mseLoss", (x) => F.mseLoss(x, x.detach().mul(0.5))],
  ["crossEntropy", (x) => F.crossEntropy(x, long([0, 1, 3]))], ["crossEntropy(probs)", (x) => F.crossEntropy(x, x.detach().softmax(1))],
  ["bceWithLogits", (x) => F.binaryCrossEntropyWithLogits(x, x.detach().sigmoid())],
  ["maxPool1d", (x) => F.maxPool1d(x.unsqueeze(0), 2)], ["avgPool1d", (x) => F.avgPool1d(x.unsqueeze(0), 2)],
  ["maxPool2d", (x) => F.maxPool2d(x.reshape(1, 1, 3, 4), 2)], ["maxPool2d(ceil, pad)", (x) => F.maxPool2d(x.reshape(1, 1, 3, 4), 2, { ceilMode: true, padding: 1 })],
  ["avgPool2d", (x) => F.avgPool2d(x.reshape(1, 1, 3, 4), 2)], ["avgPool2d(pad)", (x) => F.avgPool2d(x.reshape(1, 1, 3, 4), 3, { stride: 1, padding: 1, countIncludePad: false })],
  ["adaptiveAvgPool2d", (x) => F.adaptiveAvgPool2d(x.reshape(1, 1, 3, 4), 2)], ["adaptiveMaxPool2d", (x) => F.adaptiveMaxPool2d(x.reshape(1, 1, 3, 4), [2, 3]) as torch.Tensor],
  ["conv2d", (x) => F.conv2d(x.reshape(1, 1, 3, 4), x.detach().reshape(1, 1, 3, 4).narrow(2, 0, 2).narrow(3, 0, 2).contiguous())],
  ["interpolate", (x) => F.interpolate(x.reshape(1, 1, 3, 4), { scaleFactor: 2, mode: "bilinear" })], ["pad(reflect)", (x) => F.pad(x, [1, 1], "reflect")],
  ["embedding", (x) => F.embedding(long([0, 2]), x)], ["normalize", (x) => F.normalize(x)], ["unfold", (x) => F.unfold(x.reshape(1, 1, 3, 4), 2)],
];

describe.each(backends())("float64 paths [%s]", (name) => {
  useBackend(name);

  it.each(OPS)("%s keeps float64 in its output and its gradient", (_, f) => {
    const x = torch.tensor(X, { dtype: "float64", requiresGrad: true });
    const y = f(x);
    expect(y.dtype).toBe("float64");
    y.sum().backward();
    expect(x.grad!.dtype).toBe("float64");
  });

  it("prod and cumprod gradients are the products of the others, in double", () => {
    const v = [1.1, 2.3, 3.7];
    const x = torch.tensor(v, { dtype: "float64", requiresGrad: true });
    x.prod().backward();
    expect(x.grad!.tolist()).toEqual([v[1] * v[2], v[0] * v[2], v[0] * v[1]]);
    const y = torch.tensor(v, { dtype: "float64", requiresGrad: true });
    y.cumprod(0).sum().backward();
    // d/dx0 (x0 + x0x1 + x0x1x2) = 1 + x1 + x1x2, ...
    const g = y.grad!.tolist() as number[];
    expect(g[0]).toBeCloseTo(1 + v[1] + v[1] * v[2], 14);
    expect(g[1]).toBeCloseTo(v[0] + v[0] * v[2], 14);
    expect(g[2]).toBeCloseTo(v[0] * v[1], 14);
  });

  it("pools select and average in double", () => {
    const x = torch.tensor(X, { dtype: "float64" }).reshape(1, 1, 3, 4);
    const [values, indices] = F.maxPool2d(x, 2, { returnIndices: true }) as [torch.Tensor, torch.Tensor];
    const flat = x.flatten().tolist() as number[];
    expect(values.flatten().tolist()).toEqual((indices.flatten().tolist() as number[]).map((i) => flat[i]));
    const avg = F.avgPool2d(x, 2).flatten().tolist() as number[];
    const r = X;
    expect(avg[0]).toBeCloseTo((r[0][0] + r[0][1] + r[1][0] + r[1][1]) / 4, 15);
    expect(avg[1]).toBeCloseTo((r[0][2] + r[0][3] + r[1][2] + r[1][3]) / 4, 15);
    expect(Math.fround(avg[0])).not.toBe(avg[0]);
    const g = torch.tensor(X, { dtype: "float64", requiresGrad: true });
    F.avgPool2d(g.reshape(1, 1, 3, 4), 2).sum().backward();
    expect(g.grad!.flatten().tolist()).toEqual([0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0, 0, 0, 0]);
  });

  it("activations take their scalar parameters in double for float64 (not rounded to float32)", () => {
    const x = torch.tensor([-1, 0.3, 2], { dtype: "float64" });
    expect(F.leakyRelu(x, 0.1).tolist()).toEqual([-1 * 0.1, 0.3, 2]);
    expect(F.hardtanh(x, -0.3, 0.3).tolist()).toEqual([-0.3, 0.3, 0.3]);
    expect(F.softshrink(x, 0.1).tolist()).toEqual([-1 + 0.1, 0.3 - 0.1, 2 - 0.1]);
    expect(F.hardshrink(torch.tensor([0.1, 0.30000000001], { dtype: "float64" }), 0.3).tolist()).toEqual([0, 0.30000000001]);
  });

  it("multinomial takes float64 weights; Normalize takes float64 images", () => {
    torch.manualSeed(0);
    const s = torch.multinomial(torch.tensor([0, 0.2, 0, 0.8], { dtype: "float64" }), 50, true).tolist() as number[];
    expect(s.every((i) => i === 1 || i === 3)).toBe(true);
    expect(torch.multinomial(torch.tensor([0.1, 0.2, 0.7], { dtype: "float64" }), 3).sort().values.tolist()).toEqual([0, 1, 2]);
    expect(() => torch.multinomial(long([1, 2]), 1)).toThrow("multinomial only supports floating-point dtypes for input, got: Long");
    const img = torch.tensor([[[0.1 + 1e-12, 0.7]]], { dtype: "float64" });
    const out = new torch.vision.transforms.Normalize([0.3], [0.2]).forward(img);
    expect(out.dtype).toBe("float64");
    expect(out.flatten().tolist()).toEqual([(0.1 + 1e-12 - 0.3) / 0.2, (0.7 - 0.3) / 0.2]);
  });
});
