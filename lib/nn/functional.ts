// nn.functional (PyTorch's `F`): relu/relu_/sigmoid/tanh/gelu, softmax/logSoftmax/softmin with the
// legacy implicit dim, linear, dropout, flatten, oneHot, and (re-exported) every loss, the other
// activations (functional_activation.ts), normalization (functional_norm.ts), pooling, convolution,
// pixel shuffle, distances and bilinear (functional_*.ts). Compositions of tensor ops (2-D
// linear is the one primitive, lib/ops/linear.ts). Not here: convolutions, pooling.
// ref: torch/nn/functional.py (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { recordInPlace } from "../autograd/inplace.js";
import { record, rename } from "../autograd/node.js";
import { defaultGenerator } from "../ops/random.js";
import { emptyUninit } from "../ops/scratch.js";
import { ownedByGraph } from "../autograd/private_storage.js";
import { isLinearPrimitive, linear as linearPrimitive } from "../ops/linear.js";
import { parseDType } from "../dtype.js";
import { checkBool, checkInt, checkOptionalTensor, checkTensor, parseArgs } from "./args.js";
import { warn } from "./warnings.js";

export * from "./losses/index.js";
export * from "./functional_activation.js";
export * from "./functional_norm.js";
export * from "./functional_pool.js";
export * from "./functional_sequence.js";
export * from "./functional_conv.js";
export * from "./functional_attention.js";
export * from "./functional_pixel.js";
export * from "./functional_distance.js";
export * from "./functional_bilinear.js";
export * from "./functional_dropout.js";
export * from "./functional_pool3d.js";
export * from "./functional_local.js";
export * from "./functional_conv3d.js";
export * from "./functional_sampling.js";
export * from "./functional_embedding_bag.js";

type Inplace = { inplace?: boolean };

/**
 * inplace=true writes into the input and returns it. With an in-place kernel (relu_) that kernel
 * runs; otherwise `result` computes the new value from the old one and, where autograd records
 * through the input, the write is recorded as PyTorch records its in-place activations
 * (autograd/inplace.ts recordInPlace: the op's gradient reads a snapshot of the old value; a leaf
 * that requires grad is refused with PyTorch's error; `name` is PyTorch's grad_fn name, e.g.
 * LeakyReluBackward1). Without grad it computes and copies back.
 */
export function maybeInPlace(input: Tensor, inplace: boolean, result: (x: Tensor) => Tensor, inPlace?: (() => Tensor) | null, fn = "inplace", name?: string): Tensor {
  if (!inplace) return result(input);
  if (inPlace !== undefined && inPlace !== null) return inPlace();
  if (recordInPlace(input, fn, [], result, true, name)) return input;
  return input.copy_(result(input));
}

export function relu(input: Tensor, inplace?: boolean | Inplace): Tensor;
export function relu(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; inplace: boolean }>("relu", args, ["input", "inplace"], { inplace: false });
  const x = checkTensor("relu", "input", o.input, 1);
  return maybeInPlace(x, checkBool("relu", "inplace", o.inplace), (t) => t.relu(), () => x.relu_());
}

/** relu in place: x itself, clamped at 0 (refused, as PyTorch, on a leaf that requires grad). */
export function relu_(input: Tensor): Tensor {
  return checkTensor("relu_", "input", input, 1).relu_();
}

export function sigmoid(input: Tensor): Tensor {
  return checkTensor("sigmoid", "input", input, 1).sigmoid();
}

export function tanh(input: Tensor): Tensor {
  return checkTensor("tanh", "input", input, 1).tanh();
}

export type GeluApproximate = "none" | "tanh";

/** x·Φ(x) with the erf form ('none', default) or the tanh approximation ('tanh'). */
export function gelu(input: Tensor, approximate?: GeluApproximate | { approximate?: GeluApproximate }): Tensor;
export function gelu(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; approximate: string }>("gelu", args, ["input", "approximate"], { approximate: "none" });
  const x = checkTensor("gelu", "input", o.input, 1);
  checkGeluApproximate(o.approximate);
  // Same operation order as PyTorch's CPU GeluKernel, so results agree to the last bits.
  if (o.approximate === "tanh") {
    const kBeta = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5;
    const inner = x.mul(x).mul(x).mul(0.044715).add(x).mul(kBeta);
    return rename(x.mul(0.5).mul(inner.tanh().add(1)), "GeluBackward0");
  }
  return rename(x.mul(0.5).mul(x.mul(Math.SQRT1_2).erf().add(1)), "GeluBackward0");
}

