// PyTorch's keyword arguments for the Tensor methods and torch.* functions that take dims, as the
// README's rule says (keyword arguments become one trailing options object): x.sum(1, { keepdim:
// true }), x.sum({ dim: 1 }), x.topk(3, { dim: 0, largest: false }), torch.cat(xs, { dim: 1 }),
// torch.triu(m, { diagonal: 1 }), torch.multinomial(p, { numSamples: 2 }). Each listed method is
// wrapped once, at load: calls without an options object go straight through; with one, its keys
// fill the named positions (camelCase names; PyTorch's errors for unknown or doubled arguments).
import { isOptions } from "./nn/args.js";
import { Tensor } from "./tensor.js";
import { cat as catOp, stack as stackOp } from "./ops/indexing.js";

/** A method's positional parameter names, and (optionally) the position of its own options object
 *  with the keys that belong there rather than to a position. */
interface Signature {
  names: readonly string[];
  optsAt?: number;
  optsKeys?: readonly string[];
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** The positional arguments with a trailing options object's keys moved to their positions. */
export function bindKeywords(fn: string, args: readonly unknown[], sig: Signature): unknown[] {
  // NOTE: the options object is the first plain object; what follows it can only be defaults that a
  // forwarding function filled in (torch.sum(x, { dim: 1 }) calls x.sum({ dim: 1 }, false)).
  let at = -1;
  for (let i = 0; i < args.length; i++) {
    if (isOptions(args[i])) {
      at = i;
      break;
    }
  }
  if (at < 0 || (at === sig.optsAt && ownOptionsOnly(args[at] as object, sig))) return args as unknown[];
  const kw = args[at] as Record<string, unknown>;
  const out = args.slice(0, at);
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(kw)) {
    const name = camel(key);
    if (sig.optsKeys?.includes(name)) {
      own[name] = value;
      continue;
    }
    const i = sig.names.indexOf(name);
    if (i < 0) throw new TypeError(`${fn}() got an unexpected keyword argument '${key}'`);
    if (out[i] !== undefined) throw new TypeError(`${fn}() got multiple values for argument '${key}'`);
    out[i] = value;
  }
  if (sig.optsAt !== undefined && Object.keys(own).length > 0) out[sig.optsAt] = own;
  return out;
}

function ownOptionsOnly(o: object, sig: Signature): boolean {
  return Object.keys(o).every((k) => sig.optsKeys?.includes(camel(k)));
}

const REDUCE: Signature = { names: ["dim", "keepdim"] };

