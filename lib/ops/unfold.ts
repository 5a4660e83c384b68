// F.unfold (im2col) and F.fold (col2im) for 4-D (or unbatched 3-D) inputs. Float32 and float64 run
// as one node each on the backend's kernels (columns.ts); the other float dtypes are composed from
// recorded ops (constant pad, strided slice, stack, reshape). Either way each one's gradient is the
// other one and second derivatives follow. ref: torch/nn/functional.py unfold/fold (PyTorch 1.13).
import { Tensor } from "../tensor.js";
import { Col2im, Im2col, hasColumnKernels, makeWindow } from "./columns.js";
import { stack } from "./indexing.js";
import { slice } from "./views.js";
import { zeros } from "./creation.js";
import { pad } from "./pad.js";

export type Pair = [number, number];

/** An int or a 1-/2-tuple as a pair; PyTorch's _pair. */
export function pair(v: number | readonly number[], fn: string, name: string): Pair {
  const arr: readonly number[] = typeof v === "number" ? [v, v] : Array.isArray(v) && v.length === 1 ? [v[0], v[0]] : v;
  if (!Array.isArray(arr) || arr.length !== 2 || arr.some((e) => !Number.isInteger(e))) {
    throw new TypeError(`${fn}(): argument '${name}' must be an int or a tuple of two ints, not ${JSON.stringify(v)}`);
  }
  return [arr[0], arr[1]];
}

/** Output length of a sliding window: floor((n + 2p - d(k-1) - 1)/s) + 1. */
export function windowCount(n: number, k: number, d: number, p: number, s: number): number {
  return Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/** [N, C, H, W] -> [N, C*kh*kw, L] with the kernel offsets varying fastest inside a channel. */
export function im2col(x: Tensor, k: Pair, d: Pair, p: Pair, s: Pair): Tensor {
  const kernels = hasColumnKernels(x.dtype);
  // NOTE: the kernels read the padding as zeros; only the composition pads first.
  const xp = !kernels && (p[0] || p[1]) ? pad(x, [p[1], p[1], p[0], p[0]]) : x;
  const [N, C, H0, W0] = xp.shape;
  const [H, W] = kernels ? [H0 + 2 * p[0], W0 + 2 * p[1]] : [H0, W0];
  const oh = windowCount(H, k[0], d[0], 0, s[0]);
  const ow = windowCount(W, k[1], d[1], 0, s[1]);
  if (oh <= 0 || ow <= 0) {
    throw new RangeError(
      `Given input with spatial size (${H - 2 * p[0]}, ${W - 2 * p[1]}), kernel_size=(${k.join(", ")}), dilation=(${d.join(", ")}), padding=(${p.join(", ")}), calculated shape of the array of sliding blocks as (${oh}, ${ow}), but its components must be at least one.`,
    );
  }
  if (kernels) return Im2col.apply(x, { w: makeWindow(k, d, p, s, [oh, ow]), C, H: H0, W: W0 }) as Tensor;
  const blocks: Tensor[] = [];
  for (let i = 0; i < k[0]; i++) {
    for (let j = 0; j < k[1]; j++) {
      const rows = slice(xp, 2, i * d[0], i * d[0] + (oh - 1) * s[0] + 1, s[0]);
      blocks.push(slice(rows, 3, j * d[1], j * d[1] + (ow - 1) * s[1] + 1, s[1]));
    }
  }
  return stack(blocks, 2).reshape(N, C * k[0] * k[1], oh * ow);
}

/** Spreads [..., n] along `dim` to [..., (n-1)*s+1] with s-1 zeros between entries. */
function dilate(x: Tensor, dim: number, s: number): Tensor {
  if (s === 1) return x;
  const n = x.shape[dim];
  const z = zeros(x.shape, { dtype: x.dtype });
  const spread = stack([x, ...Array.from({ length: s - 1 }, () => z)], dim + 1);
  const shape = [...x.shape];
  shape[dim] = n * s;
  return slice(spread.reshape(...shape), dim, 0, (n - 1) * s + 1);
}

/** The adjoint of im2col: [N, C*kh*kw, L] -> [N, C, H, W], overlapping blocks summed. */
export function col2im(cols: Tensor, out: Pair, k: Pair, d: Pair, p: Pair, s: Pair): Tensor {
  const [N, CK, L] = cols.shape;
  const K = k[0] * k[1];
  if (CK % K !== 0) {
    throw new RangeError(
      `Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=${CK} and kernel_size=(${k.join(", ")})`,
    );
  }
  const [Hp, Wp] = [out[0] + 2 * p[0], out[1] + 2 * p[1]];
  const oh = windowCount(out[0], k[0], d[0], p[0], s[0]);
  const ow = windowCount(out[1], k[1], d[1], p[1], s[1]);
  if (oh * ow !== L) {
    throw new RangeError(
      `Given output_size=(${out.join(", ")}), kernel_size=(${k.join(", ")}), dilation=(${d.join(", ")}), padding=(${p.join(", ")}), stride=(${s.join(", ")}), expected size of input's dimension 2 to match the calculated number of sliding blocks ${oh} * ${ow} = ${oh * ow}, but got input.size(2)=${L}.`,
    );
  }
  const C = CK / K;
  if (hasColumnKernels(cols.dtype)) {
    return Col2im.apply(cols, { w: makeWindow(k, d, p, s, [oh, ow]), C, H: out[0], W: out[1] }) as Tensor;
  }
  const c6 = cols.reshape(N, C, k[0], k[1], oh, ow);
  let acc: Tensor | null = null;
  for (let i = 0; i < k[0]; i++) {
    for (let j = 0; j < k[1]; j++) {
      const block = dilate(dilate(slice(slice(c6, 2, i, i + 1), 3, j, j + 1).reshape(N, C, oh, ow), 2, s[0]), 3, s[1]);
      const top = i * d[0];
      const left = j * d[1];
      const placed = pad(block, [left, Wp - left - block.shape[3], top, Hp - top - block.shape[2]]);
      acc = acc === null ? placed : acc.add(placed);
    }
  }
  const full = acc as Tensor;
  return p[0] || p[1] ? pad(full, [-p[1], -p[1], -p[0], -p[0]]) : full;
}

function unbatched(x: Tensor, dims: number, fn: (b: Tensor) => Tensor): Tensor {
  return x.ndim === dims - 1 ? fn(x.unsqueeze(0)).squeeze(0) : fn(x);
}

export function unfold(input: Tensor, kernelSize: number | readonly number[], dilation: number | readonly number[] = 1, padding: number | readonly number[] = 0, stride: number | readonly number[] = 1): Tensor {
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new RangeError(`Input Error: Only 3D or 4D input Tensors are supported (got ${input.ndim}D)`);
  }
  const f = "unfold";
  const [k, d, p, s] = [pair(kernelSize, f, "kernel_size"), pair(dilation, f, "dilation"), pair(padding, f, "padding"), pair(stride, f, "stride")];
  return unbatched(input, 4, (x) => im2col(x, k, d, p, s));
}

export function fold(input: Tensor, outputSize: number | readonly number[], kernelSize: number | readonly number[], dilation: number | readonly number[] = 1, padding: number | readonly number[] = 0, stride: number | readonly number[] = 1): Tensor {
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new RangeError(`Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got ${input.ndim}D)`);
  }
  const f = "fold";
  const [o, k, d, p, s] = [pair(outputSize, f, "output_size"), pair(kernelSize, f, "kernel_size"), pair(dilation, f, "dilation"), pair(padding, f, "padding"), pair(stride, f, "stride")];
  return unbatched(input, 3, (x) => col2im(x, o, k, d, p, s));
}
