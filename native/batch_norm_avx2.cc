// The batch-norm row kernels of batch_norm_rows.h compiled with the AVX2 flags (CMakeLists.txt).
#include "batch_norm_rows.h"

namespace torchlet {

const BatchNormKernels& batch_norm_kernels_avx2() { return kBatchNormRows; }

}  // namespace torchlet
