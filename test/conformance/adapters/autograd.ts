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
  // y = x*w; y.retain_grad(); z = (y*y).sum(); z.backward(); flags; u = x*3; (u*u).sum().backward()
  retain_grad({ x, w }, R) {
    const y = x.mul(w);
    y.retainGrad();
    y.mul(y).sum().backward();
    R.y_is_leaf = y.isLeaf;
    R.y_retains_grad = y.retainsGrad;
    R.y_grad = y.grad;
    R.x_grad = x.grad; // the same tensor, accumulated in place by the next backward (as in PyTorch)
    const u = x.mul(3);
    u.mul(u).sum().backward();
    R.u_grad_is_none = u.grad === null;
    R.x_grad_accumulated = x.grad;
  },
  // h = x.register_hook(g*2); backward; h.remove(); again; y = x*x; y.register_hook(g+1); (y*w).sum().backward()
  register_hook({ x, w }, R) {
    const h = x.registerHook((g) => g.mul(2));
    x.mul(w).sum().backward();
    R.x_grad_hooked = x.grad!.clone();
    h.remove();
    x.grad = null;
    x.mul(w).sum().backward();
    R.x_grad_after_remove = x.grad!.clone();
    x.grad = null;
    const y = x.mul(x);
    y.registerHook((g) => g.add(1));
    y.mul(w).sum().backward();
    R.x_grad_nonleaf_hook = x.grad;
  },
  // y = (x**3).sum(); (g,) = grad(y, x, create_graph=True); (h,) = grad(g.sum(), x)
  grad_create_graph_cube({ x }, R) {
    const y = x.pow(3).sum();
    const [g] = torch.autograd.grad(y, x, { createGraph: true });
    R.g = g;
    R.g_requires_grad = g!.requiresGrad;
    const [h] = torch.autograd.grad(g!.sum(), x);
    R.h = h;
    R.x_grad_is_none = x.grad === null;
  },
  // y = tanh(x); (g,) = grad(y.sum(), x, create_graph=True); (h,) = grad(g.sum(), x)
  grad_create_graph_tanh({ x }, R) {
    const y = x.tanh();
    const [g] = torch.autograd.grad(y.sum(), x, { createGraph: true });
    R.g = g;
    const [h] = torch.autograd.grad(g!.sum(), x);
    R.h = h;
  },
  // y = (x*x*w).sum(); y.backward(create_graph=True); g = x.grad; x.grad = None; g.sum().backward()
  backward_create_graph({ x, w }, R) {
    const y = x.mul(x).mul(w).sum();
    y.backward({ createGraph: true });
    const g = x.grad!;
    R.grad = g.detach().clone();
    R.grad_requires_grad = g.requiresGrad;
    x.grad = null;
    g.sum().backward();
    R.second = x.grad;
  },
  // gx, gw = grad((x*2).sum(), [x, w], allow_unused=True); without allow_unused it raises
  grad_allow_unused({ x, w }, R) {
    const y = x.mul(2).sum();
    const [gx, gw] = torch.autograd.grad(y, [x, w], { allowUnused: true });
    R.gx = gx;
    R.gw_is_none = gw === null;
    try {
      torch.autograd.grad(x.mul(3).sum(), [x, w]);
      R.raised_without_allow_unused = false;
    } catch {
      R.raised_without_allow_unused = true;
    }
    R.x_grad_is_none = x.grad === null;
  },
  // y = x*w; grad(y, x, grad_outputs=g, retain_graph=True); grad(y, x, grad_outputs=ones_like(y))
  grad_outputs_nonscalar({ x, w, g }, R) {
    const y = x.mul(w);
    R.gx = torch.autograd.grad(y, x, { gradOutputs: g, retainGraph: true })[0];
    R.gx_ones = torch.autograd.grad(y, x, { gradOutputs: torch.onesLike(y) })[0];
  },
  // y = tanh(x)*w; y.backward(g, retain_graph=True); again; a third backward raises
  backward_gradient_retain_graph({ x, w, g }, R) {
    const y = x.tanh().mul(w);
    y.backward(g, { retainGraph: true });
    R.x_grad_first = x.grad!.clone();
    y.backward(g);
    R.x_grad_accumulated = x.grad!.clone();
    try {
      y.backward(g);
      R.third_raised = false;
    } catch {
      R.third_raised = true;
    }
  },
  // y = x*2; z = y.detach_(); flags; (x*y).sum().backward()
  detach_inplace({ x }, R) {
    const y = x.mul(2);
    const z = y.detach_();
    R.returns_self = z === y;
    R.y_requires_grad = y.requiresGrad;
    R.y_is_leaf = y.isLeaf;
    R.y_has_grad_fn = y.gradFn !== null;
    x.mul(y).sum().backward();
    R.x_grad = x.grad;
  },
  // a = w.clone(); a.requires_grad_(); (a*x).sum().backward(); (x*2).requires_grad_(False) raises; ...
  requires_grad_toggle({ x, w }, R) {
    const a = w.clone();
    R.a_requires_grad_before = a.requiresGrad;
    const b = a.requiresGrad_();
    R.returns_self = b === a;
    R.a_requires_grad_after = a.requiresGrad;
    R.a_is_leaf = a.isLeaf;
    a.mul(x).sum().backward();
    R.a_grad = a.grad;
    R.x_grad = x.grad;
    try {
      x.mul(2).requiresGrad_(false);
      R.nonleaf_toggle_raised = false;
    } catch {
      R.nonleaf_toggle_raised = true;
    }
    x.requiresGrad_(false);
    R.x_requires_grad_after_off = x.requiresGrad;
    R.product_requires_grad = x.mul(w).requiresGrad;
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
