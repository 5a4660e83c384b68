// The kernel contract every backend implements: a closed set of primitives over strided views.
// Backends know nothing of autograd, broadcasting rules or type promotion: the Tensor frontend
// resolves shapes and dtypes once, then calls these with caller-allocated outputs.
// ref: tinygrad's op table (tinygrad/ops.py) and candle's storage layer (candle-core/src/storage.rs).

/** The dtypes a tensor can hold. */
export type DType =
  | "float32" | "float64" | "float16" | "bfloat16"
  | "int64" | "int32" | "int16" | "int8" | "uint8" | "bool";

/**
 * Storage per dtype (lib/dtype.ts): float32 Float32Array, float64 and int64 Float64Array, bool and
 * uint8 Uint8Array, int32/int16/int8 their typed arrays, float16 and bfloat16 Uint16Array (the bits).
 * Where two dtypes share an array type, dtype.ts tags the storage when it allocates it (an untagged
 * Float64Array is int64, an untagged Uint8Array bool, an untagged Uint16Array float16).
 * NOTE: int64 lives in a Float64Array holding integers. Every int64 a
 * program here meets (labels, indices, counts, sizes) is far below 2^53, where a double is exact,
 * and a Number reads back from it with no BigInt conversion. Values are checked at creation.
 */
export type Storage = Float32Array | Float64Array | Uint8Array | Int32Array | Int16Array | Int8Array | Uint16Array;

/**
 * A strided view: element (i0, ..., in-1) lives at data[offset + sum_k ik * strides[k]].
 * A stride of 0 broadcasts a dimension. Strides are >= 0 (flips are not supported).
 * The dtype of a view is its storage's (see Storage; dtypeOfStorage in lib/dtype.ts).
 */
export interface View {
  readonly typedArray: Storage;
  readonly offset: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
}

/** Elementwise functions of one float32 input (int64 inputs only for neg, abs, sign). */
export type UnaryOp =
  | "neg" | "exp" | "log" | "log1p" | "sqrt" | "abs" | "sign"
  | "relu" | "sigmoid" | "tanh" | "erf" | "sin" | "cos"
  | "floor" | "ceil" | "round" | "trunc"
  | "tan" | "asin" | "acos" | "atan" | "sinh" | "cosh" | "asinh" | "acosh" | "atanh"
  | "expm1" | "exp2" | "log2" | "log10" | "erfc" | "erfinv";

/** Elementwise arithmetic of two inputs of one dtype; the output has that dtype. */
export type ArithOp =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum"
  | "atan2" | "hypot" | "fmod" | "copysign" | "logaddexp" | "logaddexp2";
/** Comparisons of two inputs of one dtype; the output is bool (Uint8Array of 0/1). */
export type CompareOp = "eq" | "ne" | "lt" | "le" | "gt" | "ge";
/** Logical ops of two bool inputs; the output is bool. */
export type LogicalOp = "and" | "or" | "xor";
export type BinaryOp = ArithOp | CompareOp | LogicalOp;

export type ReduceOp = "sum" | "max" | "min";
export type ArgReduceOp = "argmax" | "argmin";

/** The scalars of one Adam step (see Backend.adamStep). */
export interface AdamScalars {
  beta1: number;
  beta2: number;
  /** lr / (1 - beta1^step), negated. */
  negStepSize: number;
  /** sqrt(1 - beta2^step). */
  bc2Sqrt: number;
  eps: number;
  /** AdamW's 1 - lr * weightDecay; 1 for Adam. */
  decay: number;
}

/** A max-pool window: kernel k, stride s, padding p, dilation d per spatial dim (H, W). */
export interface PoolWindow {
  kH: number; kW: number;
  sH: number; sW: number;
  pH: number; pW: number;
  dH: number; dW: number;
}

/** An average-pool window (no dilation); divisorOverride 0 means none. */
export interface AvgPoolWindow {
  kH: number; kW: number;
  sH: number; sW: number;
  pH: number; pW: number;
  countIncludePad: boolean;
  divisorOverride: number;
}

/** A 2-D sliding window (see Backend.im2col): kernel size, top/left zero padding (the bottom/right
 *  padding is whatever the cols view's output size implies), stride and dilation per axis. */
export interface ConvGeometry {
  kh: number; kw: number;
  padTop: number; padLeft: number;
  strideH: number; strideW: number;
  dilationH: number; dilationW: number;
}

