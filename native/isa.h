// Instruction sets the kernels are compiled for, and the one chosen at run time.
// Each ISA's kernels live in files named *_<isa>.cc, compiled with that ISA's flags only;
// everything else is compiled for the baseline so the binary loads on any CPU of its arch.
#pragma once

namespace torchlet {

enum class Isa { kScalar = 0, kAvx2 = 1, kAvx512 = 2, kNeon = 3 };

const char* isa_name(Isa isa);

// The best ISA this CPU (and OS) supports, from CPUID/XGETBV on x64; NEON on arm64.
Isa detect_isa();

// Parses "scalar" | "avx2" | "avx512" | "neon"; returns false on an unknown name.
bool parse_isa(const char* name, Isa* out);

}  // namespace torchlet