export function checkGeluApproximate(a: unknown): asserts a is GeluApproximate {
  if (a !== "none" && a !== "tanh") throw new Error("approximate argument must be either none or tanh.");
}

/** PyTorch's legacy rule for softmax without dim: 0 for 0-D, 1-D and 3-D input, else 1 (with a warning). */
export function implicitSoftmaxDim(name: string, ndim: number): number {
  warn(`Implicit dimension choice for ${name} has been deprecated. Change the call to include dim=X as an argument.`, { perCallSite: true });
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

type SoftmaxOptions = { dim?: number | null; dtype?: string };

function softmaxFamily(name: "softmax" | "log_softmax" | "softmin", args: unknown[]): [Tensor, number] {
  const o = parseArgs<{ input: Tensor; dim: number | null; dtype: string | null }>(name, args, ["input", "dim", "dtype"], { dim: null, dtype: null });
  let x = checkTensor(name, "input", o.input, 1);
  if (o.dtype !== null) x = x.to(parseDType(o.dtype, name));
  const dim = o.dim === null ? implicitSoftmaxDim(name, x.ndim) : checkInt(name, "dim", o.dim);
  return [x, dim];
}

/** softmax along dim; without dim, PyTorch's deprecated implicit choice (and its warning). */
export function softmax(input: Tensor, dim?: number | null | SoftmaxOptions, options?: SoftmaxOptions): Tensor;
export function softmax(...args: unknown[]): Tensor {
  const [x, dim] = softmaxFamily("softmax", args);
  return x.softmax(dim);
}

/** softmax of −input along dim (PyTorch's softmin: the smallest entries get the most weight). */
export function softmin(input: Tensor, dim?: number | null | SoftmaxOptions, options?: SoftmaxOptions): Tensor;
export function softmin(...args: unknown[]): Tensor {
  const [x, dim] = softmaxFamily("softmin", args);
  return x.neg().softmax(dim);
}

export function logSoftmax(input: Tensor, dim?: number | null | SoftmaxOptions, options?: SoftmaxOptions): Tensor;
export function logSoftmax(...args: unknown[]): Tensor {
  const [x, dim] = softmaxFamily("log_softmax", args);
  return x.logSoftmax(dim);
}

/** y = x Wᵀ + b: input [*, in], weight [out, in], bias [out] -> [*, out]. */
export function linear(input: Tensor, weight: Tensor, bias?: Tensor | null | { bias?: Tensor | null }): Tensor;
export function linear(...args: unknown[]): Tensor {
  // NOTE: the common call, linear(x, w[, b]) with tensors (nn.Linear's), skips binding options.
  const [x0, w0, b0] = args;
  const o = args.length <= 3 && x0 instanceof Tensor && w0 instanceof Tensor && (b0 == null || b0 instanceof Tensor)
    ? { input: x0, weight: w0, bias: b0 ?? null }
    : parseArgs<{ input: Tensor; weight: Tensor; bias: Tensor | null }>("linear", args, ["input", "weight", "bias"], { bias: null });
  const x = checkTensor("linear", "input", o.input, 1);
  const w = checkTensor("linear", "weight", o.weight, 2);
  const b = checkOptionalTensor("linear", "bias", o.bias);
  // 2-D input: one fused primitive (addmm); other ranks and bias shapes compose matmul and add.
  if (isLinearPrimitive(x, w, b)) return linearPrimitive(x, w, b);
  // NOTE: as PyTorch, a contiguous 3-D input with a bias folds into one addmm (grad_fn ViewBackward0).
  if (x.ndim === 3 && b !== null && x.isContiguous()) {
    const rows = x.view(x.shape[0] * x.shape[1], x.shape[2]);
    if (isLinearPrimitive(rows, w, b)) return rename(linearPrimitive(rows, w, b).view(x.shape[0], x.shape[1], w.shape[0]), "ViewBackward0");
  }
  const y = x.matmul(w.t());
  if (b === null) return y;
  return x.ndim === 2 ? rename(y.add(b), "AddmmBackward0") : y.add(b);
}

export interface DropoutOptions {
  p?: number;
  training?: boolean;
  inplace?: boolean;
}

export function checkDropoutP(p: unknown): number {
  if (typeof p !== "number") throw new TypeError(`dropout(): argument 'p' must be a number, not ${typeof p}`);
  if (Number.isNaN(p) || p < 0 || p > 1) {
    throw new RangeError(`dropout probability has to be between 0 and 1, but got ${String(p)}`);
  }
  return p;
}

/**
 * Zeroes each element with probability p and scales the rest by 1/(1-p) (float32), in training;
 * the identity otherwise. The mask is drawn as PyTorch's CPU bernoulli_(1-p) draws it: one 53-bit
 * uniform (two 32-bit words) per element from the global generator, kept when u < 1-p.
 * NOTE: so torch.manualSeed(s) gives PyTorch's mask (for PyTorch's non-MKL CPU path).
 */
export function dropout(input: Tensor, p?: number | DropoutOptions, training?: boolean | DropoutOptions, inplace?: boolean | DropoutOptions): Tensor;
export function dropout(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; p: number; training: boolean; inplace: boolean }>("dropout", args, ["input", "p", "training", "inplace"], {
    p: 0.5,
    training: true,
    inplace: false,
  });
  const x = checkTensor("dropout", "input", o.input, 1);
  const p = checkDropoutP(o.p);
  if (p === 0 || !checkBool("dropout", "training", o.training) || x.numel() === 0) return x;
  const inplace = checkBool("dropout", "inplace", o.inplace);
  if (x.dtype === "float32" && x.isContiguous() && p < 1) return maybeInPlace(x, inplace, (t) => fusedDropout(t, p), null, "dropout_", "MulBackward0");
  const mask = dropoutMask(x.shape, p);
  return maybeInPlace(x, inplace, (t) => t.mul(mask), null, "dropout_", "MulBackward0");
}

