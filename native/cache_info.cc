// Cache size detection (cache_info.h). Compiled for the baseline like cpu.cc.
// ref: Intel SDM vol. 2A, CPUID leaf 04H (deterministic cache parameters); AMD APM vol. 3,
// CPUID Fn8000_001D (cache topology, same register layout) and Fn8000_0001 ECX bit 22 (TopoExt).
#include "cache_info.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#if defined(__x86_64__) || defined(_M_X64)
#define TORCHLET_X64 1
#include "cpuid_x64.h"
#endif

namespace torchlet {
namespace {

// Typical of current x64 and arm64 cores; used only when neither CPUID nor sysfs answers.
constexpr CacheSizes kDefaults{32u << 10, 1u << 20, 2u << 20, "default"};

bool ordered(const CacheSizes& c) { return c.l1d > 0 && c.l1d < c.l2 && c.l2 <= c.l3; }

// A machine without an L3 (or that hides it) still gets an L3 share no smaller than L2.
CacheSizes finish(CacheSizes c, const char* source) {
  if (c.l3 < c.l2) c.l3 = c.l2;
  c.source = source;
  return c;
}

#ifdef TORCHLET_X64
// Walks the subleaves of `leaf` (4 or 0x8000001D): type in eax[4:0] (1 data, 3 unified), level in
// eax[7:5], logical CPUs sharing it in eax[25:14] + 1, size = ways * partitions * line * sets.
bool from_cpuid(uint32_t leaf, CacheSizes* out) {
  CacheSizes c;
  for (uint32_t sub = 0; sub < 16; ++sub) {
    const CpuidRegs r = cpuid(leaf, sub);
    const uint32_t type = r.eax & 0x1f;
    if (type == 0) break;
    if (type != 1 && type != 3) continue;  // skip instruction caches
    const uint32_t level = (r.eax >> 5) & 0x7;
    const size_t sharing = ((r.eax >> 14) & 0xfff) + 1;
    const size_t size = static_cast<size_t>((r.ebx >> 22) + 1) * (((r.ebx >> 12) & 0x3ff) + 1) *
                        ((r.ebx & 0xfff) + 1) * (static_cast<size_t>(r.ecx) + 1);
    if (level == 1) c.l1d = size;
    if (level == 2) c.l2 = size;
    // NOTE: "sharing" counts logical CPUs (SMT siblings too); an L3 share per logical CPU is the
    // conservative one when every hardware thread runs a GEMM block.
    if (level == 3) c.l3 = size / sharing;
  }
  *out = finish(c, "cpuid");
  return ordered(*out);
}

// AMD's older leaves: L1d KiB in Fn8000_0005 ECX[31:24], L2 KiB in Fn8000_0006 ECX[31:16], L3 in
// 512 KiB units in Fn8000_0006 EDX[31:18]. They do not say who shares the L3, so it is divided
// among all logical CPUs of the package (Fn8000_0008 ECX[7:0] + 1). A VM may show a whole
// package's L3 to a guest of 2 CPUs, so the share is capped at 4x L2 (the widest L3:L2-per-core
// ratio of current x64 parts) rather than trusted.
bool from_amd_legacy(CacheSizes* out) {
  CacheSizes c;
  c.l1d = static_cast<size_t>(cpuid(0x80000005u, 0).ecx >> 24) << 10;
  const CpuidRegs l2l3 = cpuid(0x80000006u, 0);
  c.l2 = static_cast<size_t>(l2l3.ecx >> 16) << 10;
  const size_t cpus = (cpuid(0x80000008u, 0).ecx & 0xff) + 1;
  c.l3 = std::min((static_cast<size_t>(l2l3.edx >> 18) << 19) / cpus, 4 * c.l2);
  *out = finish(c, "cpuid");
  return ordered(*out);
}

bool detect_cpuid(CacheSizes* out) {
  const CpuidRegs v = cpuid(0, 0);
  char vendor[13] = {};
  std::memcpy(vendor, &v.ebx, 4);
  std::memcpy(vendor + 4, &v.edx, 4);
  std::memcpy(vendor + 8, &v.ecx, 4);
  if (std::strcmp(vendor, "GenuineIntel") == 0 && v.eax >= 4) return from_cpuid(4, out);
  if (std::strcmp(vendor, "AuthenticAMD") == 0 || std::strcmp(vendor, "HygonGenuine") == 0) {
    const uint32_t max_ext = cpuid(0x80000000u, 0).eax;
    const bool topo_ext = max_ext >= 0x8000001Du && ((cpuid(0x80000001u, 0).ecx >> 22) & 1) != 0;
    if (topo_ext && from_cpuid(0x8000001Du, out)) return true;
    // NOTE: hypervisors often hide TopologyExtensions; the legacy leaves still give the sizes.
    if (max_ext >= 0x80000008u) return from_amd_legacy(out);
  }
  return false;
}
#endif

// Reads one line of a sysfs file; "" when it is missing.
std::string read_line(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return "";
  char buf[256] = {};
  const bool ok = std::fgets(buf, sizeof buf, f) != nullptr;
  std::fclose(f);
  std::string s = ok ? buf : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// "48K", "1024K", "32M" -> bytes; 0 when unparsable.
size_t parse_size(const std::string& s) {
  char* end = nullptr;
  const unsigned long long n = std::strtoull(s.c_str(), &end, 10);
  if (end == s.c_str()) return 0;
  if (*end == 'K') return static_cast<size_t>(n) << 10;
  if (*end == 'M') return static_cast<size_t>(n) << 20;
  if (*end == 'G') return static_cast<size_t>(n) << 30;
  return static_cast<size_t>(n);
}

// CPUs in a sysfs shared_cpu_list such as "0-3,8-11".
size_t count_cpu_list(const std::string& s) {
  size_t count = 0;
  const char* p = s.c_str();
  while (*p != '\0') {
    char* end = nullptr;
    const long a = std::strtol(p, &end, 10);
    if (end == p) break;
    long b = a;
    p = end;
    if (*p == '-') b = std::strtol(p + 1, &end, 10), p = end;
    if (b >= a) count += static_cast<size_t>(b - a + 1);
    if (*p == ',') ++p;
  }
  return count;
}

bool detect_sysfs(CacheSizes* out) {
  CacheSizes c;
  for (int i = 0; i < 16; ++i) {
    const std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(i) + "/";
    const std::string type = read_line(dir + "type");
    if (type.empty()) break;
    if (type != "Data" && type != "Unified") continue;
    const std::string level = read_line(dir + "level");
    const size_t size = parse_size(read_line(dir + "size"));
    if (level == "1") c.l1d = size;
    if (level == "2") c.l2 = size;
    if (level == "3") {
      const size_t sharing = count_cpu_list(read_line(dir + "shared_cpu_list"));
      c.l3 = sharing > 0 ? size / sharing : size;
    }
  }
  *out = finish(c, "sysfs");
  return ordered(*out);
}

CacheSizes detect() {
  CacheSizes c;
#ifdef TORCHLET_X64
  if (detect_cpuid(&c)) return c;
#endif
  if (detect_sysfs(&c)) return c;
  return kDefaults;
}

}  // namespace

const CacheSizes& cache_sizes() {
  static const CacheSizes sizes = detect();  // trivially destructible: no atexit hook
  return sizes;
}

}  // namespace torchlet
