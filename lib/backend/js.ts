// The pure-JS backend: every primitive of ../backend/types.ts in plain TypeScript. It is the
// fallback where the native addon can't load, the oracle native kernels are tested against, and
// the pure-JS baseline of the benchmarks. No state, no threads; each op lives in lib/backend/js/.
// ref: tinygrad's runtime/ops_python.py ("the living definition") in spirit.

import type { Backend } from "./types.js";
import { binary, clamp, copy, fill, reluBackward, unary, where } from "./js/elementwise.js";
import { col2im, im2col } from "./js/conv.js";
import { adamStep, addScaled } from "./js/fused.js";
import { gather, scatterAdd } from "./js/gather.js";
import { matmul } from "./js/matmul.js";
import { matmulUnfolded } from "./js/matmul_unfolded.js";
import { argReduce, reduce, softmax } from "./js/reduce.js";
import { softmaxBackward } from "./js/softmax_backward.js";
import { withHalfViews } from "./js/widen.js";
import { maxPool2d, maxPool2dBackward } from "./js/max_pool.js";
import { avgPool2d, avgPool2dBackward } from "./js/avg_pool.js";
import { batchNormApply, batchNormBackwardInput, batchNormBackwardReduce, batchNormStats } from "./js/batch_norm.js";
import { dropoutMask } from "./js/random.js";
import { gruCellBackward, gruCellForward, lstmCellBackward, lstmCellForward } from "./js/rnn_cell.js";
import { layerNormBackward, layerNormForward } from "./js/layer_norm.js";

// NOTE: float16/bfloat16 views compute through float32 copies (js/widen.ts).
export const jsBackend: Backend = withHalfViews({
  info: () => ({ name: "js", isa: "js", threads: 1 }),
  fill,
  copy,
  unary,
  clamp,
  binary,
  where,
  reluBackward,
  reduce,
  argReduce,
  matmul,
  addScaled,
  adamStep,
  softmax,
  softmaxBackward,
  gather,
  scatterAdd,
  maxPool2d,
  maxPool2dBackward,
  avgPool2d,
  avgPool2dBackward,
  batchNormStats,
  batchNormApply,
  batchNormBackwardReduce,
  batchNormBackwardInput,
  dropoutMask,
  im2col,
  col2im,
  lstmCellForward,
  lstmCellBackward,
  gruCellForward,
  gruCellBackward,
  layerNormForward,
  layerNormBackward,
  // NOTE: the split is the native backend's business; the product is matmul's (the widened one,
  // for float16/bfloat16 views).
  convMatmul: (a, b, out, accumulate) => jsBackend.matmul(a, b, out, accumulate),
  matmulUnfolded,
});
