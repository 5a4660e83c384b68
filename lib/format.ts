// Prints tensors the way PyTorch does: `tensor([0.5565, 0.1124])`, `tensor(1.6776, grad_fn=<...>)`.
// Follows torch/_tensor_str.py (1.13): precision 4, linewidth 80, summarise past 1000 elements with
// 3 edge items (torch.set_printoptions changes them), one width per tensor taken from its nonzero
// finite values, and scientific notation when their range calls for it. Numbers round half-even,
// as Python's format.
import type { Tensor } from "./tensor.js";
import { checkReadable } from "./validate.js";
import { fromElement, getDefaultDtype, isFloating, isHalf, type DType } from "./dtype.js";

/** torch.set_printoptions' settings (PyTorch's PRINT_OPTS), with PyTorch's defaults. */
export interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  /** true / false force scientific / fixed notation; null lets each tensor's values decide. */
  sciMode: boolean | null;
}
const PROFILES: Record<string, Omit<PrintOptions, "sciMode">> = {
  default: { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 },
  short: { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 },
};
const opts: PrintOptions = { ...PROFILES.default, sciMode: null };

export interface SetPrintOptions {
  precision?: number | null;
  threshold?: number | null;
  edgeitems?: number | null;
  linewidth?: number | null;
  profile?: "default" | "short" | "full" | null;
  sciMode?: boolean | null;
}

/**
 * torch.set_printoptions({ precision, threshold, edgeitems, linewidth, profile, sciMode }): a
 * profile first, then the given fields over it; sciMode is reset to automatic unless given, as
 * PyTorch's (every call sets sci_mode). Settings are process-wide, as PyTorch's.
 */
export function setPrintoptions(o: SetPrintOptions = {}): void {
  const known = new Set(["precision", "threshold", "edgeitems", "linewidth", "profile", "sciMode", "sci_mode"]);
  for (const k of Object.keys(o)) if (!known.has(k)) throw new TypeError(`set_printoptions() got an unexpected keyword argument '${k}'`);
  const profile = o.profile ?? null;
  if (profile !== null) {
    if (!Object.hasOwn(PROFILES, profile)) throw new RangeError(`set_printoptions(): profile must be 'default', 'short' or 'full' (got ${JSON.stringify(profile)})`);
    Object.assign(opts, PROFILES[profile]);
  }
  for (const key of ["precision", "edgeitems", "linewidth"] as const) {
    const v = o[key];
    if (v == null) continue;
    if (!Number.isInteger(v) || v < 0) throw new TypeError(`set_printoptions(): ${key} must be a non-negative integer (got ${v})`);
    opts[key] = v;
  }
  if (o.threshold != null) {
    if (typeof o.threshold !== "number" || Number.isNaN(o.threshold)) throw new TypeError(`set_printoptions(): threshold must be a number (got ${o.threshold})`);
    opts.threshold = o.threshold;
  }
  const sci = o.sciMode ?? (o as { sci_mode?: boolean | null }).sci_mode ?? null;
  if (sci !== null && typeof sci !== "boolean") throw new TypeError(`set_printoptions(): sciMode must be a boolean or null (got ${String(sci)})`);
  opts.sciMode = sci;
}

/** The current print settings (a copy). */
export const getPrintoptions = (): PrintOptions => ({ ...opts });

/**
 * JS's toFixed/toExponential round exact ties away from zero, Python's format to even. `digits`
 * is JS's result for |v|; `extra` the 30 digits of |v| right after the last one kept: a tie shows
 * as "5" and zeros (float32 values end long before that).
 */
function halfEven(digits: string, extra: string): string {
  if (extra !== "5" + "0".repeat(29)) return digits;
  const end = digits.search(/e|$/);
  const last = digits.charCodeAt(end - 1) - 48;
  // JS picked the larger neighbour; an odd last digit means the even one is just below (no borrow).
  return last % 2 === 1 ? digits.slice(0, end - 1) + String(last - 1) + digits.slice(end) : digits;
}

/** Python's "{:.{p}f}".format(v) for finite v (keeps the sign of -0). */
export function pyFixed(v: number, p: number): string {
  const a = Math.abs(v);
  const long = a.toFixed(p + 30);
  const s = halfEven(a.toFixed(p), long.slice(long.length - 30));
  return (v < 0 || Object.is(v, -0) ? "-" : "") + s;
}

/** Python's "{:.{p}e}".format(v) for finite v: two exponent digits at least. */
export function pySci(v: number, p: number): string {
  const a = Math.abs(v);
  const long = a.toExponential(p + 30);
  const e = long.indexOf("e");
  const s = halfEven(a.toExponential(p), long.slice(e - 30, e));
  const [m, exp] = s.split("e");
  const sign = exp[0] === "-" ? "-" : "+";
  return `${v < 0 || Object.is(v, -0) ? "-" : ""}${m}e${sign}${exp.replace(/^[+-]/, "").padStart(2, "0")}`;
}

function nonFinite(v: number): string | null {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return null;
}

interface Formatter {
  /** The width every element is right-aligned to (PyTorch's max_width). */
  width: number;
  format(v: number): string;
}

