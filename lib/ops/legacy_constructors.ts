// PyTorch's legacy typed constructors, which older tutorials still call: torch.LongTensor([1, 2])
// builds a tensor from data; torch.FloatTensor(2, 3) (sizes) an uninitialized one of that shape
// (zeros here); torch.FloatTensor() an empty one. ref: torch/csrc/utils/tensor_new.cpp (legacy_new).
import type { DType } from "../backend/types.js";
import { scalarTypeName } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { tensor, zeros } from "./creation.js";

/** A constructor; its dtype lets torch.set_default_tensor_type(torch.DoubleTensor) read it. */
type Legacy = ((...args: unknown[]) => Tensor) & { readonly dtype: DType };

function legacy(dtype: DType, name: string): Legacy {
  const make = (...args: unknown[]) => {
    if (args.length === 0) return zeros([0], { dtype });
    if (args.every((a) => typeof a === "number")) {
      const sizes = args as number[];
      if (sizes.some((s) => !Number.isInteger(s) || s < 0)) throw new RangeError(`${name}(): sizes must be non-negative integers, got [${sizes.join(", ")}]`);
      return zeros(sizes, { dtype });
    }
    if (args.length === 1 && args[0] instanceof Tensor) {
      const t = args[0] as Tensor;
      if (t.dtype !== dtype) throw new TypeError(`${name}(): expected a ${scalarTypeName(dtype)} tensor (got ${scalarTypeName(t.dtype)})`);
      return t;
    }
    if (args.length === 1) return tensor(args[0] as Parameters<typeof tensor>[0], { dtype });
    throw new TypeError(`${name}(): expected sizes (numbers) or one sequence of data`);
  };
  return Object.assign(make, { dtype });
}

export const FloatTensor = legacy("float32", "FloatTensor");
export const DoubleTensor = legacy("float64", "DoubleTensor");
export const HalfTensor = legacy("float16", "HalfTensor");
export const BFloat16Tensor = legacy("bfloat16", "BFloat16Tensor");
export const LongTensor = legacy("int64", "LongTensor");
export const IntTensor = legacy("int32", "IntTensor");
export const ShortTensor = legacy("int16", "ShortTensor");
export const CharTensor = legacy("int8", "CharTensor");
export const ByteTensor = legacy("uint8", "ByteTensor");
export const BoolTensor = legacy("bool", "BoolTensor");
