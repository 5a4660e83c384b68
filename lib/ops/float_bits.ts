// Ops on the representation of floating-point numbers: signbit (the sign bit, -0 and -NaN
// included), frexp (mantissa in [0.5, 1) and an int32 exponent), ldexp (x * 2^e) and nextafter
// (the next representable value of the dtype toward other: Float32Array / Float64Array bit steps).
// ref: PyTorch 1.13 aten/src/ATen/native/UnaryOps.cpp (signbit, frexp), BinaryOps.cpp (ldexp:
// input * pow(2.0, other); nextafter), tools/autograd/derivatives.yaml (frexp: grad / 2^exponent;
// nextafter: not implemented).
import { Function, type FunctionCtx } from "../autograd/function.js";
import { getDefaultDtype, isFloating, scalarTypeName } from "../dtype.js";
import { broadcastShapes } from "../shape.js";
import { Tensor } from "../tensor.js";
import { cast, resultType, unary } from "./elementwise.js";
import { expand } from "./views.js";
import { copyInto, type OutOptions } from "./out.js";
import { typeName } from "./bitwise.js";

/** True where the sign bit is set: negative numbers, -0, -inf and NaNs with the sign bit. */
export function signbit(x: Tensor, opts?: OutOptions): Tensor {
  const c = x.detach().contiguous();
  const d = c.storage();
  const out = Tensor.empty(x.shape, "bool");
  const od = out.typedArray;
  if (x.dtype === "float32" || x.dtype === "float64") {
    // the bits, read as 32-bit words: a NaN's sign survives (a read as a JS number need not keep it)
    const words = new Uint32Array(d.buffer, d.byteOffset, d.length * (x.dtype === "float64" ? 2 : 1));
    const step = x.dtype === "float64" ? 2 : 1, hi = step - 1; // little-endian: the high word last
    for (let i = 0; i < od.length; i++) od[i] = words[i * step + hi] >>> 31;
  } else if (x.dtype === "float16" || x.dtype === "bfloat16") {
    for (let i = 0; i < od.length; i++) od[i] = (d[i] >> 15) & 1; // stored as their 16 bits
  } else if (x.dtype !== "bool") {
    for (let i = 0; i < od.length; i++) od[i] = d[i] < 0 ? 1 : 0;
  } else {
    od.fill(0);
  }
  return opts?.out == null ? out : copyInto("signbit", opts.out, [x], out);
}

/** The mantissa and exponent of frexp, as PyTorch's named tuple: `const { mantissa, exponent } = ...`. */
export type FrexpResult = [Tensor, Tensor] & { mantissa: Tensor; exponent: Tensor };

/** The exponent e of frexp: x = m * 2^e with 0.5 <= |m| < 1 (0 for 0, inf and NaN). */
function frexpExponent(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return 0;
  let e = Math.floor(Math.log2(Math.abs(v))) + 1;
  // log2 may round across a power of two: settle e so that |v| / 2^e is in [0.5, 1)
  const m = () => Math.abs(scaleDown(v, e));
  while (m() >= 1) e++;
  while (m() < 0.5) e--;
  return e;
}

/** v * 2^-e in two exact steps (2^-e alone may overflow or underflow). */
function scaleDown(v: number, e: number): number {
  const h = Math.trunc(e / 2);
  return v * Math.pow(2, -h) * Math.pow(2, -(e - h));
}

class Frexp extends Function {
  static override gradFnName = "FrexpBackward0";
  static override forward(ctx: FunctionCtx, x: Tensor): [Tensor, Tensor] {
    const src = cast(x.detach(), "float64").contiguous().storage();
    const exponent = Tensor.empty(x.shape, "int32");
    const mant = Tensor.empty(x.shape, "float64");
    const ed = exponent.typedArray, md = mant.typedArray;
    for (let i = 0; i < ed.length; i++) {
      ed[i] = frexpExponent(src[i]);
      md[i] = scaleDown(src[i], ed[i]); // exact: a power-of-two scaling into [0.5, 1)
    }
    ctx.saveForBackward(exponent);
    ctx.dtype = x.dtype;
    return [cast(mant, x.dtype), exponent];
  }
  static override backward(ctx: FunctionCtx, g: Tensor): Tensor {
    // PyTorch: grad / exponent.exp2(), in the input's dtype
    const [exponent] = ctx.savedTensors as Tensor[];
    return g.div(cast(unary("exp2", cast(exponent, ctx.dtype === "float64" ? "float64" : "float32")), ctx.dtype));
  }
}