export interface BackendInfo {
  name: "js" | "native";
  /** Instruction set the kernels use: "avx512", "avx2", "neon", "scalar", or "js". */
  isa: string;
  threads: number;
  /** Native only: what the addon did to the process allocator at load (native/memory.cc). */
  mallocTuning?: string;
  /** Native only: data cache sizes in bytes per core (L3: this core's share), native/cache_info.h. */
  caches?: { l1d: number; l2: number; l3: number; source: string };
  /** What torchlet set in V8's collector (lib/gc_tuning.ts); backendInfo() fills it in. */
  gcTuning?: string;
}

/**
 * The primitives. Conventions shared by every method:
 * - `out` is written, never read (unless an op says so), and is allocated by the caller.
 *   It may alias an input only when both address the same elements in the same order
 *   (in-place updates such as `p -= lr * g`).
 * - Inputs of elementwise ops are already broadcast to out.shape (stride-0 views).
 * - Results must not depend on the thread count, bit for bit.
 */
export interface Backend {
  info(): BackendInfo;

  /** Optional memory advice for a fresh, not yet written storage that an op is about to fill
   *  (the native backend asks for huge pages on very large ones). Never changes any value. */
  adviseFresh?(s: Storage): void;

  /** out = value everywhere in the view. */
  fill(out: View, value: number): void;
  /** out = x, elementwise, converting dtype when the storages differ (float->int64 truncates toward
   *  zero, anything->bool is x != 0, bool->number is 0/1). Same shape. */
  copy(x: View, out: View): void;

  unary(op: UnaryOp, x: View, out: View): void;
  /** out = min(max(x, lo), hi): NaN stays NaN; lo > hi gives hi everywhere (PyTorch's rule).
   *  Pass -Infinity / Infinity for a missing bound. */
  clamp(x: View, lo: number, hi: number, out: View): void;
  binary(op: BinaryOp, a: View, b: View, out: View): void;
  /** out = cond ? a : b; cond is bool, a, b and out share a dtype. */
  where(cond: View, a: View, b: View, out: View): void;
  /** relu's backward from its result: out = result <= 0 ? 0 : grad (PyTorch's threshold_backward:
   *  a NaN result passes grad on). Floating dtypes, shared; out may be grad itself. */
  reluBackward(grad: View, result: View, out: View): void;

  /**
   * Reduce x into out. out has x's ndim, with size 1 in the reduced dims and x's size elsewhere
   * (keepdim layout). sum of float32 accumulates in float64 or pairwise, never naively in float32.
   * max/min propagate NaN.
   */
  reduce(op: ReduceOp, x: View, out: View): void;
  /** Index (int64) of the first max/min along `dim`; out is x's shape with size 1 at dim.
   *  A NaN counts as the maximum (and minimum), as in PyTorch. */
  argReduce(op: ArgReduceOp, x: View, dim: number, out: View): void;

  /** Batched matmul, float32. a: [B,M,K], b: [B,K,N], out: [B,M,N] contiguous.
   *  Any strides on a and b (transposes are strides, a batch stride may be 0).
   *  accumulate: out += a b, reading out (nn.Linear's bias, gradients summed into .grad);
   *  out must not overlap a or b. */
  matmul(a: View, b: View, out: View, accumulate?: boolean): void;

  /** out = a + alpha * b, float32, with ONE rounding (a fused multiply-add), as PyTorch's
   *  vectorised `add(a, b, alpha=)` computes it. b is broadcast to out's shape; out may alias a
   *  (the in-place `p.add_(g, { alpha: -lr })` of SGD). alpha is rounded to float32 first. */
  addScaled(a: View, b: View, alpha: number, out: View): void;

  /**
   * One Adam/AdamW update of one parameter, in place, elementwise over same-shape float32 views
   * (any strides; p, expAvg, expAvgSq, maxExpAvgSq are read and written). Per element, in float32,
   * with every scalar rounded to float32 first, exactly this sequence (PyTorch 1.13's
   * _single_tensor_adam/_adamw order):
   *   p = p * decay                                (skipped when decay === 1: AdamW's decoupled decay)
   *   m = fma(g, 1 - beta1, m * beta1)             exp_avg.mul_(beta1).add_(grad, alpha=1-beta1)
   *   v = v * beta2 + ((1 - beta2) * g) * g        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1-beta2)
   *   vmax = maximum(vmax, v); w = vmax or v       (amsgrad, NaN-propagating)
   *   d = sqrt(w) / bc2Sqrt + eps                  denom
   *   p = p + (negStepSize * m) / d                param.addcdiv_(exp_avg, denom, value=-step_size)
   * (1 - beta1) and (1 - beta2) are computed in double from beta1/beta2, then rounded, as a
   * Python float scalar would be.
   */
  adamStep(p: View, grad: View, expAvg: View, expAvgSq: View, maxExpAvgSq: View | null, h: AdamScalars): void;

