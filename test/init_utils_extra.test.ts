// nn.init's trunc_normal_, orthogonal_, sparse_, eye_, dirac_ and the camelCase spellings;
// nn.utils.parameters_to_vector / vector_to_parameters; autograd.Variable and anomaly mode.
// Expected values follow from each definition.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend } from "./helpers/backends.js";

const init = torch.nn.init;

describe.each(backends())("nn.init extras [%s]", (name) => {
  useBackend(name);

  it("orthogonal_ gives orthonormal rows (wide) or columns (tall) times gain, deterministic for a seed", () => {
    const w = torch.empty(3, 5, { dtype: "float64" });
    torch.manualSeed(0);
    init.orthogonal_(w);
    const wwT = w.matmul(w.t()).tolist() as number[][];
    wwT.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 12)));
    const t = torch.empty(5, 3, { dtype: "float64" });
    init.orthogonal_(t, 2);
    const tTt = t.t().matmul(t).tolist() as number[][];
    tTt.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 4 : 0, 12)));
    const a = torch.empty(4, 4);
    torch.manualSeed(3);
    init.orthogonal_(a);
    const b = torch.empty(4, 4);
    torch.manualSeed(3);
    init.orthogonal_(b);
    expect(a.equal(b)).toBe(true);
    expect(() => init.orthogonal_(torch.empty(3))).toThrow("Only tensors with 2 or more dimensions are supported");
  });

  it("trunc_normal_ stays in [a, b] with about the truncated normal's mean", () => {
    torch.manualSeed(0);
    const w = init.trunc_normal_(torch.empty(20000, { dtype: "float64" }), { mean: 0.1, std: 0.5, a: -0.3, b: 0.4 });
    expect(w.min().item()).toBeGreaterThanOrEqual(-0.3);
    expect(w.max().item()).toBeLessThanOrEqual(0.4);
    // mean of N(0.1, 0.25) truncated to [-0.3, 0.4]: mu + sigma (phi(alpha) - phi(beta)) / (Phi(beta) - Phi(alpha))
    const phi = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    const [al, be] = [(-0.3 - 0.1) / 0.5, (0.4 - 0.1) / 0.5];
    const Phi = (x: number) => { let s = 0; for (let k = 0; k < 4000; k++) { const t = -8 + ((x + 8) * (k + 0.5)) / 4000; s += phi(t); } return (s * (x + 8)) / 4000; };
    const mean = 0.1 + (0.5 * (phi(al) - phi(be))) / (Phi(be) - Phi(al));
    expect(w.mean().item()).toBeCloseTo(mean, 2);
    expect(torch.nn.init.truncNormal_).toBe(init.trunc_normal_);
  });

  it("sparse_ zeroes ceil(sparsity * rows) entries of every column; eye_ and dirac_ are identities", () => {
    torch.manualSeed(0);
    const s = init.sparse_(torch.empty(10, 4), 0.3);
    for (let c = 0; c < 4; c++) expect((s.index(":", c).eq(0).sum().item() as number)).toBe(3);
    expect(init.eye_(torch.empty(2, 3)).tolist()).toEqual([[1, 0, 0], [0, 1, 0]]);
    const x = torch.randn(1, 2, 7);
    const w = init.dirac_(torch.empty(2, 2, 3));
    expect(torch.nn.functional.conv1d(x, w, null, 1, 1).equal(x)).toBe(true); // passes the input through
    const g = init.dirac_(torch.empty(4, 2, 3), { groups: 2 });
    expect(g.sum().item()).toBe(4);
    expect(() => init.eye_(torch.empty(2, 2, 2))).toThrow("Only tensors with 2 dimensions are supported");
    expect(() => init.dirac_(torch.empty(2, 2))).toThrow("Only tensors with 3, 4, or 5 dimensions are supported");
  });

  it("the camelCase names are the snake_case initialisers", () => {
    expect(init.xavierUniform_).toBe(init.xavier_uniform_);
    expect(init.kaimingNormal_).toBe(init.kaiming_normal_);
  });
});

describe("nn.utils vectors, autograd legacy", () => {
  it("parameters_to_vector concatenates; vector_to_parameters writes back in order", () => {
    const lin = new torch.nn.Linear(3, 2);
    const v = torch.nn.utils.parametersToVector(lin.parameters());
    expect(v.shape).toEqual([8]);
    expect(v.narrow(0, 0, 6).equal(lin.weight.flatten())).toBe(true);
    torch.nn.utils.vectorToParameters(torch.arange(8, { dtype: "float32" }), lin.parameters());
    expect(lin.weight.tolist()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(lin.bias!.tolist()).toEqual([6, 7]);
    expect(lin.weight.requiresGrad).toBe(true);
  });

  it("Variable returns the tensor; anomaly mode is recorded and scoped", () => {
    const x = torch.ones(2);
    expect(torch.autograd.Variable(x, { requiresGrad: true })).toBe(x);
    expect(x.requiresGrad).toBe(true);
    expect(torch.isAnomalyEnabled()).toBe(false);
    torch.autograd.detectAnomaly(() => expect(torch.autograd.isAnomalyEnabled()).toBe(true));
    torch.autograd.setDetectAnomaly(true);
    expect(torch.isAnomalyEnabled()).toBe(true);
    torch.autograd.setDetectAnomaly(false);
  });
});
