// Why: V8 frees a tensor's ArrayBuffer only when the garbage collector runs, in batches, never when
// the tensor dies (JS has no destructors). With glibc's defaults a freed block above malloc's
// dynamic mmap threshold goes back to the OS (munmap, or a heap trim), so the next same-sized
// allocation page-faults every 4 KB page afresh: ~1.9 us per page on this class of VM, i.e. 0.2 ms
// for one 64x784 @ 784x512 output, more than a third of the matmul itself. PyTorch's refcounting
// reuses a hot block at once; keeping blocks in the heap is the nearest a GC'd runtime gets.
// Above 32 MB (glibc's cap for the mmap threshold) blocks are always mmapped: huge pages cut their
// faults 512-fold. ref: mallopt(3), madvise(2) MADV_HUGEPAGE, glibc malloc/malloc.c (mp_ tunables).
#include "memory.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace torchlet {

namespace {

// glibc caps M_MMAP_THRESHOLD at 32 MB on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX).
constexpr int kMmapThreshold = 32 << 20;
// Free memory at the top of the heap kept before trimming: a few steps' worth of activations.
constexpr int kTrimThreshold = 256 << 20;

std::string apply_tuning() {
#if defined(__SANITIZE_ADDRESS__)
  return "off (AddressSanitizer build: its allocator replaces malloc)";
#elif defined(__GLIBC__)
  const char* opt = std::getenv("TORCHLET_MALLOC_TUNING");
  if (opt != nullptr && std::strcmp(opt, "0") == 0) return "off (TORCHLET_MALLOC_TUNING=0)";
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::strstr(tunables, "glibc.malloc.") != nullptr) return "off (GLIBC_TUNABLES sets malloc)";
  const bool ok = mallopt(M_MMAP_THRESHOLD, kMmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, kTrimThreshold) == 1;
  return ok ? "glibc: mmap_threshold 32 MB, trim_threshold 256 MB" : "off (mallopt refused)";
#else
  return "off (not glibc)";
#endif
}

}  // namespace

std::string tune_allocator_once() {
  // Process-wide (malloc is shared by every worker's addon instance), so applied once.
  static std::once_flag once;
  static std::string result;
  std::call_once(once, [] { result = apply_tuning(); });
  return result;
}

void advise_huge_pages(void* data, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace torchlet
