// Gradient rules of the binary math kernels (spread into GRADS): atan2, hypot, fmod, copysign,
// logaddexp, logaddexp2. Inputs arrive broadcast to the output's shape (expand's rule sums back).
// ref: PyTorch 1.13 tools/autograd/derivatives.yaml and FunctionsManual.cpp.
import type { Tensor } from "../tensor.js";
import type { Node } from "./node.js";
import type { GradFn } from "./grads.js";

const inp = (n: Node, i = 0): Tensor => n.inputs![i];

export const MATH_BINARY_GRADS = {
  // d/da atan2(a, b) = b / (a^2 + b^2), d/db = -a / (a^2 + b^2)
  atan2: (g, n) => {
    const [a, b] = [inp(n, 0), inp(n, 1)];
    const r = g.div(a.mul(a).add(b.mul(b)));
    return [n.needs(0) ? r.mul(b) : null, n.needs(1) ? r.mul(a).neg() : null];
  },
  hypot: (g, n) => {
    const q = g.div(n.out!);
    return [n.needs(0) ? q.mul(inp(n, 0)) : null, n.needs(1) ? q.mul(inp(n, 1)) : null];
  },
  // fmod(a, b) = a - trunc(a / b) * b
  fmod: (g, n) => [n.needs(0) ? g : null, n.needs(1) ? g.mul(inp(n, 0).div(inp(n, 1), { roundingMode: "trunc" })).neg() : null],
  // PyTorch's copysign_tensor_self_backward: g * result / self, 0 where self is 0; none for other.
  copysign: (g, n) => {
    const a = inp(n, 0);
    return [n.needs(0) ? g.mul(n.out!.div(a).where(a.ne(0), 0)) : null, n.needs(1) ? g.mul(0) : null];
  },
  // d/da log(e^a + e^b) = 1 / (1 + e^(b - a))
  logaddexp: (g, n) => {
    const [a, b] = [inp(n, 0), inp(n, 1)];
    return [n.needs(0) ? g.div(b.sub(a).exp().add(1)) : null, n.needs(1) ? g.div(a.sub(b).exp().add(1)) : null];
  },
  logaddexp2: (g, n) => {
    const [a, b] = [inp(n, 0), inp(n, 1)];
    return [n.needs(0) ? g.div(b.sub(a).exp2().add(1)) : null, n.needs(1) ? g.div(a.sub(b).exp2().add(1)) : null];
  },
} satisfies Record<string, GradFn>;
