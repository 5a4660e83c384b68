// Python's number formatting, so the examples print what the Python they translate prints:
// repr(float) (`6.0`, `0.32499998807907104`) and the f-string specs the tutorial uses
// (`{x:>7f}`, `{n:>5d}`, `{x:>0.1f}`). Only these few specs; not a general format() implementation.
// ref: https://docs.python.org/3/library/string.html#format-specification-mini-language

/** repr(x) for a Python float: the shortest round-trip digits, always with a "." or an exponent. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  // NOTE: JS and Python both print the shortest round-trip digits; they differ only in when they
  // switch to exponent form (Python: exponent < -4 or >= 16) and how they spell it (1e-05).
  const [mantissa, expText] = x.toExponential().split("e");
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  // JS writes 1e-7..1e21 positionally, so within Python's positional range toString is already right.
  const s = x.toString();
  return s.includes(".") ? s : `${s}.0`;
}

/** f"{x:>{width}.{precision}f}": fixed point (default 6 decimals, as Python's bare "f"), right-aligned. */
export function fixed(x: number, precision = 6, width = 0): string {
  let s: string;
  if (Number.isNaN(x)) s = "nan";
  else if (!Number.isFinite(x)) s = x > 0 ? "inf" : "-inf";
  else s = x.toFixed(precision);
  return s.padStart(width);
}

/** f"{n:>{width}d}": an integer, right-aligned. */
export function int(n: number, width = 0): string {
  if (!Number.isInteger(n)) throw new TypeError(`int(): ${n} is not an integer (Python's "d" format needs an int)`);
  return String(n).padStart(width);
}

/** str(b) for a Python bool: True / False. */
export function pyBool(b: boolean): string {
  return b ? "True" : "False";
}