  /** Softmax (or log-softmax when log) over the last dim of x, float32. x and out are contiguous
   *  with the same shape. Numerically stable: subtracts the row max. */
  softmax(x: View, out: View, log: boolean): void;

  /** Softmax's backward over the last dim: out = y·(g - Σ y·g) per row, float32 (the sum in
   *  double over 8 fixed lanes: js/softmax_backward.ts). y, g and out are contiguous with the
   *  same shape; out may be g itself, never overlap y. */
  softmaxBackward(y: View, g: View, out: View): void;

  /** out[..i.., j, ..k..] = x[..i.., index[..i.., j, ..k..], ..k..] along dim (torch.gather).
   *  index is int64 with out's shape. Throws RangeError on an index outside [0, x.shape[dim]). */
  gather(x: View, dim: number, index: View, out: View): void;
  /** out[..i.., index[..], ..k..] += src[..] along dim (torch.Tensor.scatter_add_). Reads and
   *  writes out. index and src have the same shape. Throws RangeError on a bad index. */
  scatterAdd(out: View, dim: number, index: View, src: View): void;

  /** Max pooling with indices: x [P, H, W] -> out [P, oH, oW] float32 and indices [P, oH, oW]
   *  int64 (flat h*W + w in the plane), all contiguous. Windows are taps start + a*d inside the
   *  plane; the first max in scan order wins, a NaN beats any number (the last NaN wins). */
  maxPool2d(x: View, window: PoolWindow, out: View, indices: View): void;
  /** gradInput [P, H, W] = 0, then += grad [P, oH, oW] at each argmax, in output order (float32
   *  sums). All contiguous. Throws RangeError on an index outside the plane. */
  maxPool2dBackward(grad: View, indices: View, gradInput: View): void;

  /** Average pooling: x [P, H, W] -> out [P, oH, oW], float32, contiguous. Each window's in-plane
   *  taps summed in float32 in scan order, then divided once by PyTorch's divisor (js/avg_pool.ts). */
  avgPool2d(x: View, window: AvgPoolWindow, out: View): void;
  /** gradInput [P, H, W] = 0, then every tap of each window += grad / divisor, in output order. */
  avgPool2dBackward(grad: View, window: AvgPoolWindow, gradInput: View): void;

  /** Batch-norm statistics of x [N, C, L] (contiguous float32), per channel over N and L: the mean
   *  and the biased variance, in doubles, from one pass of shifted sums (see js/batch_norm.ts). */
  batchNormStats(x: View, mean: Float64Array, variance: Float64Array): void;
  /** out = (x - mean[c]) * scale[c] + shift[c], float32, x and out [N, C, L] contiguous. */
  batchNormApply(x: View, mean: Float32Array, scale: Float32Array, shift: Float32Array, out: View): void;
  /** Per channel c, in doubles: sumGrad[c] = sum of grad, dot[c] = sum of (x - mean[c]) * grad. */
  batchNormBackwardReduce(x: View, grad: View, mean: Float64Array, sumGrad: Float64Array, dot: Float64Array): void;
  /** gradInput = ((grad - gradMean[c]) - (x - mean[c]) * k[c]) * a[c], float32, all [N, C, L] contiguous. */
  batchNormBackwardInput(x: View, grad: View, mean: Float32Array, gradMean: Float32Array, k: Float32Array, a: Float32Array, gradInput: View): void;
  /** Dropout's mask from an MT19937 state (624 words as int32 bits, written in place) at `index`:
   *  per element two words make a 53-bit uniform u (high word first), mask = u < keep ? scale : 0
   *  (PyTorch's CPU bernoulli_). With x and out (mask's length; out may be x): out = x * mask, float32.
   *  Returns the state's new index; the draws are the JS Generator's, bit for bit (js/random.ts). */
  dropoutMask(state: Int32Array, index: number, keep: number, scale: number, mask: Float32Array, x: Float32Array | null, out: Float32Array | null): number;
  /** Convolution's column matrix. x: [N, C, H, W]; cols: [N, C*kh*kw, OH, OW], written (any
   *  strides, so a permuted view gives the [C*kh*kw, N, OH*OW] layout):
   *  cols[n][(c*kh+i)*kw+j][oy][ox] = x[n][c][oy*sH - padTop + i*dH][ox*sW - padLeft + j*dW],
   *  0 outside the image. Float32 or float64; cols must not overlap x. */
  im2col(x: View, cols: View, g: ConvGeometry): void;
  /** im2col's adjoint: out [N, C, H, W] is overwritten with, per pixel, the sum of the cols
   *  elements read from it, added in the order (i, j, oy, ox) starting from 0. */
  col2im(cols: View, out: View, g: ConvGeometry): void;

