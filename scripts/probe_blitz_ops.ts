// Issue #12's op list, probed by name on torch.* and Tensor.prototype (camelCase, as torchlet
// spells PyTorch's snake_case), plus torch.linalg.*: prints each missing name. A presence check
// only; semantics are the tests' job. Run: npx tsx scripts/probe_blitz_ops.ts
import * as torch from "../lib/index.js";

// [name, on torch, on Tensor]: false where PyTorch itself has no such spelling.
const OPS: [string, boolean, boolean][] = [
  ["split", true, true], ["chunk", true, true], ["unbind", true, true], ["narrow", true, true],
  ["movedim", true, true], ["repeat", false, true], ["tile", true, true], ["repeatInterleave", true, true],
  ["flip", true, true], ["roll", true, true], ["tril", true, true], ["triu", true, true], ["diag", true, true],
  ["diagonal", true, true], ["trace", true, true], ["outer", true, true], ["addmm", true, true],
  ["addmv", true, true], ["baddbmm", true, true], ["topk", true, true], ["sort", true, true],
  ["argsort", true, true], ["cumsum", true, true], ["cumprod", true, true], ["prod", true, true],
  ["std", true, true], ["var", true, true], ["amax", true, true], ["amin", true, true], ["norm", true, true],
  ["all", true, true], ["any", true, true], ["isnan", true, true], ["isinf", true, true],
  ["isfinite", true, true], ["nanToNum", true, true], ["maskedFill", true, true], ["maskedSelect", true, true],
  ["maskedScatter", true, true], ["indexSelect", true, true], ["indexAdd", true, true], ["indexCopy", true, true],
  ["scatter", true, true], ["scatterReduce", true, true], ["gather", true, true], ["nonzero", true, true],
  ["argwhere", true, true], ["unique", true, true], ["bincount", true, true], ["einsum", true, false],
  ["clamp", true, true], ["where", true, true], ["logspace", true, false], ["multinomial", true, true],
  ["equal", true, true], ["frombuffer", true, false],
];
const LINALG = ["norm", "vectorNorm", "matrixNorm", "inv", "solve", "det"];

const missing: string[] = [];
for (const [name, onTorch, onTensor] of OPS) {
  if (onTorch && typeof (torch as any)[name] !== "function") missing.push(`torch.${name}`);
  if (onTensor && typeof (torch.Tensor.prototype as any)[name] !== "function") missing.push(`Tensor.${name}`);
}
for (const name of LINALG) if (typeof (torch.linalg as any)[name] !== "function") missing.push(`torch.linalg.${name}`);
console.log(missing.length === 0 ? `all ${OPS.length + LINALG.length} names present` : `missing: ${missing.join(", ")}`);
