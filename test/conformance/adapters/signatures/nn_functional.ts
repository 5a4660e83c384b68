// PyTorch signatures of the torch.nn.functional ops beyond the lecture (activations, conv, pooling, norm), for the function-case adapter (format: signatures/index.ts).
export const NN_FUNCTIONAL: Record<string, string[]> = {
  // convolution
  "F.pad": ["pad", "mode", "value"], "F.unfold": ["kernel_size", "dilation", "padding", "stride"],
  "F.fold": ["output_size", "kernel_size", "dilation", "padding", "stride"],
  "F.conv1d": ["weight", "bias", "stride", "padding", "dilation", "groups"],
  "F.conv2d": ["weight", "bias", "stride", "padding", "dilation", "groups"],
  "F.interpolate": ["size", "scale_factor", "mode", "align_corners", "recompute_scale_factor", "antialias"],
  "F.conv_transpose2d": ["weight", "bias", "stride", "padding", "output_padding", "groups", "dilation"],
  // activations
  "F.leaky_relu": ["negative_slope", "inplace"], "F.elu": ["alpha", "inplace"], "F.selu": ["inplace"],
  "F.celu": ["alpha", "inplace"], "F.silu": ["inplace"], "F.mish": ["inplace"], "F.gelu": ["*approximate"],
  "F.softplus": ["beta", "threshold"], "F.hardtanh": ["min_val", "max_val", "inplace"], "F.relu6": ["inplace"],
  "F.hardsigmoid": ["inplace"], "F.hardswish": ["inplace"], "F.logsigmoid": [], "F.softsign": [], "F.tanhshrink": [],
  "F.threshold": ["threshold", "value", "inplace"], "F.hardshrink": ["lambd"], "F.softshrink": ["lambd"],
  "F.prelu": ["weight"], "F.glu": ["dim"],
  "F.dropout1d": ["p", "training", "inplace"], "F.dropout2d": ["p", "training", "inplace"],
  // sequence
  "F.one_hot": ["num_classes"],
  "F.embedding": ["weight", "padding_idx", "max_norm", "norm_type", "scale_grad_by_freq", "sparse"],
  // normalization
  "F.batch_norm": ["running_mean", "running_var", "weight", "bias", "training", "momentum", "eps"],
  "F.instance_norm": ["running_mean", "running_var", "weight", "bias", "use_input_stats", "momentum", "eps"],
  "F.layer_norm": ["normalized_shape", "weight", "bias", "eps"], "F.group_norm": ["num_groups", "weight", "bias", "eps"],
  "F.normalize": ["p", "dim", "eps"],
  // pooling
  "F.max_pool1d": ["kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"],
  "F.max_pool2d": ["kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"],
  "F.avg_pool1d": ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"],
  "F.avg_pool2d": ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"],
  "F.adaptive_avg_pool1d": ["output_size"], "F.adaptive_avg_pool2d": ["output_size"],
  "F.adaptive_max_pool1d": ["output_size", "return_indices"], "F.adaptive_max_pool2d": ["output_size", "return_indices"],
  "F.max_unpool1d": ["indices", "kernel_size", "stride", "padding", "output_size"],
  "F.max_unpool2d": ["indices", "kernel_size", "stride", "padding", "output_size"],
};