  // Fused recurrent cell steps (lib/nn/rnn_lstm_layer.ts, rnn_gru_layer.ts): one time step's gate
  // nonlinearities and state update over n rows. Every operand is a contiguous [n, k*H] view of one
  // float dtype (float32 or float64), gates laid out as PyTorch's (LSTM i, f, g, o; GRU r, z, n).
  // Each value is computed with the operations, in the order, of the composed tensor ops (see
  // js/rnn_cell.ts), so a backend's fused step equals its composed step bit for bit. Outputs must
  // not overlap other operands, except the in-place pairs named below.
  /** gates = (sigmoid, sigmoid, tanh, sigmoid)(gi + hh); c = f*cPrev + i*g; tanhC = tanh(c); h = o*tanhC. */
  lstmCellForward(gi: View, hh: View, cPrev: View, gates: View, c: View, tanhC: View, h: View): void;
  /** From dh + gY (the state's and the output's gradient) and dc: dPre [n, 4H], the gradient of
   *  gi + hh, and dcPrev [n, H] (dcPrev may be dc itself, updated in place). */
  lstmCellBackward(dh: View, gY: View, dc: View, gates: View, tanhC: View, cPrev: View, dPre: View, dcPrev: View): void;
  /** r, z = sigmoid(gi + hh) (first 2H); n = tanh(gi_n + r*hh_n); h = (hPrev - n)*z + n (ATen's GRUCell). */
  gruCellForward(gi: View, hh: View, hPrev: View, gates: View, h: View): void;
  /** From dh + gY: dGi [n, 3H] (gradient of gi), dGh [n, 3H] (of hh) and dDiff = (dh + gY)*z, the
   *  direct part of hPrev's gradient (dDiff may be dh itself, updated in place). */
  gruCellBackward(dh: View, gY: View, gates: View, hh: View, hPrev: View, dGi: View, dGh: View, dDiff: View): void;
  /** LayerNorm forward over the rows of x [M, D] (contiguous float32 or float64; every view of x's
   *  dtype): per row mean[r] and rstd[r] = 1/sqrt(biased variance + eps), from two passes of double
   *  sums, then y = ((x - mean)·rstd)·weight + bias, each step rounded (js/layer_norm.ts). */
  layerNormForward(x: View, weight: View | null, bias: View | null, eps: number, y: View, mean: View, rstd: View): void;
  /** LayerNorm backward from the forward's mean and rstd: gradInput [M, D], gradWeight and gradBias [D]
   *  (each null when not wanted), the column sums by shape-fixed blocks of rows (js/layer_norm.ts). */
  layerNormBackward(x: View, grad: View, mean: View, rstd: View, weight: View | null, gradInput: View | null, gradWeight: View | null, gradBias: View | null): void;
  /** matmul's contract and result, for conv2d's GEMMs whose A is the weight (W x cols, Wᵀ x dY):
   *  the native backend splits them itself so that no thread packs all of A (conv_gemm.h). */
  convMatmul(a: View, b: View, out: View, accumulate?: boolean): void;
  /** matmul whose b is a convolution's column matrix given as a 7-D view of the image:
   *  b [G, C, kh, kw, N, OH, OW] is read as [G, C*kh*kw, N*OH*OW]; a [G, M, C*kh*kw], out [G, M, N*OH*OW]
   *  contiguous (out += a b when accumulate). Float32 or float64. The result is bit for bit
   *  matmul's on the columns copied out of b (the native backend packs them straight from it). */
  matmulUnfolded(a: View, b: View, out: View, accumulate?: boolean): void;
  /** Optional: conv2d's stride-1 forward through matmulUnfolded over the whole batch, in chunks of
   *  g.imagesPerChunk images, each the steps of lib/ops/conv_padded_rows.ts (pad, bias, GEMM, copy
   *  out), bit for bit their result. x [N, C, H, W] float32, weight [G, O/G, (C/G)*kh*kw]
   *  contiguous, bias [O] | null, out [N, O, OH, OW] contiguous. Returns false (nothing written)
   *  where the backend has no such path for these operands. */
  convPaddedForward?(x: View, weight: View, bias: View | null, out: View, g: PaddedConvGeometry): boolean;
}

/** The window and padded plane of Backend.convPaddedForward (lib/ops/conv_padded_rows.ts). */
export interface PaddedConvGeometry {
  kh: number;
  kw: number;
  dilH: number;
  dilW: number;
  padTop: number;
  padLeft: number;
  /** The padded plane: OH + dilH*(kh-1) rows of OW + dilW*(kw-1). */
  Hp: number;
  Wp: number;
  groups: number;
  imagesPerChunk: number;
  /** A GEMM column per output (else per padded-row position, Wp per output row). */
  exact: boolean;
}
