// Dropout's mask kernel of random_mask.h compiled with the AVX-512 flags (CMakeLists.txt).
#include "random_mask.h"

namespace torchlet {

DropoutMaskFn dropout_mask_kernel_avx512() { return dropout_mask_impl; }

}  // namespace torchlet
