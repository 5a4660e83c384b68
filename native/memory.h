// Memory policy for tensor storages: how the process allocator and the kernel should treat the
// large, short-lived buffers a training loop allocates. Plain C++; binding.cc calls these.
#pragma once

#include <cstddef>
#include <string>

namespace torchlet {

// Once per process, at addon load (glibc only): keeps freed tensor-sized blocks (up to 32 MB) in
// malloc's heap for reuse instead of returning them to the OS. Returns what was done, for info().
// Skipped when TORCHLET_MALLOC_TUNING=0 or when GLIBC_TUNABLES already sets malloc options.
std::string tune_allocator_once();

// Hint that [data, data + bytes) is a fresh allocation about to be written: back its 2 MB-aligned
// interior with transparent huge pages (Linux, THP in "madvise" or "always" mode). Advice only:
// contents and results are unaffected, and failure is ignored.
void advise_huge_pages(void* data, size_t bytes);

// Allocations at least this large get advise_huge_pages (smaller ones come from malloc's heap).
constexpr size_t kHugePageAdviceBytes = size_t{32} << 20;

}  // namespace torchlet
