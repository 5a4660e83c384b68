// F.pixel_shuffle / F.pixel_unshuffle: the sub-pixel rearrangements of ESPCN-style upsampling,
// [*, C·r², H, W] <-> [*, C, H·r, W·r]. Each is a reshape, a permute and a reshape (recorded views
// plus one copy), so gradients follow without a kernel of their own; the result is contiguous, as
// PyTorch's. ref: aten/src/ATen/native/PixelShuffle.cpp (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { checkTensor, parseArgs } from "./args.js";

function factorArg(fn: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new TypeError(`${fn}(): argument '${name}' (position 2) must be int, not ${typeof v === "number" ? "float" : typeof v}`);
  }
  if (v <= 0) throw new RangeError(`${fn} expects a positive ${name}, but got ${v}`);
  return v;
}

function checkRank(fn: string, x: Tensor): void {
  if (x.ndim < 3) throw new RangeError(`${fn} expects input to have at least 3 dimensions, but got input with ${x.ndim} dimension(s)`);
}

/** [*, C·r², H, W] -> [*, C, H·r, W·r]: out[c, h·r + i, w·r + j] = in[c·r² + i·r + j, h, w]. */
export function pixelShuffle(input: Tensor, upscaleFactor: number | { upscaleFactor?: number }): Tensor;
export function pixelShuffle(...args: unknown[]): Tensor {
  const fn = "pixel_shuffle";
  const o = parseArgs<{ input: unknown; upscaleFactor: unknown }>(fn, args, ["input", "upscaleFactor"], {});
  const x = checkTensor(fn, "input", o.input, 1);
  checkRank(fn, x);
  const r = factorArg(fn, "upscale_factor", o.upscaleFactor);
  const [c, h, w] = x.shape.slice(-3);
  if (c % (r * r) !== 0) {
    throw new RangeError(`${fn} expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`);
  }
  const batch = x.shape.slice(0, -3);
  const b = batch.length;
  const oc = c / (r * r);
  // [*, oc, r, r, h, w] -> [*, oc, h, r, w, r]
  const perm = [...batch.keys(), b, b + 3, b + 1, b + 4, b + 2];
  return x.reshape([...batch, oc, r, r, h, w]).permute(perm).reshape([...batch, oc, h * r, w * r]);
}

/** The inverse of pixelShuffle: [*, C, H·r, W·r] -> [*, C·r², H, W]. */
export function pixelUnshuffle(input: Tensor, downscaleFactor: number | { downscaleFactor?: number }): Tensor;
export function pixelUnshuffle(...args: unknown[]): Tensor {
  const fn = "pixel_unshuffle";
  const o = parseArgs<{ input: unknown; downscaleFactor: unknown }>(fn, args, ["input", "downscaleFactor"], {});
  const x = checkTensor(fn, "input", o.input, 1);
  checkRank(fn, x);
  const r = factorArg(fn, "downscale_factor", o.downscaleFactor);
  const [c, h, w] = x.shape.slice(-3);
  if (h % r !== 0) throw new RangeError(`${fn} expects height to be divisible by downscale_factor, but input.size(-2)=${h} is not divisible by ${r}`);
  if (w % r !== 0) throw new RangeError(`${fn} expects width to be divisible by downscale_factor, but input.size(-1)=${w} is not divisible by ${r}`);
  const batch = x.shape.slice(0, -3);
  const b = batch.length;
  const [oh, ow] = [h / r, w / r];
  // [*, c, oh, r, ow, r] -> [*, c, r, r, oh, ow]
  const perm = [...batch.keys(), b, b + 2, b + 4, b + 1, b + 3];
  return x.reshape([...batch, c, oh, r, ow, r]).permute(perm).reshape([...batch, c * r * r, oh, ow]);
}

/**
 * F.channel_shuffle (ShuffleNet): the C channels of an [N, C, *] input as [groups, C/groups] are
 * transposed, out[:, j·groups + g] = in[:, g·(C/groups) + j]. A reshape, a transpose and a reshape.
 * ref: aten/src/ATen/native/ChanelShuffle.cpp (PyTorch 1.13).
 */
export function channelShuffle(input: Tensor, groups: number | { groups?: number }): Tensor;
export function channelShuffle(...args: unknown[]): Tensor {
  const o = parseArgs<{ input: Tensor; groups: unknown }>("channel_shuffle", args, ["input", "groups"], {});
  const x = checkTensor("channel_shuffle", "input", o.input, 1);
  const g = o.groups;
  if (typeof g !== "number" || !Number.isInteger(g)) {
    throw new TypeError(`channel_shuffle(): argument 'groups' (position 2) must be int, not ${typeof g === "number" ? "float" : typeof g}`);
  }
  if (x.ndim <= 2) throw new RangeError(`channel_shuffle expects input with > 2 dims, but got input with sizes [${x.shape.join(", ")}]`);
  const c = x.shape[1];
  if (g <= 0) throw new RangeError(`Number of groups to divide channels in must be positive. Value of groups:${g}`);
  if (c % g !== 0) throw new RangeError(`Number of channels must be divisible by groups. Got ${c} channels and ${g} groups.`);
  const [n, ...rest] = [x.shape[0], ...x.shape.slice(2)];
  return x.reshape([n, g, c / g, ...rest]).transpose(1, 2).reshape(x.shape);
}
