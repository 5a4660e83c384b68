// The LayerNorm row kernels of layer_norm_rows.h compiled with the AVX2 flags (CMakeLists.txt).
#include "layer_norm_rows.h"

namespace torchlet {

const LayerNormKernels& layer_norm_kernels_avx2() {
  static const LayerNormKernels k{ln_forward, ln_backward};
  return k;
}

}  // namespace torchlet
