// Devices: torch.device("cpu"), torch.cuda.isAvailable() and the checks behind every `device`
// argument, so a PyTorch program's device boilerplate translates line by line. torchlet computes on
// the CPU only: "cpu" (with any index) is accepted everywhere as a no-op, every other device type
// parses like PyTorch's but is refused with one clear error where a tensor or module would go there.
// ref: c10/core/Device.cpp (device strings), torch/cuda/__init__.py (PyTorch 1.13).
import { inspect } from "./inspect_custom.js";

/** PyTorch 1.13's device types, in its order (its error message lists them). */
const DEVICE_TYPES = [
  "cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "ort", "xla", "lazy",
  "vulkan", "mps", "meta", "hpu", "privateuseone",
] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** A device: its type ("cpu", "cuda", ...) and an optional index (PyTorch's torch.device). */
export class Device {
  constructor(
    readonly type: DeviceType,
    readonly index: number | null = null,
  ) {}

  /** "cpu", "cuda:0": PyTorch's str(device), also what `${device}` and `device == "cpu"` see. */
  toString(): string {
    return this.index === null ? this.type : `${this.type}:${this.index}`;
  }
  /** PyTorch's repr: `device(type='cpu')`, `device(type='cuda', index=0)`. */
  [inspect.custom](): string {
    return this.index === null ? `device(type='${this.type}')` : `device(type='${this.type}', index=${this.index})`;
  }
}

/** What every `device` argument takes: a Device, a device string ("cpu", "cuda:1") or a CUDA index. */
export type DeviceLike = Device | DeviceType | `${DeviceType}:${number}` | (string & {}) | number;

function parseDeviceString(s: string): Device {
  if (s === "") throw new Error("Device string must not be empty");
  // NOTE: PyTorch checks the syntax first, then the type name: " cpu" is invalid, "CPU" unknown.
  const m = /^([a-zA-Z_]+)(?::([1-9]\d*|0))?$/.exec(s);
  if (m === null) throw new Error(`Invalid device string: '${s}'`);
  if (!(DEVICE_TYPES as readonly string[]).includes(m[1])) {
    throw new Error(`Expected one of ${DEVICE_TYPES.join(", ")} device type at start of device string: ${m[1]}`);
  }
  return new Device(m[1] as DeviceType, m[2] === undefined ? null : Number(m[2]));
}

/**
 * torch.device: `device("cpu")`, `device("cuda:1")`, `device("cuda", 1)`, `device(0)` (CUDA index 0),
 * or a copy of a Device. Building a non-CPU device is allowed (as in PyTorch); using one throws.
 */
export function device(type: DeviceLike, index?: number): Device {
  if (type instanceof Device) {
    if (index !== undefined) throw new TypeError("device(): an index can't be given with a torch.device");
    return type;
  }
  if (typeof type === "number") {
    if (index !== undefined) throw new TypeError("device(): an index can't be given twice");
    return new Device("cuda", checkIndex(type));
  }
  if (typeof type !== "string") throw new TypeError(`device(): expected a string, a torch.device or an index, got ${typeof type}`);
  const d = parseDeviceString(type);
  if (index === undefined || index === null) return d;
  if (d.index !== null) throw new Error(`type (string) must not include an index because index was passed explicitly: ${type}`);
  return new Device(d.type, checkIndex(index));
}

function checkIndex(i: unknown): number {
  if (typeof i !== "number" || !Number.isInteger(i)) throw new TypeError(`device(): the index must be an integer, got ${String(i)}`);
  if (i < 0) throw new RangeError(`Device index must not be negative`);
  return i;
}

/** The one device torchlet computes on; every tensor's `.device`. */
export const CPU = new Device("cpu");

/**
 * The device an argument names, checked to be the CPU: null/undefined mean "the default" (CPU).
 * Anything else throws, naming the caller (`fn`), with the advice PyTorch programs need.
 */
export function checkDevice(d: unknown, fn: string): Device {
  if (d === undefined || d === null) return CPU;
  if (!(d instanceof Device) && typeof d !== "string" && typeof d !== "number") {
    throw new TypeError(`${fn}: device must be a torch.device, a string such as "cpu", or an index, got ${typeof d}`);
  }
  const dev = device(d as DeviceLike);
  if (dev.type === "cpu") return CPU;
  throw deviceUnavailable(dev, fn);
}

/** The error for a tensor or module sent to a device other than the CPU. */
export function deviceUnavailable(dev: Device, fn: string): Error {
  const what = dev.type === "cuda" ? "Torch not compiled with CUDA enabled" : `device '${dev}' is not available`;
  return new Error(`${fn}: ${what}: torchlet runs on the CPU only (torch.cuda.isAvailable() is false); use device "cpu"`);
}

/** Whether a value names a device rather than a dtype (for `tensor.to(x)`). */
export function isDeviceLike(v: unknown): boolean {
  if (v instanceof Device || typeof v === "number") return true;
  if (typeof v !== "string") return false;
  const type = /^[a-z]+/.exec(v)?.[0];
  return type !== undefined && (DEVICE_TYPES as readonly string[]).includes(type);
}

/** torch.cuda: no CUDA device here, ever. The seeding calls are no-ops, as in PyTorch without CUDA. */
export const cuda = {
  isAvailable: (): boolean => false,
  deviceCount: (): number => 0,
  isInitialized: (): boolean => false,
  /** Seeds the current CUDA device's generator: nothing to seed here (PyTorch ignores it too). */
  manualSeed: (_seed: number): void => {},
  manualSeedAll: (_seed: number): void => {},
};

/** torch.backends.mps: Apple's Metal backend is never available either. */
export const backends = {
  mps: { isAvailable: (): boolean => false, isBuilt: (): boolean => false },
};
