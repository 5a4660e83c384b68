// The batch-norm row kernels of batch_norm_rows.h compiled with the AVX-512 flags (CMakeLists.txt).
#include "batch_norm_rows.h"

namespace torchlet {

const BatchNormKernels& batch_norm_kernels_avx512() { return kBatchNormRows; }

}  // namespace torchlet
