// "Convolution, then batch norm" with an inference path, for the library's own modules that chain
// them (nn.Sequential's adjacent pairs, vision/models/resnet.ts): under noGrad, a plain eval-mode
// BatchNorm2d normalizes the convolution's fresh output in place instead of into a new tensor.
// Nothing else can reach that output (neither module runs a hook, both are exactly nn's classes),
// so no one can tell, and the bits are batch_norm's: it saves a tensor-sized allocation (half of
// ResNet-18's fresh memory per inference: each one moves V8's next collection closer) and a pass
// over memory in no cache. Like PyTorch's own fast paths (TransformerEncoderLayer in eval), it is
// taken only where its conditions hold; otherwise the two modules run as written.
import type { Tensor } from "../tensor.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import { hasFullBackwardHooks } from "../autograd/module_hooks.js";
import { batchNormEvalInPlace } from "./batch_norm_node.js";
import type { Module } from "./module.js";
import { Conv2d } from "./conv.js";
import { BatchNorm2d } from "./normalization.js";

/** Whether m runs exactly nn's forward of its class `cls`, with no hook that could see its tensors. */
function plain(m: Module, cls: Function): boolean {
  return m.constructor === cls && !m.hasForwardHooks && !hasFullBackwardHooks(m);
}

/** Whether a and b may go through convBn: a Conv2d then a BatchNorm2d, under noGrad (convBn checks the rest). */
export function convBnPair(a: Module, b: Module | undefined): boolean {
  return b !== undefined && !isGradEnabled() && a instanceof Conv2d && b instanceof BatchNorm2d;
}

/** bn(conv(x)), the batch norm in place on the convolution's output where that can't be observed. */
export function convBn(conv: Module, bn: Module, x: Tensor): Tensor {
  if (isGradEnabled() || !plain(conv, Conv2d) || !plain(bn, BatchNorm2d)) return bn(conv(x)) as Tensor;
  const norm = bn as BatchNorm2d;
  const y = conv(x) as Tensor;
  const rm = norm.running_mean, rv = norm.running_var;
  const float32 = [y, norm.weight, norm.bias, rm, rv].every((t) => t === null || t.dtype === "float32");
  // NOTE: the output is new storage (conv2d allocates it), checked anyway: never x's.
  const fresh = y.isContiguous() && y.offset === 0 && y.typedArray !== x.typedArray && y.numel() > 0;
  // NOTE: an unbatched conv output (3-D) or a channel mismatch goes to batch norm's own errors.
  const ok = y.ndim === 4 && y.shape[1] === norm.numFeatures;
  if (norm.training || rm === null || rv === null || !float32 || !fresh || !ok) return bn(y) as Tensor;
  const [N, C, H, W] = y.shape;
  batchNormEvalInPlace(y.view(N, C, H * W), norm.weight, norm.bias, rm, rv, norm.eps);
  return y;
}