/** PyTorch's _Formatter: one notation and width for all printed values of a tensor. */
function makeFormatter(t: Tensor, values: number[]): Formatter {
  const pad = (f: (v: number) => string, width: number): Formatter => ({
    width,
    format: (v) => f(v).padStart(width),
  });
  if (!isFloating(t.dtype)) {
    const f = t.dtype === "bool" ? (v: number) => (v ? "True" : "False") : (v: number) => String(v);
    return pad(f, Math.max(1, ...values.map((v) => f(v).length)));
  }
  const p = opts.precision;
  const nz = values.filter((v) => Number.isFinite(v) && v !== 0);
  const intText = (v: number) => nonFinite(v) ?? `${pyFixed(v, 0)}.`;
  const sciText = (v: number) => nonFinite(v) ?? pySci(v, p);
  const fixedText = (v: number) => nonFinite(v) ?? pyFixed(v, p);
  // PyTorch's _Formatter: int mode when every nonzero finite value is integral, scientific
  // notation when their range calls for it; the width comes from that choice, and a forced
  // sci_mode then changes only the notation (so the width may not fit it).
  let intMode = true;
  let sciMode = false;
  // NOTE: with no nonzero finite value PyTorch keeps max_width 1, so nothing is padded.
  let width = 1;
  if (nz.length > 0) {
    const abs = nz.map(Math.abs);
    const max = Math.max(...abs);
    const min = Math.min(...abs);
    const widest = (f: (v: number) => string, extra = 0) => Math.max(1, ...nz.map((v) => f(v).length + extra));
    intMode = nz.every((v) => Number.isInteger(v));
    sciMode = max / min > 1000 || max > 1e8 || (!intMode && min < 1e-4);
    width = sciMode ? widest(sciText) : intMode ? widest(intText) : widest(fixedText);
  }
  if (opts.sciMode !== null) sciMode = opts.sciMode;
  return pad(sciMode ? sciText : intMode ? intText : fixedText, width);
}

/** Indices printed along a dim of `size`: all, or the edges around "..." when summarising. */
function shownIndices(size: number, summarize: boolean): (number | null)[] {
  const edge = opts.edgeitems;
  if (!summarize || size <= 2 * edge) return [...Array(size).keys()];
  const head = [...Array(edge).keys()];
  const tail = head.map((i) => size - edge + i);
  return [...head, null, ...tail];
}

/** PyTorch names every dtype but the default float dtype, int64 and bool. */
const isSilentDtype = (d: DType) => d === getDefaultDtype() || d === "int64" || d === "bool";

export function formatTensor(t: Tensor): string {
  checkReadable("print", t);
  const prefix = "tensor(";
  // NOTE: an empty tensor prints without walking its dims: a [268435455, 0] tensor is one line, at
  // once, as in PyTorch. Everything below walks only the printed elements (at most ~1000).
  const body = t.numel() === 0 ? "[]" : formatBody(t, prefix.length);
  const suffixes: string[] = [];
  if (t.numel() === 0 && t.ndim !== 1) suffixes.push(`size=(${t.shape.join(", ")}${t.ndim === 1 ? "," : ""})`);
  if (t.numel() === 0 && t.dtype !== getDefaultDtype()) suffixes.push(`dtype=torch.${t.dtype}`);
  else if (t.numel() > 0 && !isSilentDtype(t.dtype)) suffixes.push(`dtype=torch.${t.dtype}`);
  if (t.gradFn) suffixes.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffixes.push("requires_grad=True");
  return `${prefix}${[body, ...suffixes].join(", ")})`;
}

/** The nested brackets of a non-empty tensor. Runs of size-1 dims are handled in a loop, so the
 *  recursion depth stays below ~32 whatever the ndim (only 31 dims can exceed 1 in 2^31 elements). */
function formatBody(t: Tensor, indent0: number): string {
  const c = t.detach().contiguous();
  const stored = c.storage();
  const dtype = t.dtype;
  const data = isHalf(dtype) ? Float32Array.from(stored, (e) => fromElement(e, dtype)) : stored;
  const summarize = t.numel() > opts.threshold;
  const strides = c.strides;
  const ones = (d: number): number => {
    let k = 0;
    while (d + k < t.ndim - 1 && t.shape[d + k] === 1) k++;
    return k;
  };
  // Collect the values that will be printed, so the width and notation depend on those only.
  const shown: number[] = [];
  const gather = (d: number, base: number): void => {
    d += ones(d);
    if (d === t.ndim) return void shown.push(data[base]);
    for (const i of shownIndices(t.shape[d], summarize)) if (i !== null) gather(d + 1, base + i * strides[d]);
  };
  gather(0, 0);
  const fmt = makeFormatter(t, shown);

  const render = (d: number, base: number, indent: number): string => {
    if (d === t.ndim) return fmt.format(data[base]);
    const k = ones(d);
    if (k > 0) return "[".repeat(k) + render(d + k, base, indent + k) + "]".repeat(k);
    const idx = shownIndices(t.shape[d], summarize);
    if (d === t.ndim - 1) {
      // NOTE: PyTorch's _vector_str: the "..." item is " ...", and a line holds as many items as
      // fit at the formatter's width (plus ", "), even when some items are wider.
      const items = idx.map((i) => (i === null ? " ..." : render(d + 1, base + i * strides[d], indent)));
      const perLine = Math.max(1, Math.floor((opts.linewidth - indent) / (fmt.width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(", "));
      return `[${lines.join(",\n" + " ".repeat(indent + 1))}]`;
    }
    const sep = "," + "\n".repeat(t.ndim - d - 1) + " ".repeat(indent + 1);
    return `[${idx.map((i) => (i === null ? "..." : render(d + 1, base + i * strides[d], indent + 1))).join(sep)}]`;
  };

  return render(0, 0, indent0);
}
