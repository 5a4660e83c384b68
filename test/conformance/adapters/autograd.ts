// Kind 4: autograd scenarios. Each scenario's Python `program` is ported once, here, and run on
// the case's inputs; it fills R, which is compared with `expect` (tensors within tol, booleans equal).
// ref: FORMAT.md section 4; the programs are quoted above each port.
import * as torch from "../../../lib/index.js";
import type { Tensor } from "../../../lib/index.js";
import { compareOut } from "../compare.js";
import { skip, type Case, type JsonTensor } from "../types.js";
import { decodeTensor } from "../values.js";
import { namespace } from "./common.js";

type R = Record<string, unknown>;
type Inputs = Record<string, Tensor>;

/** torch.equal: same shape and every element equal. */
function equal(a: Tensor, b: Tensor): boolean {
  return a.shape.join() === b.shape.join() && a.ne(b).sum().item() === 0;
}

const SCENARIOS: Record<string, (v: Inputs, R: R) => void> = {
  // y1 = (x*x).sum(); backward; grad; y2 = (x*w).sum(); backward; grad; x.grad.zero_(); y3 ...
  accumulate_two_backward({ x, w }, R) {
    x.mul(x).sum().backward();
    R.grad_after_first = x.grad!.clone();
    x.mul(w).sum().backward();
    R.grad_after_second = x.grad!.clone();
    x.grad!.zero_();
    x.mul(w).sum().backward();
    R.grad_after_zero_then_third = x.grad!.clone();
  },
  // h = x*w; y = (h*h + h).sum() + (x*x).sum(); y.backward()
  used_twice({ x, w }, R) {
    const h = x.mul(w);
    const y = h.mul(h).add(h).sum().add(x.mul(x).sum());
    y.backward();
    R.y = y;
    R.x_grad = x.grad;
  },
  // with no_grad: y = x*2 + w; flags of y; z = x*2 + w outside
  no_grad({ x, w }, R) {
    const y = torch.noGrad(() => x.mul(2).add(w));
    R.y = y;
    R.y_requires_grad = y.requiresGrad;
    R.y_is_leaf = y.isLeaf;
    R.y_has_grad_fn = y.gradFn !== null;
    const z = x.mul(2).add(w);
    R.z_requires_grad = z.requiresGrad;
    R.z_is_leaf = z.isLeaf;
  },
  // loss = (x*x).sum(); backward; with no_grad: x -= 0.1*x.grad; flags; x.grad.zero_(); (x*w).sum().backward()
  no_grad_inplace_update({ x, w }, R) {
    x.mul(x).sum().backward();
    torch.noGrad(() => x.sub_(x.grad!.mul(0.1)));
    R.x_after = x.detach().clone();
    R.x_requires_grad = x.requiresGrad;
    R.x_is_leaf = x.isLeaf;
    x.grad!.zero_();
    x.mul(w).sum().backward();
    R.x_grad = x.grad;
  },
  // d = x.detach(); y = (x*x + d*x).sum(); y.backward()
  detach({ x }, R) {
    const d = x.detach();
    R.d_requires_grad = d.requiresGrad;
    R.d_equals_x = equal(d, x);
    const y = x.mul(x).add(d.mul(x)).sum();
    y.backward();
    R.y = y;
    R.x_grad = x.grad;
  },
  // y = x*w; flags; u = w*2; y.sum().backward(); y.grad / w.grad None; x.grad
  requires_grad_propagation({ x, w }, R) {
    const y = x.mul(w);
    R.x_is_leaf = x.isLeaf;
    R.y_requires_grad = y.requiresGrad;
    R.y_is_leaf = y.isLeaf;
    R.u_requires_grad = w.mul(2).requiresGrad;
    y.sum().backward();
    R.y_grad_is_none = y.grad === null;
    R.w_grad_is_none = w.grad === null;
    R.x_grad = x.grad;
  },
  // y = x*w; y.backward() raises RuntimeError; y.backward(gradient=g)
  backward_nonscalar({ x, w, g }, R) {
    const y = x.mul(w);
    try {
      y.backward();
      R.raised = false;
    } catch {
      R.raised = true;
    }
    y.backward(g);
    R.x_grad = x.grad;
  },
  // opt = SGD([x], lr=0.1); (x*w).sum().backward(); opt.step(); opt.zero_grad()
  optimizer_zero_grad({ x, w }, R) {
    const optim = namespace("optim");
    if (typeof optim.SGD !== "function") skip("torch.optim.SGD is missing");
    const opt = new optim.SGD([x], { lr: 0.1 });
    x.mul(w).sum().backward();
    opt.step();
    opt.zeroGrad();
    R.x_after_step = x.detach().clone();
    R.grad_is_none_after_zero_grad = x.grad === null;
    R.grad_after_zero_grad = x.grad;
  },
};

export function runAutogradCase(c: Case): string[] {
  const name = c.op.replace(/^autograd\./, "");
  const scenario = SCENARIOS[name];
  if (!scenario) skip(`autograd scenario ${name} is not ported in the runner`);
  const inputs: Inputs = {};
  for (const [k, j] of Object.entries(c.inputs as Record<string, JsonTensor>)) {
    inputs[k] = decodeTensor(j);
    if ((c.requires_grad as string[]).includes(`inputs.${k}`)) inputs[k].requiresGrad = true;
  }
  const R: R = {};
  scenario(inputs, R);
  let expect: Record<string, unknown> = c.expect;
  if (name === "optimizer_zero_grad" && R.grad_is_none_after_zero_grad === true) {
    // NOTE: FORMAT.md allows PyTorch >= 2.0's zero_grad (sets None) as well as 1.13's zeros.
    expect = { ...expect, grad_is_none_after_zero_grad: true, grad_after_zero_grad: null };
  }
  const tol = c.tol ?? { rtol: 0, atol: 0 };
  const diffs: string[] = [];
  for (const [key, want] of Object.entries(expect)) {
    if (!(key in R)) diffs.push(`R['${key}']: the port didn't set it`);
    else diffs.push(...compareOut(`R['${key}']`, want, R[key], tol));
  }
  return diffs;
}
