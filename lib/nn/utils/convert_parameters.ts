// torch.nn.utils.parameters_to_vector / vector_to_parameters: all parameters as one flat vector
// (for second-order methods, evolution strategies, weight averaging) and back.
// ref: torch/nn/utils/convert_parameters.py (PyTorch 1.13).
import { Tensor } from "../../tensor.js";
import { cat } from "../../ops/indexing.js";

/** The parameters' values, flattened and concatenated in order (recorded: gradients flow to them). */
export function parametersToVector(parameters: Iterable<Tensor>): Tensor {
  const ps = [...parameters];
  if (ps.some((p) => !(p instanceof Tensor))) throw new TypeError("parameters_to_vector: expected an iterable of Tensors");
  return cat(ps.map((p) => p.view(-1)), 0);
}

/** Points each parameter's data at its slice of vec (PyTorch's `param.data = vec[i:j].view_as(param).data`). */
export function vectorToParameters(vec: Tensor, parameters: Iterable<Tensor>): void {
  if (!(vec instanceof Tensor)) throw new TypeError(`expected torch.Tensor, but got: ${typeof vec}`);
  let at = 0;
  for (const p of parameters) {
    const n = p.numel();
    p.data = vec.narrow(0, at, n).viewAs(p).data;
    at += n;
  }
}
