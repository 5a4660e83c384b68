// torch.* odds and ends that PyTorch programs reach for: torch.finfo / iinfo, the constants
// (torch.pi, e, inf, nan), torch.Size, the complex-view functions of a real tensor (conj, real,
// angle, ...), typename, scalar_tensor / asarray, the signal windows, and the process settings
// torchlet has no use for but accepts (deterministic algorithms: always; interop threads).
import { Tensor } from "./tensor.js";
import type { DType } from "./backend/types.js";
import { parseDType, getDefaultDtype } from "./dtype.js";
import { legacyTypeName } from "./autograd/version.js";
import { full, type TensorOptions } from "./ops/creation.js";
import { asTensor } from "./functional_more.js";

export { inferenceMode, isInferenceModeEnabled } from "./autograd/grad_mode.js";
export { isAnomalyEnabled, setDetectAnomaly as setAnomalyEnabled } from "./autograd/legacy.js";

export const pi = Math.PI;
export const e = Math.E;
export const inf = Infinity;
export const nan = NaN;

/** torch.Size([2, 3]): a frozen array, what `x.shape` compares equal to. */
export const Size = (dims: readonly number[] = []): readonly number[] => Object.freeze([...dims]);

/** torch.finfo(dtype): the float dtype's limits, PyTorch's fields (camelCase: smallestNormal). */
export interface FInfo {
  readonly bits: number;
  readonly eps: number;
  readonly max: number;
  readonly min: number;
  readonly tiny: number;
  readonly smallestNormal: number;
  readonly resolution: number;
  readonly dtype: DType;
}
const FINFO: Partial<Record<DType, Omit<FInfo, "min" | "smallestNormal" | "dtype">>> = {
  float16: { bits: 16, eps: 2 ** -10, max: 65504, tiny: 2 ** -14, resolution: 0.001 },
  bfloat16: { bits: 16, eps: 2 ** -7, max: 3.3895313892515355e38, tiny: 2 ** -126, resolution: 0.01 },
  float32: { bits: 32, eps: 2 ** -23, max: 3.4028234663852886e38, tiny: 2 ** -126, resolution: 1e-6 },
  float64: { bits: 64, eps: 2 ** -52, max: Number.MAX_VALUE, tiny: 2 ** -1022, resolution: 1e-15 },
};
export function finfo(dtype?: DType | string): FInfo {
  const d = dtype === undefined ? getDefaultDtype() : parseDType(dtype, "finfo");
  const f = FINFO[d];
  if (f === undefined) throw new TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'");
  return Object.freeze({ ...f, min: -f.max, smallestNormal: f.tiny, dtype: d });
}

/** torch.iinfo(dtype). NOTE: int64's limits are ±2^63 as JS numbers (2^63 - 1 has no double). */
export interface IInfo {
  readonly bits: number;
  readonly max: number;
  readonly min: number;
  readonly dtype: DType;
}
const IINFO: Partial<Record<DType, [number, number, number]>> = {
  uint8: [8, 0, 255], int8: [8, -128, 127], int16: [16, -32768, 32767], int32: [32, -(2 ** 31), 2 ** 31 - 1], int64: [64, -(2 ** 63), 2 ** 63 - 1],
};
export function iinfo(dtype: DType | string): IInfo {
  const d = parseDType(dtype, "iinfo");
  const i = IINFO[d];
  if (i === undefined) throw new TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'");
  return Object.freeze({ bits: i[0], min: i[1], max: i[2], dtype: d });
}

export const conj = (x: Tensor) => x.conj();
export const conjPhysical = (x: Tensor) => x.conjPhysical();
export const resolveConj = (x: Tensor) => x.resolveConj();
export const resolveNeg = (x: Tensor) => x.resolveNeg();
export const isConj = (x: Tensor) => x.isConj();
export const isNeg = (x: Tensor) => x.isNeg();
export const real = (x: Tensor) => x.real;
export const imag = (x: Tensor) => x.imag;
export const angle = (x: Tensor) => x.angle();
export const adjoint = (x: Tensor) => x.adjoint();

/** torch.typename(x): "torch.FloatTensor" for a tensor, else the value's type name. */
export function typename(x: unknown): string {
  if (x instanceof Tensor) return legacyTypeName(x);
  return x === null ? "NoneType" : typeof x === "object" ? (x as object).constructor?.name ?? "object" : typeof x;
}
export const isStorage = (_x: unknown): boolean => false;

/** torch.scalar_tensor(v): a 0-d tensor of the default float dtype (or opts.dtype). */
export const scalarTensor = (v: number | boolean, opts: TensorOptions = {}): Tensor => full([], Number(v), opts);
/** torch.asarray(obj): obj itself for a tensor of that dtype, else a tensor of it (as torch.as_tensor). */
export const asarray = (obj: unknown, opts: { dtype?: DType } = {}): Tensor => asTensor(obj, opts);

let deterministic = false;
let deterministicWarnOnly = false;
/** torch.use_deterministic_algorithms(mode): torchlet's kernels are deterministic (bit-identical for any thread count) either way. */
export function useDeterministicAlgorithms(mode: boolean, opts: { warnOnly?: boolean } = {}): void {
  if (typeof mode !== "boolean") throw new TypeError("use_deterministic_algorithms(): argument 'mode' must be bool");
  deterministic = mode;
  deterministicWarnOnly = opts.warnOnly ?? false;
}
export const areDeterministicAlgorithmsEnabled = (): boolean => deterministic;
export const isDeterministicAlgorithmsWarnOnlyEnabled = (): boolean => deterministicWarnOnly;

let interopThreads = 1;
/** torch.set_num_interop_threads(n): recorded only; torchlet runs each op on its one thread pool (setNumThreads). */
export function setNumInteropThreads(n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError("Expected positive number of threads");
  interopThreads = n;
}
export const getNumInteropThreads = (): number => interopThreads;

export { hannWindow, hammingWindow, blackmanWindow, bartlettWindow, kaiserWindow } from "./ops/window_functions.js";
export type { WindowOptions } from "./ops/window_functions.js";
