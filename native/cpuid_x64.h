// CPUID on x64, shared by ISA detection (cpu.cc) and cache detection (cache_info.cc).
#pragma once

#if defined(__x86_64__) || defined(_M_X64)
#include <cstdint>
#if defined(_MSC_VER)
#include <intrin.h>
#else
#include <cpuid.h>
#endif

namespace torchlet {

struct CpuidRegs { uint32_t eax, ebx, ecx, edx; };

inline CpuidRegs cpuid(uint32_t leaf, uint32_t subleaf) {
  CpuidRegs r{};
#if defined(_MSC_VER)
  int v[4];
  __cpuidex(v, static_cast<int>(leaf), static_cast<int>(subleaf));
  r = {static_cast<uint32_t>(v[0]), static_cast<uint32_t>(v[1]), static_cast<uint32_t>(v[2]),
       static_cast<uint32_t>(v[3])};
#else
  __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
#endif
  return r;
}

}  // namespace torchlet
#endif