/** x * mask drawn and multiplied in one pass (contiguous float32 x, p < 1); the graph is x.mul(mask)'s,
 *  as PyTorch's CPU dropout (MulBackward0), so the backward multiplies by the saved mask. */
function fusedDropout(x: Tensor, p: number): Tensor {
  const keep = 1 - p;
  // NOTE: unfilled storages (the kernel writes every element): zeroing them was a pass of its own.
  const mask = emptyUninit(x.shape, "float32");
  const out = emptyUninit(x.shape, "float32");
  defaultGenerator.fillDropoutMask(keep, Math.fround(1 / Math.fround(keep)), mask.typedArray as Float32Array, x.storage() as Float32Array, out.typedArray as Float32Array);
  const y = record("mul", [x, mask], out);
  ownedByGraph(y, mask); // only the MulBackward0 node reads the mask
  return y;
}

/** float32 tensor of `shape` holding 1/(1-p) (kept, probability 1-p) or 0, drawn as described at dropout. */
export function dropoutMask(shape: readonly number[], p: number): Tensor {
  const keep = 1 - p;
  const scale = Math.fround(1 / Math.fround(keep));
  const mask = Tensor.empty(shape, "float32");
  const m = mask.typedArray;
  if (p < 1) defaultGenerator.fillDropoutMask(keep, scale, m as Float32Array);
  else m.fill(0);
  return mask;
}

/** torch.flatten: dims startDim..endDim merged into one. */
export function flatten(input: Tensor, startDim?: number | { startDim?: number; endDim?: number }, endDim?: number): Tensor;
export function flatten(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; startDim: number; endDim: number }>("flatten", args, ["input", "startDim", "endDim"], { startDim: 0, endDim: -1 });
  return checkTensor("flatten", "input", o.input, 1).flatten(checkInt("flatten", "startDim", o.startDim), checkInt("flatten", "endDim", o.endDim));
}

/** int64 [*] class indices -> int64 [*, numClasses] one-hot rows (numClasses -1: max + 1). */
export function oneHot(tensor: Tensor, numClasses?: number | { numClasses?: number }): Tensor;
export function oneHot(...args: unknown[]): Tensor {
  const o = parseArgs<{ tensor: Tensor; numClasses: number }>("one_hot", args, ["tensor", "numClasses"], { numClasses: -1 });
  const t = checkTensor("one_hot", "tensor", o.tensor, 1);
  if (t.dtype !== "int64") throw new TypeError("one_hot is only applicable to index tensor.");
  const idx = t.contiguous().storage();
  let c = checkInt("one_hot", "numClasses", o.numClasses);
  if (c === -1) {
    if (idx.length === 0) throw new RangeError("Can not infer total number of classes from empty tensor.");
    c = Math.max(...idx) + 1;
  }
  for (const v of idx) {
    if (v < 0) throw new RangeError("Class values must be non-negative.");
    if (v >= c) throw new RangeError("Class values must be smaller than num_classes.");
  }
  const out = Tensor.empty([...t.shape, c], "int64");
  idx.forEach((v, i) => (out.typedArray[i * c + v] = 1));
  return out;
}
