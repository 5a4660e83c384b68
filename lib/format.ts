// Prints tensors the way PyTorch does: `tensor([0.5565, 0.1124])`, `tensor(1.6776, grad_fn=<...>)`.
// Follows torch/_tensor_str.py's defaults: precision 4, linewidth 80, summarise past 1000 elements
// with 3 edge items, one shared width per tensor, scientific notation when the range calls for it.
import type { Tensor } from "./tensor.js";

const PRECISION = 4;
const LINEWIDTH = 80;
const THRESHOLD = 1000;
const EDGEITEMS = 3;

/** Python's "%.{p}e": two-digit exponent at least. */
function sci(v: number, p: number): string {
  const [m, e] = v.toExponential(p).split("e");
  const sign = e[0] === "-" ? "-" : "+";
  const digits = e.replace(/^[+-]/, "");
  return `${m}e${sign}${digits.padStart(2, "0")}`;
}

function nonFinite(v: number): string | null {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return null;
}

/** Chooses one formatting for all elements, as _Formatter does. */
function makeFormatter(t: Tensor, values: number[]): (v: number) => string {
  if (t.dtype === "bool") return (v) => (v ? "True" : "False");
  if (t.dtype === "int64") return (v) => String(v);
  const finite = values.filter((v) => Number.isFinite(v));
  const nonzero = finite.map(Math.abs).filter((v) => v !== 0);
  if (finite.length === 0 || nonzero.length === 0) {
    return (v) => nonFinite(v) ?? (Object.is(v, -0) ? "-0." : `${v.toFixed(0)}.`);
  }
  const max = Math.max(...nonzero);
  const min = Math.min(...nonzero);
  if (finite.every((v) => Number.isInteger(v))) {
    return max > 1e8 ? (v) => nonFinite(v) ?? sci(v, PRECISION) : (v) => nonFinite(v) ?? `${v.toFixed(0)}.`;
  }
  if (max / min > 1000 || max > 1e8 || min < 1e-4) return (v) => nonFinite(v) ?? sci(v, PRECISION);
  return (v) => nonFinite(v) ?? v.toFixed(PRECISION);
}

/** Indices printed along a dim of `size`: all, or the edges around "..." when summarising. */
function shownIndices(size: number, summarize: boolean): (number | null)[] {
  if (!summarize || size <= 2 * EDGEITEMS) return [...Array(size).keys()];
  const head = [...Array(EDGEITEMS).keys()];
  const tail = head.map((i) => size - EDGEITEMS + i);
  return [...head, null, ...tail];
}

export function formatTensor(t: Tensor): string {
  const c = t.contiguous();
  const data = c.storage();
  const summarize = t.numel() > THRESHOLD;
  const strides = c.strides;
  // Collect the values that will be printed, so the width and notation depend on those only.
  const shown: number[] = [];
  const gather = (d: number, base: number): void => {
    if (d === t.ndim) return void shown.push(data[base]);
    for (const i of shownIndices(t.shape[d], summarize)) if (i !== null) gather(d + 1, base + i * strides[d]);
  };
  gather(0, 0);
  const fmt = makeFormatter(t, shown);
  const width = Math.max(0, ...shown.map((v) => fmt(v).length));
  const prefix = "tensor(";

  const render = (d: number, base: number, indent: number): string => {
    if (d === t.ndim) return fmt(data[base]).padStart(width);
    const idx = shownIndices(t.shape[d], summarize);
    if (d === t.ndim - 1) {
      const items = idx.map((i) => (i === null ? "..." : render(d + 1, base + i * strides[d], indent)));
      const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(", "));
      return `[${lines.join(",\n" + " ".repeat(indent + 1))}]`;
    }
    const sep = "," + "\n".repeat(t.ndim - d - 1) + " ".repeat(indent + 1);
    return `[${idx.map((i) => (i === null ? "..." : render(d + 1, base + i * strides[d], indent + 1))).join(sep)}]`;
  };

  let body: string;
  if (t.numel() === 0) body = "[]";
  else body = render(0, 0, prefix.length);
  const suffixes: string[] = [];
  if (t.numel() === 0 && t.ndim !== 1) suffixes.push(`size=(${t.shape.join(", ")}${t.ndim === 1 ? "," : ""})`);
  if (t.numel() === 0 && t.dtype !== "float32") suffixes.push(`dtype=torch.${t.dtype}`);
  if (t.gradFn) suffixes.push(`grad_fn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffixes.push("requires_grad=True");
  return `${prefix}${[body, ...suffixes].join(", ")})`;
}
