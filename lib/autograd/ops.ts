// The closed set of differentiable primitives and the grad_fn name PyTorch prints for each.
// Every other op (mean, losses, softmax-based composites) is a composition of these; linear is
// one primitive (addmm) because its fused forward and backward are most of a training step.
import type { UnaryOp } from "../backend/types.js";
import type { ScatterOp } from "./grads_scatter.js";

export type Op =
  | UnaryOp
  | "clamp"
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum"
  | "atan2" | "hypot" | "fmod" | "copysign" | "logaddexp" | "logaddexp2"
  | "where"
  | "sum" | "amax" | "amin" | "logsumexp"
  | "matmul" | "linear"
  | "softmax" | "logSoftmax"
  | "gather"
  | ScatterOp
  | "reshape" | "permute" | "expand" | "slice" | "contiguous" | "cast" | "cat"
  // tensor ops, part 1
  | "diagonal" | "cumsum" | "cumprod" | "prod" | "clampTensor" | "inv" | "solve" | "det" | "svdvals";

export const DEFAULT_NAMES: Record<Op, string> = {
  neg: "NegBackward0", exp: "ExpBackward0", log: "LogBackward0", log1p: "Log1PBackward0",
  sqrt: "SqrtBackward0", abs: "AbsBackward0", sign: "SignBackward0", relu: "ReluBackward0",
  sigmoid: "SigmoidBackward0", tanh: "TanhBackward0", erf: "ErfBackward0", sin: "SinBackward0",
  cos: "CosBackward0", floor: "FloorBackward0", ceil: "CeilBackward0", round: "RoundBackward0",
  trunc: "TruncBackward0",
  tan: "TanBackward0", asin: "AsinBackward0", acos: "AcosBackward0", atan: "AtanBackward0",
  sinh: "SinhBackward0", cosh: "CoshBackward0", asinh: "AsinhBackward0", acosh: "AcoshBackward0",
  atanh: "AtanhBackward0", expm1: "Expm1Backward0", exp2: "Exp2Backward0", log2: "Log2Backward0",
  log10: "Log10Backward0", erfc: "ErfcBackward0", erfinv: "ErfinvBackward0",
  clamp: "ClampBackward1",
  add: "AddBackward0", sub: "SubBackward0", mul: "MulBackward0", div: "DivBackward0",
  pow: "PowBackward1", maximum: "MaximumBackward0", minimum: "MinimumBackward0",
  // NOTE: copysign and fmod with a scalar other are renamed where they are made (math_binary.ts)
  atan2: "Atan2Backward0", hypot: "HypotBackward0", fmod: "FmodBackward1", copysign: "CopysignBackward0",
  logaddexp: "LogaddexpBackward0", logaddexp2: "Logaddexp2Backward0",
  where: "WhereBackward0",
  sum: "SumBackward1", amax: "AmaxBackward0", amin: "AminBackward0", logsumexp: "LogsumexpBackward0",
  matmul: "MmBackward0", linear: "AddmmBackward0",
  softmax: "SoftmaxBackward0", logSoftmax: "LogSoftmaxBackward0",
  gather: "GatherBackward0",
  scatterAdd: "ScatterAddBackward0", scatter: "ScatterBackward0", scatterReduce: "ScatterReduceBackward0",
  notImplemented: "NotImplemented",
  reshape: "ViewBackward0", permute: "PermuteBackward0", expand: "ExpandBackward0",
  slice: "SliceBackward0", contiguous: "CloneBackward0", cast: "ToCopyBackward0", cat: "CatBackward0",
  diagonal: "DiagonalBackward0", cumsum: "CumsumBackward0", cumprod: "CumprodBackward0", prod: "ProdBackward1",
  clampTensor: "ClampBackward0", inv: "LinalgInvExBackward0", solve: "LinalgSolveExBackward0", det: "LinalgDetBackward0",
  svdvals: "LinalgSvdBackward0",
};