export function frexp(x: Tensor): FrexpResult {
  if (!(x instanceof Tensor)) throw new TypeError(`frexp(): argument 'input' (position 1) must be Tensor, not ${typeName(x)}`);
  if (!isFloating(x.dtype)) throw new TypeError("torch.frexp() only supports floating-point dtypes");
  const [mantissa, exponent] = Frexp.apply(x) as [Tensor, Tensor];
  return Object.assign([mantissa, exponent] as [Tensor, Tensor], { mantissa, exponent });
}

/** torch.ldexp(input, other): input * 2^other (pow(2.0, other): an integer other gives the default float dtype). */
export function ldexp(x: Tensor, other: Tensor, opts?: OutOptions): Tensor {
  if (!(other instanceof Tensor)) throw new TypeError(`ldexp(): argument 'other' (position 2) must be Tensor, not ${typeName(other)}`);
  const e = isFloating(other.dtype) ? other : cast(other, getDefaultDtype());
  const r = x.mul(unary("exp2", e));
  return opts?.out == null ? r : copyInto("ldexp", opts.out, [x, other], r.detach());
}

/** The next value after a toward b in dtype (b where a == b; NaN where either is NaN). */
function nextafterScalar(a: number, b: number, buf: Float32Array | Float64Array, bits: Uint32Array | BigUint64Array): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
  if (a === b) return b;
  if (a === 0) {
    // the smallest subnormal, with b's side's sign
    bits[0] = (bits instanceof BigUint64Array ? 1n : 1) as never;
    return b > 0 ? buf[0] : -buf[0];
  }
  buf[0] = a;
  const up = (b > a) === (a > 0); // away from zero in magnitude
  if (bits instanceof BigUint64Array) bits[0] = up ? bits[0] + 1n : bits[0] - 1n;
  else bits[0] = up ? bits[0] + 1 : bits[0] - 1;
  return buf[0];
}

class Nextafter extends Function {
  static override gradFnName = "NextafterBackward0";
  static override forward(_ctx: FunctionCtx, a: Tensor, b: Tensor): Tensor {
    return nextafterValues(a, b);
  }
  static override backward(): never {
    throw new Error("the derivative for 'nextafter' is not implemented.");
  }
}

function nextafterValues(a: Tensor, b: Tensor): Tensor {
  const dtype = resultType(a, b);
  if (!isFloating(dtype) || dtype === "float16" || dtype === "bfloat16") {
    throw new TypeError(`"nextafter_cpu" not implemented for '${scalarTypeName(dtype)}'`);
  }
  const shape = broadcastShapes(a.shape, b.shape);
  const ad = expand(cast(a.detach(), dtype), shape).contiguous().storage();
  const bd = expand(cast(b.detach(), dtype), shape).contiguous().storage();
  const out = Tensor.empty(shape, dtype);
  const od = out.typedArray;
  const buf = dtype === "float64" ? new Float64Array(1) : new Float32Array(1);
  const bits = dtype === "float64" ? new BigUint64Array(buf.buffer) : new Uint32Array(buf.buffer);
  for (let i = 0; i < od.length; i++) od[i] = nextafterScalar(ad[i], bd[i], buf, bits);
  return out;
}

/** torch.nextafter(input, other): float32 / float64 only; not differentiable. */
export function nextafter(a: Tensor, b: Tensor, opts?: OutOptions): Tensor {
  if (!(b instanceof Tensor)) throw new TypeError(`nextafter(): argument 'other' (position 2) must be Tensor, not ${typeName(b)}`);
  if (opts?.out != null) return copyInto("nextafter", opts.out, [a, b], nextafterValues(a, b));
  return Nextafter.apply(a, b);
}
