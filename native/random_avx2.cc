// Dropout's mask kernel of random_mask.h compiled with the AVX2 flags (CMakeLists.txt).
#include "random_mask.h"

namespace torchlet {

DropoutMaskFn dropout_mask_kernel_avx2() { return dropout_mask_impl; }

}  // namespace torchlet
