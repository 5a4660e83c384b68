// Tensor.new_ones / new_zeros / new_full / new_empty / new_tensor: a new tensor of the given size
// (or data) that takes this tensor's dtype (and device) unless the options say otherwise, as
// PyTorch's new_* methods; it never requires grad unless asked and shares nothing with `self`.
// ref: https://pytorch.org/docs/1.13/tensors.html#initializing-and-basic-operations
import type { Tensor } from "../tensor.js";
import { empty, full, ones, parseSizeArgs, tensor, zeros, type SizeAndOptions, type TensorOptions } from "./creation.js";

function withSelfDType(self: Tensor, opts: TensorOptions): TensorOptions {
  return { ...opts, dtype: opts.dtype ?? self.dtype };
}

export function newOnes(self: Tensor, args: SizeAndOptions<TensorOptions>): Tensor {
  const [shape, opts] = parseSizeArgs(args, "new_ones");
  return ones(shape, withSelfDType(self, opts));
}

export function newZeros(self: Tensor, args: SizeAndOptions<TensorOptions>): Tensor {
  const [shape, opts] = parseSizeArgs(args, "new_zeros");
  return zeros(shape, withSelfDType(self, opts));
}

export function newEmpty(self: Tensor, args: SizeAndOptions<TensorOptions>): Tensor {
  const [shape, opts] = parseSizeArgs(args, "new_empty");
  return empty(shape, withSelfDType(self, opts));
}

export function newFull(self: Tensor, size: readonly number[], fillValue: number | boolean, opts: TensorOptions = {}): Tensor {
  return full(size, fillValue, withSelfDType(self, opts));
}

export function newTensor(self: Tensor, data: Parameters<typeof tensor>[0], opts: TensorOptions = {}): Tensor {
  return tensor(data, withSelfDType(self, opts));
}