/** The Tensor methods that take keyword arguments, and their positional names in PyTorch's order. */
export const METHOD_SIGNATURES: Record<string, Signature> = {
  sum: REDUCE, mean: REDUCE, max: REDUCE, min: REDUCE, amax: REDUCE, amin: REDUCE, argmax: REDUCE, argmin: REDUCE,
  all: REDUCE, any: REDUCE, logsumexp: REDUCE, median: REDUCE, nanmedian: REDUCE,
  nansum: { names: ["dim", "keepdim"], optsAt: 2, optsKeys: ["dtype"] },
  nanmean: { names: ["dim", "keepdim"], optsAt: 2, optsKeys: ["dtype"] },
  countNonzero: { names: ["dim"] },
  softmax: { names: ["dim"] }, logSoftmax: { names: ["dim"] },
  cumsum: { names: ["dim"], optsAt: 1, optsKeys: ["dtype"] },
  cumprod: { names: ["dim"], optsAt: 1, optsKeys: ["dtype"] },
  norm: { names: ["p", "dim", "keepdim"], optsAt: 3, optsKeys: ["dtype"] },
  squeeze: { names: ["dim"] }, unsqueeze: { names: ["dim"] },
  flatten: { names: ["startDim", "endDim"] }, unflatten: { names: ["dim", "sizes"] },
  transpose: { names: ["dim0", "dim1"] }, swapaxes: { names: ["axis0", "axis1"] }, swapdims: { names: ["dim0", "dim1"] },
  movedim: { names: ["source", "destination"] }, narrow: { names: ["dim", "start", "length"] },
  select: { names: ["dim", "index"] },
  topk: { names: ["k", "dim", "largest", "sorted"] },
  chunk: { names: ["chunks", "dim"] }, split: { names: ["splitSizeOrSections", "dim"] }, unbind: { names: ["dim"] },
  tril: { names: ["diagonal"] }, triu: { names: ["diagonal"] }, diagonal: { names: ["offset", "dim1", "dim2"] },
  gather: { names: ["dim", "index"] }, indexSelect: { names: ["dim", "index"] },
  roll: { names: ["shifts", "dims"] },
  cross: { names: ["other", "dim"] }, dist: { names: ["other", "p"] },
  cummax: { names: ["dim"] }, cummin: { names: ["dim"] }, logcumsumexp: { names: ["dim"] },
  kthvalue: { names: ["k", "dim", "keepdim"] }, mode: { names: ["dim", "keepdim"] },
  quantile: { names: ["q", "dim", "keepdim"], optsAt: 3, optsKeys: ["interpolation"] },
  nanquantile: { names: ["q", "dim", "keepdim"], optsAt: 3, optsKeys: ["interpolation"] },
  histc: { names: ["bins", "min", "max"] }, renorm: { names: ["p", "dim", "maxnorm"] }, renorm_: { names: ["p", "dim", "maxnorm"] },
  takeAlongDim: { names: ["indices", "dim"] },
  put: { names: ["index", "source", "accumulate"] }, put_: { names: ["index", "source", "accumulate"] },
  indexPut: { names: ["indices", "values", "accumulate"] }, indexPut_: { names: ["indices", "values", "accumulate"] },
  selectScatter: { names: ["src", "dim", "index"] }, sliceScatter: { names: ["src", "dim", "start", "end", "step"] },
  diagonalScatter: { names: ["src", "offset", "dim1", "dim2"] }, fillDiagonal_: { names: ["fillValue", "wrap"] },
  diagEmbed: { names: ["offset", "dim1", "dim2"] }, diagflat: { names: ["offset"] },
  narrowCopy: { names: ["dim", "start", "length"] }, rot90: { names: ["k", "dims"] },
  tensorSplit: { names: ["indicesOrSections", "dim"] }, splitWithSizes: { names: ["splitSizes", "dim"] },
  squeeze_: { names: ["dim"] }, unsqueeze_: { names: ["dim"] },
  transpose_: { names: ["dim0", "dim1"] }, swapaxes_: { names: ["axis0", "axis1"] }, swapdims_: { names: ["dim0", "dim1"] },
  tril_: { names: ["diagonal"] }, triu_: { names: ["diagonal"] },
  asStrided: { names: ["size", "stride", "storageOffset"] },
  multinomial: { names: ["numSamples", "replacement"], optsAt: 2, optsKeys: ["generator"] },
  uniform_: { names: ["from", "to"], optsAt: 2, optsKeys: ["generator"] },
  normal_: { names: ["mean", "std"], optsAt: 2, optsKeys: ["generator"] },
  bernoulli: { names: ["p"], optsAt: 1, optsKeys: ["generator"] },
  bernoulli_: { names: ["p"], optsAt: 1, optsKeys: ["generator"] },
  random_: { names: ["from", "to"], optsAt: 2, optsKeys: ["generator"] },
  exponential_: { names: ["lambd"], optsAt: 1, optsKeys: ["generator"] },
  geometric_: { names: ["p"], optsAt: 1, optsKeys: ["generator"] },
  logNormal_: { names: ["mean", "std"], optsAt: 2, optsKeys: ["generator"] },
  cauchy_: { names: ["median", "sigma"], optsAt: 2, optsKeys: ["generator"] },
  cholesky: { names: ["upper"] }, choleskySolve: { names: ["input2", "upper"] }, choleskyInverse: { names: ["upper"] },
  qr: { names: ["some"] }, svd: { names: ["some", "computeUv"] }, pinverse: { names: ["rcond"] }, matrixPower: { names: ["n"] },
  triangularSolve: { names: ["A", "upper", "transpose", "unitriangular"] }, lu: { names: ["pivot", "getInfos"] },
  ormqr: { names: ["input2", "input3", "left", "transpose"] }, symeig: { names: ["eigenvectors", "upper"] },
};

for (const [name, sig] of Object.entries(METHOD_SIGNATURES)) {
  const proto = Tensor.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const method = proto[name];
  if (typeof method !== "function") throw new Error(`tensor_keywords: Tensor has no method ${name}`);
  proto[name] = function (this: Tensor, ...args: unknown[]) {
    return method.apply(this, bindKeywords(name, args, sig));
  };
}

/** torch.cat / torch.stack with `{ dim }` (torch.cat(xs, dim=1)). */
export function cat(tensors: readonly Tensor[], dim: number | { dim?: number } = 0): Tensor {
  return catOp(tensors, ...(bindKeywords("cat", [dim], { names: ["dim"] }) as [number]));
}
export function stack(tensors: readonly Tensor[], dim: number | { dim?: number } = 0): Tensor {
  return stackOp(tensors, ...(bindKeywords("stack", [dim], { names: ["dim"] }) as [number]));
}
