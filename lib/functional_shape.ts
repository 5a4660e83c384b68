// torch.* forms of the shape ops: tensor_split, hsplit / vsplit / dsplit, split_with_sizes,
// as_strided, empty_strided (ops/shape_extra.ts). Forwarding to the Tensor methods binds PyTorch's
// keyword names (torch.tensor_split(x, 3, { dim: 1 })).
import type { Tensor } from "./tensor.js";
import type { TensorOptions } from "./ops/creation.js";
import { emptyStrided as emptyStridedOp } from "./ops/shape_extra.js";

export const tensorSplit = (x: Tensor, ...args: Parameters<Tensor["tensorSplit"]>) => x.tensorSplit(...args);
export const hsplit = (x: Tensor, sections: number | readonly number[]) => x.hsplit(sections);
export const vsplit = (x: Tensor, sections: number | readonly number[]) => x.vsplit(sections);
export const dsplit = (x: Tensor, sections: number | readonly number[]) => x.dsplit(sections);
export const splitWithSizes = (x: Tensor, ...args: Parameters<Tensor["splitWithSizes"]>) => x.splitWithSizes(...args);
export const asStrided = (x: Tensor, ...args: Parameters<Tensor["asStrided"]>) => x.asStrided(...args);
/** torch.empty_strided(size, stride, { dtype, requiresGrad }). */
export const emptyStrided = (size: readonly number[], stride: readonly number[], opts?: TensorOptions) => emptyStridedOp(size, stride, opts);
