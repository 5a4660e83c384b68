// Run-time ISA detection (isa.h): CPUID feature bits plus XGETBV, so an ISA counts only when the
// OS also saves its registers (ymm for AVX2, opmask+zmm for AVX-512). NEON is baseline on arm64.
// Compiled for the baseline: nothing here may use the instructions it is testing for.
// ref: Intel SDM vol. 1 sec. 14.3 (detection of AVX) and 15.2 (detection of AVX-512).
#include <cstdint>
#include <cstring>

#include "isa.h"

#if defined(__x86_64__) || defined(_M_X64)
#define TORCHLET_X64 1
#include "cpuid_x64.h"
#endif

namespace torchlet {

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kScalar: return "scalar";
    case Isa::kAvx2: return "avx2";
    case Isa::kAvx512: return "avx512";
    case Isa::kNeon: return "neon";
  }
  return "unknown";
}

bool parse_isa(const char* name, Isa* out) {
  if (name == nullptr) return false;
  const Isa all[] = {Isa::kScalar, Isa::kAvx2, Isa::kAvx512, Isa::kNeon};
  for (Isa isa : all) {
    if (std::strcmp(name, isa_name(isa)) == 0) {
      *out = isa;
      return true;
    }
  }
  return false;
}

#ifdef TORCHLET_X64
namespace {

using Regs = CpuidRegs;

// XCR0: which register states the OS saves on a context switch.
uint64_t xgetbv0() {
#if defined(_MSC_VER)
  return _xgetbv(0);
#else
  // NOTE: inline asm rather than _xgetbv(), which GCC only allows under -mxsave.
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<uint64_t>(hi) << 32) | lo;
#endif
}

bool bit(uint32_t reg, int b) { return (reg >> b) & 1u; }

}  // namespace

Isa detect_isa() {
  const uint32_t max_leaf = cpuid(0, 0).eax;
  if (max_leaf < 7) return Isa::kScalar;
  const Regs l1 = cpuid(1, 0);
  // OSXSAVE (ecx 27) must be set before XGETBV may execute.
  if (!bit(l1.ecx, 27) || !bit(l1.ecx, 28) /*AVX*/ || !bit(l1.ecx, 12) /*FMA*/) return Isa::kScalar;
  const uint64_t xcr0 = xgetbv0();
  const bool os_ymm = (xcr0 & 0x6) == 0x6;     // SSE (bit 1) and AVX (bit 2) state
  const bool os_zmm = (xcr0 & 0xe6) == 0xe6;   // plus opmask (5), ZMM_Hi256 (6), Hi16_ZMM (7)
  const Regs l7 = cpuid(7, 0);
  const bool avx2 = bit(l7.ebx, 5);
  const bool avx512 = bit(l7.ebx, 16) /*F*/ && bit(l7.ebx, 17) /*DQ*/ && bit(l7.ebx, 30) /*BW*/ &&
                      bit(l7.ebx, 31) /*VL*/;
  if (os_zmm && avx2 && avx512) return Isa::kAvx512;
  if (os_ymm && avx2) return Isa::kAvx2;
  return Isa::kScalar;
}

#elif defined(__aarch64__) || defined(_M_ARM64)

Isa detect_isa() { return Isa::kNeon; }  // Advanced SIMD is mandatory in ARMv8-A.

#else

Isa detect_isa() { return Isa::kScalar; }

#endif

}  // namespace torchlet
