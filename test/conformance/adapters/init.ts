// Kind 6: init facts for nn.Linear. PyTorch's random stream can't be reproduced, so a fresh Linear
// must have every weight and bias inside [low, high], and for large tensors a sample std near
// PyTorch's. NOTE: the bounds are float64; float32 storage can only reach fround(bound).
// ref: FORMAT.md section 6; torch/nn/modules/linear.py reset_parameters.
import type { Tensor } from "../../../lib/index.js";
import { elements, fmtNumber } from "../compare.js";
import { skip, type Case } from "../types.js";
import { buildModule, namedParams } from "./modules.js";

interface Fact {
  shape: number[];
  distribution: string;
  low: number;
  high: number;
  std: number;
}

function checkFact(name: string, t: Tensor | undefined, f: Fact): string[] {
  if (f.distribution !== "uniform") skip(`init fact for a ${f.distribution} distribution has no check in the runner`);
  if (t === undefined) return [`${name}: missing`];
  if (t.shape.join() !== f.shape.join()) return [`${name}: shape want [${f.shape.join(", ")}] got [${t.shape.join(", ")}]`];
  const v = elements(t);
  const lo = Math.fround(f.low);
  const hi = Math.fround(f.high);
  const out = v.findIndex((x) => !(x >= lo && x <= hi));
  const diffs: string[] = [];
  if (out >= 0) diffs.push(`${name}[${out}] = ${fmtNumber(v[out])} is outside [${f.low}, ${f.high}]`);
  if (v.length >= 100) {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
    // The sample std of n uniform draws has a relative spread of about 0.45/sqrt(n): allow 6 of those.
    const slack = (6 * 0.45 * f.std) / Math.sqrt(v.length);
    if (Math.abs(std - f.std) > slack) diffs.push(`${name}: sample std want about ${f.std} got ${std}`);
  }
  return diffs;
}

export function runInitCase(c: Case): string[] {
  const linear = buildModule({ op: "nn.Linear", ctor_args: c.ctor_args, ctor_kwargs: c.ctor_kwargs });
  const params = namedParams(linear);
  const diffs: string[] = [];
  for (const name of ["weight", "bias"]) {
    const fact = c.expect?.[name] as Fact | undefined;
    if (fact) diffs.push(...checkFact(name, params.get(name), fact));
    else if (params.has(name)) diffs.push(`${name}: PyTorch's Linear has none here`);
  }
  return diffs;
}
