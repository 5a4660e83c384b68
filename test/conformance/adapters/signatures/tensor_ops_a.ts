// PyTorch signatures of the tensor ops, part 1 (shapes, math, linear algebra), for the function-case adapter (format: signatures/index.ts).
export const TENSOR_OPS_A: Record<string, string[]> = {
  // pieces and rearrangements
  "torch.split": ["split_size_or_sections", "dim"], "Tensor.split": ["split_size", "dim"],
  chunk: ["chunks", "dim"], unbind: ["dim"], narrow: ["dim", "start", "length"],
  movedim: ["source", "destination"], moveaxis: ["source", "destination"],
  "Tensor.repeat": ["...repeats"], "torch.tile": ["dims"], "Tensor.tile": ["...dims"],
  repeat_interleave: ["repeats", "dim", "*output_size"],
  "torch.flip": ["dims"], "Tensor.flip": ["...dims"], roll: ["shifts", "dims"],
  // triangles and diagonals
  tril: ["diagonal"], triu: ["diagonal"], diag: ["diagonal"], diagonal: ["offset", "dim1", "dim2"], trace: [],
  // products
  outer: ["vec2"], addmm: ["mat1", "mat2", "*beta", "*alpha"], addmv: ["mat", "vec", "*beta", "*alpha"],
  baddbmm: ["batch1", "batch2", "*beta", "*alpha"],
  // scans and reductions
  cumsum: ["dim", "*dtype"], cumprod: ["dim", "*dtype"], prod: ["dim", "keepdim", "*dtype"],
  std: ["dim", "unbiased", "keepdim", "*correction"], var: ["dim", "unbiased", "keepdim", "*correction"],
  norm: ["p", "dim", "keepdim", "*dtype"],
  // creation
  arange: ["end", "step", "*dtype"], linspace: ["end", "steps", "*dtype"], logspace: ["end", "steps", "base", "*dtype"],
  full_like: ["fill_value", "*dtype"],
};
