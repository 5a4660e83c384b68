// torch.isclose / torch.allclose: |a - b| <= atol + rtol * |b|, elementwise, with b broadcast.
// As PyTorch 1.13 computes it: equal elements (infinities of one sign included) are close; NaNs are
// close only with equalNan; otherwise the error must be finite and within tolerance. The tolerance
// is formed in the inputs' dtype (float32 stays float32; integers and bools in the default float),
// so results at the boundary agree with PyTorch's. ref: aten/src/ATen/native/TensorCompare.cpp (isclose).
import { noGrad } from "../autograd/grad_mode.js";
import { isFloating, scalarTypeName } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { binary, cast, compare, logical } from "./elementwise.js";
import { isfinite, isnan } from "./masking.js";

export interface IsCloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

export function isclose(a: Tensor, b: Tensor, opts: IsCloseOptions = {}): Tensor {
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = opts;
  if (!(b instanceof Tensor)) throw new TypeError(`isclose(): argument 'other' (position 2) must be Tensor, not ${typeof b}`);
  if (a.dtype !== b.dtype) throw new TypeError(`${scalarTypeName(a.dtype)} did not match ${scalarTypeName(b.dtype)}`);
  if (!(rtol >= 0)) throw new RangeError(`rtol must be greater than or equal to zero, but got ${rtol}`);
  if (!(atol >= 0)) throw new RangeError(`atol must be greater than or equal to zero, but got ${atol}`);
  return noGrad(() => {
    const x = a.detach();
    const y = b.detach();
    let close = compare("eq", x, y);
    if (equalNan && isFloating(x.dtype)) close = logical("or", close, logical("and", isnan(x), isnan(y)));
    if (rtol === 0 && atol === 0) return close;
    const cx = x.dtype === "bool" ? cast(x, "float32") : x;
    const cy = y.dtype === "bool" ? cast(y, "float32") : y;
    const allowed = binary("add", binary("mul", cy, rtol).abs(), atol);
    const actual = binary("sub", cx, cy).abs();
    return logical("or", close, logical("and", isfinite(actual), compare("le", actual, allowed)));
  });
}

/** True when every element of a is close to b (isclose(a, b).all()). */
export function allclose(a: Tensor, b: Tensor, opts: IsCloseOptions = {}): boolean {
  return isclose(a, b, opts).all().item() !== 0;
}
