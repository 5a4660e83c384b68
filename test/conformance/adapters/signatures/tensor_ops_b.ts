// PyTorch signatures of the tensor ops, part 2 (sorting, masking, scatter, sets), for the function-case adapter (format: signatures/index.ts).
export const TENSOR_OPS_B: Record<string, string[]> = {
  // sorting
  sort: ["dim", "descending", "*stable"], argsort: ["dim", "descending", "*stable"], msort: [],
  topk: ["k", "dim", "largest", "sorted"],
  // masks and tests
  all: ["dim", "keepdim"], any: ["dim", "keepdim"],
  isnan: [], isinf: [], isfinite: [], isposinf: [], isneginf: [], nan_to_num: ["nan", "posinf", "neginf"],
  masked_fill: ["mask", "value"], masked_select: ["mask"], masked_scatter: ["mask", "source"],
  // scatter and index writes
  scatter: ["dim", "index", "src", "*reduce"], scatter_add: ["dim", "index", "src"],
  scatter_reduce: ["dim", "index", "src", "reduce", "*include_self"],
  index_select: ["dim", "index"], index_add: ["dim", "index", "source", "*alpha"],
  index_copy: ["dim", "index", "source"], index_fill: ["dim", "index", "value"],
  // sets and counts
  nonzero: ["*as_tuple"], argwhere: [],
  unique: ["*sorted", "*return_inverse", "*return_counts", "*dim"],
  unique_consecutive: ["*return_inverse", "*return_counts", "*dim"],
  bincount: ["weights", "minlength"],
  searchsorted: ["values", "*out_int32", "*right", "*side", "*sorter"], bucketize: ["boundaries", "*out_int32", "*right"],
  multinomial: ["num_samples", "replacement", "*generator"],
};
