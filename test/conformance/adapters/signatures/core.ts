// The signatures of the lecture's ops (the first ten case files).
/**
 * PyTorch's parameters after the first argument (self / input / condition / tensors), by op name.
 * A key may be qualified ("Tensor.reshape") where torch.* and Tensor.* differ.
 * "*name": keyword-only, passed in the trailing options object as camelCase.
 * "...name": varargs (sizes), passed through as given; a kwarg `name` is passed as one argument.
 */
export const CORE: Record<string, string[]> = {
  // elementwise
  add: ["other", "*alpha"], sub: ["other", "*alpha"], mul: ["other"], div: ["other", "*rounding_mode"],
  pow: ["exponent"], maximum: ["other"], minimum: ["other"],
  eq: ["other"], ne: ["other"], lt: ["other"], le: ["other"], gt: ["other"], ge: ["other"],
  neg: [], exp: [], log: [], sqrt: [], abs: [], relu: [], sigmoid: [], tanh: [],
  clamp: ["min", "max"], clip: ["min", "max"],
  "torch.where": ["input", "other"], // torch.where(condition, input, other)
  "Tensor.where": ["condition", "other"],
  type: ["dtype"], to: ["dtype"], float: [], long: [], bool: [],
  // reductions
  sum: ["dim", "keepdim"], mean: ["dim", "keepdim"], max: ["dim", "keepdim"], min: ["dim", "keepdim"],
  amax: ["dim", "keepdim"], amin: ["dim", "keepdim"], argmax: ["dim", "keepdim"], argmin: ["dim", "keepdim"],
  logsumexp: ["dim", "keepdim"], softmax: ["dim"], log_softmax: ["dim"],
  // shapes
  "torch.reshape": ["shape"], "Tensor.reshape": ["...shape"], "Tensor.view": ["...size"],
  flatten: ["start_dim", "end_dim"], transpose: ["dim0", "dim1"], t: [],
  "torch.permute": ["dims"], "Tensor.permute": ["...dims"],
  unsqueeze: ["dim"], squeeze: ["dim"], cat: ["dim"], stack: ["dim"], gather: ["dim", "index"],
  // linear algebra
  matmul: ["other"], __matmul__: ["other"], mm: ["mat2"], bmm: ["mat2"],
  // torch.nn.functional
  "F.relu": ["inplace"], "F.softmax": ["dim"], "F.log_softmax": ["dim"], "F.linear": ["weight", "bias"],
};
