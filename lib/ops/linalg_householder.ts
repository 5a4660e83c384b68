// Householder reflectors as LAPACK stores them: torch.geqrf (the packed QR: R on and above the
// diagonal, reflector tails below, and tau), torch.linalg.householder_product / torch.orgqr (the
// first n columns of H_0 H_1 ... H_{k-1}, H_i = I - tau_i v_i v_i^T, v_i = [0, .., 1, A[i+1:, i]])
// and torch.ormqr (that Q, or Q^T, times another matrix from the left or right).
// householder_product is a composition of recorded ops (its gradient follows); geqrf and ormqr
// have none in PyTorch 1.13 and refuse backward with its message.
// ref: PyTorch 1.13 docs of torch.geqrf, torch.linalg.householder_product, torch.ormqr; LAPACK
// dgeqrf / dorgqr / dormqr.
import type { FunctionCtx } from "../autograd/function.js";
import { Function } from "../autograd/function.js";
import { rename } from "../autograd/node.js";
import { noGrad } from "../autograd/grad_mode.js";
import { scalarTypeName } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { checkKernelDtype, emptyOf, identityLike, lazyFunction, matrices, matrixAt } from "./linalg_common.js";
import { householderQr } from "./linalg_kernels.js";

type Tuple<N extends string> = Tensor[] & { [k in N]: Tensor };
function named<N extends string>(names: readonly N[], values: Tensor[]): Tuple<N> {
  const r = values as Tuple<N>;
  names.forEach((n, i) => Object.defineProperty(r, n, { value: values[i], enumerable: false }));
  return r;
}

/** A Function that runs `compute` and whose backward raises PyTorch's not-implemented error. */
function notDifferentiable(name: string, op: string) {
  return lazyFunction(() => class NotDifferentiable extends Function {
    static override gradFnName = name;
    static override forward(_ctx: FunctionCtx, compute: () => Tensor[], ...inputs: Tensor[]): Tensor[] {
      void inputs;
      return compute();
    }
    static override backward(): (Tensor | null)[] {
      throw new Error(`the derivative for '${op}' is not implemented.`);
    }
  });
}
const geqrfFn = notDifferentiable("GeqrfBackward0", "geqrf");
const ormqrFn = notDifferentiable("OrmqrBackward0", "ormqr");

/** torch.geqrf(A): [a, tau], LAPACK's packed QR. */
export function geqrf(a: Tensor): Tuple<"a" | "tau"> {
  checkKernelDtype(a, "geqrf_cpu");
  if (a.ndim < 2) throw new RangeError("torch.geqrf: input must have at least 2 dimensions.");
  const compute = (): Tensor[] => {
    const { data, count, m, n } = matrices(a);
    const k = Math.min(m, n);
    const out = emptyOf(a.shape, a.dtype);
    const tau = emptyOf([...a.shape.slice(0, -2), k], a.dtype);
    for (let b = 0; b < count; b++) {
      const h = householderQr(matrixAt(data, b, m * n), m, n);
      (out.typedArray as Float64Array).set(h.qr, b * m * n);
      (tau.typedArray as Float64Array).set(h.tau, b * k);
    }
    return [out, tau];
  };
  return named(["a", "tau"], geqrfFn().apply(compute, a) as Tensor[]);
}

/** The reflectors' vectors as columns: A's strict lower triangle with ones on the diagonal. */
function reflectors(a: Tensor): Tensor {
  const [m, n] = a.shape.slice(-2);
  return a.tril(-1).add(identityLike(a, m).narrow(-1, 0, n));
}

/** H_i x (x: [..., m, c]) for column i of v, written as x - tau_i v_i (v_i^T x). */
function reflect(v: Tensor, tau: Tensor, i: number, x: Tensor): Tensor {
  const vi = v.narrow(-1, i, 1);
  const ti = tau.narrow(-1, i, 1).unsqueeze(-1);
  return x.sub(vi.mul(ti).matmul(vi.mT.matmul(x)));
}

/** torch.linalg.householder_product(A, tau) (torch.orgqr): the first n columns of the product of
 *  the k = tau.shape[-1] reflectors stored in A [..., m, n]. */
export function householderProduct(a: Tensor, tau: Tensor): Tensor {
  const fn = "torch.linalg.householder_product";
  checkKernelDtype(a, "orgqr_cpu");
  if (a.ndim < 2) throw new RangeError(`${fn}: input must have at least 2 dimensions.`);
  if (tau.ndim < 1) throw new RangeError(`${fn}: tau must have at least 1 dimension.`);
  const [m, n] = a.shape.slice(-2);
  if (m < n) throw new RangeError(`${fn}: input.shape[-2] must be greater than or equal to input.shape[-1]`);
  const k = tau.shape[tau.ndim - 1];
  if (n < k) throw new RangeError(`${fn}: input.shape[-1] must be greater than or equal to tau.shape[-1]`);
  if (tau.dtype !== a.dtype) {
    throw new TypeError(`${fn}: tau dtype ${scalarTypeName(tau.dtype)} does not match input dtype ${scalarTypeName(a.dtype)}`);
  }
  const v = reflectors(a);
  let q = identityLike(a, m).narrow(-1, 0, n).expand([...a.shape]);
  for (let i = k - 1; i >= 0; i--) q = reflect(v, tau, i, q);
  if (k === 0) q = q.clone();
  return rename(q, "LinalgHouseholderProductBackward0");
}

/** torch.orgqr(A, tau): householder_product. */
export const orgqr = (a: Tensor, tau: Tensor): Tensor => householderProduct(a, tau);

/** torch.ormqr(A, tau, C, left = true, transpose = false): Q C, Q^T C, C Q or C Q^T with the
 *  m x m Q of the reflectors in A (not differentiable, as in PyTorch 1.13). */
export function ormqr(a: Tensor, tau: Tensor, c: Tensor, left = true, transpose = false): Tensor {
  checkKernelDtype(a, "ormqr_cpu");
  if (a.ndim < 2) throw new RangeError("torch.ormqr: input must have at least 2 dimensions.");
  if (c.ndim < 2) throw new RangeError("torch.ormqr: other must have at least 2 dimensions.");
  const mn = a.shape[a.ndim - 2];
  const [cm, cn] = c.shape.slice(-2);
  if ((left ? cm : cn) !== mn) {
    throw new RangeError(`torch.ormqr: other.shape[${left ? -2 : -1}] must be equal to input.shape[-2]`);
  }
  const k = tau.shape[tau.ndim - 1];
  const compute = (): Tensor[] =>
    noGrad(() => {
      const v = reflectors(a);
      // Q = H_0 ... H_{k-1}; each H_i is symmetric.
      let x = left ? c : c.mT;
      const order = Array.from({ length: k }, (_, i) => i);
      // left: Q C = H_0 (... H_{k-1} C); Q^T C = H_{k-1} (... H_0 C). right: (C Q)^T = Q^T C^T.
      const reverse = left !== transpose;
      for (const i of reverse ? order.reverse() : order) x = reflect(v, tau, i, x);
      return [(left ? x : x.mT).contiguous()];
    });
  return (ormqrFn().apply(compute, a, tau, c) as Tensor[])[0];
}
