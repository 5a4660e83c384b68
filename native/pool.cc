// ThreadPool: persistent workers that spin briefly after a job and then sleep on a condition
// variable; the caller runs chunks too, and chunks are claimed one by one from an atomic counter.
// It does not pin threads or size itself (the binding passes the thread count).
// ref: pthreadpool_parallelize_1d (include/pthreadpool.h); ggml's atomic chunk counter (common.h);
// the job fields are read under a seqlock (Boehm, "Can seqlocks get along with programming
// language memory models?", 2012).
#include "pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#include <immintrin.h>
#define TORCHLET_CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define TORCHLET_CPU_RELAX() __asm__ __volatile__("yield")
#else
#define TORCHLET_CPU_RELAX() ((void)0)
#endif

namespace torchlet {

namespace {

// How long an idle worker (or a caller waiting for the last chunks) polls before it sleeps.
// NOTE: long enough to bridge the gap between the kernels of one training step, short enough
// that an idle Node process does not burn a core shared with others.
constexpr auto kSpinTime = std::chrono::microseconds(200);

// The chunk counter packs a job's generation (high 32 bits) with its next chunk index (low 32),
// so a claim (compare-exchange) succeeds only while that job still has unclaimed chunks.
constexpr uint64_t kIndexMask = 0xffffffffu;
constexpr size_t kMaxChunksPerRound = 0xffffffffu;

// A claim takes 1/(kClaimShare * threads) of the chunks left (at least one): consecutive chunks.
// NOTE: claimed one at a time, a job of thousands of short chunks (exp over 16M floats: 4096 chunks
// of ~3 us) spent a large part of its time on the contended counter: on 2 threads exp and softmax ran
// 1.3-1.6x slower than with runs of chunks, row sums and sum 1.15x, add_ 1.1x. The runs shrink as
// the job drains, so the last chunks still go one by one and the threads finish together.
constexpr uint64_t kClaimShare = 8;

using Fn = std::function<void(size_t, size_t)>;

thread_local const void* t_running_pool = nullptr;  // the pool this thread is running a chunk of

uint32_t generation_of(uint64_t counter) { return static_cast<uint32_t>(counter >> 32); }

// The kernels' thread-state release functions. NOTE: constant-initialized (no constructor runs),
// so registering from another file's static initializer is safe whatever the initialization order.
constexpr int kMaxThreadStateReleases = 8;
std::atomic<ThreadStateRelease> g_releases[kMaxThreadStateReleases] = {};
std::atomic<int> g_num_releases{0};

}  // namespace

void register_thread_state_release(ThreadStateRelease release) {
  const int i = g_num_releases.fetch_add(1, std::memory_order_acq_rel);
  if (i >= kMaxThreadStateReleases) {
    std::fprintf(stderr, "torchlet: more than %d thread-state release functions\n", kMaxThreadStateReleases);
    std::abort();
  }
  g_releases[i].store(release, std::memory_order_release);
}

void release_thread_state() {
  const int n = std::min(g_num_releases.load(std::memory_order_acquire), kMaxThreadStateReleases);
  for (int i = 0; i < n; ++i) {
    if (ThreadStateRelease release = g_releases[i].load(std::memory_order_acquire)) release();
  }
}

struct ThreadPool::Impl {
  int num_threads = 1;
  std::vector<std::thread> workers;

  // The job of generation `job_gen`, written by the caller under the seqlock `seq` (odd while
  // being written) before it publishes that generation in `counter`.
  // NOTE: a worker that saw an older generation may read these while they change; the seqlock
  // makes it notice, and a claim proves its job is unfinished, so `fn` is still alive when called.
  std::atomic<uint32_t> seq{0};
  std::atomic<uint32_t> job_gen{0};
  std::atomic<const Fn*> fn{nullptr};
  std::atomic<size_t> n{0}, grain{1}, base{0}, num_chunks{0};

  std::atomic<uint64_t> counter{0};  // (generation << 32) | next chunk
  std::atomic<size_t> done{0};       // chunks of the current generation finished

  std::mutex mu;
  std::condition_variable wake_cv;  // workers wait here for a new generation
  std::condition_variable done_cv;  // the caller waits here for the last chunk
  int sleeping_workers = 0;         // guarded by mu
  bool caller_sleeping = false;     // guarded by mu
  bool stop = false;                // guarded by mu
  std::mutex call_mu;               // one parallel_for at a time per pool

  struct Job {
    const Fn* fn;
    size_t n, grain, base, chunks;
  };

  // Reads the job fields consistently; false if they are not generation `gen`'s.
  bool read_job(uint32_t gen, Job* job) {
    for (;;) {
      const uint32_t s1 = seq.load(std::memory_order_acquire);
      if (s1 & 1) {  // being written
        TORCHLET_CPU_RELAX();
        continue;
      }
      const uint32_t g = job_gen.load(std::memory_order_relaxed);
      job->fn = fn.load(std::memory_order_relaxed);
      job->n = n.load(std::memory_order_relaxed);
      job->grain = grain.load(std::memory_order_relaxed);
      job->base = base.load(std::memory_order_relaxed);
      job->chunks = num_chunks.load(std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_acquire);
      if (seq.load(std::memory_order_relaxed) == s1) return g == gen;
    }
  }

  // Claims and runs chunks of generation `gen` until none is left.
  void run_chunks(uint32_t gen) {
    Job job;
    if (!read_job(gen, &job)) return;  // a newer job is being set up: nothing left of `gen`
    uint64_t cur = counter.load(std::memory_order_acquire);
    for (;;) {
      const uint64_t idx = cur & kIndexMask;
      if (generation_of(cur) != gen || idx >= job.chunks) return;
      const uint64_t take = std::max<uint64_t>(1, (job.chunks - idx) / (kClaimShare * static_cast<uint64_t>(num_threads)));
      if (!counter.compare_exchange_weak(cur, cur + take, std::memory_order_acq_rel,
                                         std::memory_order_acquire)) {
        continue;
      }
      const void* outer = t_running_pool;
      t_running_pool = this;
      for (uint64_t q = idx; q < idx + take; ++q) {
        const size_t begin = job.base + static_cast<size_t>(q) * job.grain;
        (*job.fn)(begin, std::min(begin + job.grain, job.n));
      }
      t_running_pool = outer;
      if (done.fetch_add(take, std::memory_order_acq_rel) + take == job.chunks) {
        std::lock_guard<std::mutex> lock(mu);
        if (caller_sleeping) done_cv.notify_one();
      }
      cur = counter.load(std::memory_order_acquire);
    }
  }

  void worker_main() {
    uint32_t seen = generation_of(counter.load(std::memory_order_acquire));
    for (;;) {
      uint32_t gen = seen;
      const auto spin_start = std::chrono::steady_clock::now();
      for (int i = 0;; ++i) {
        gen = generation_of(counter.load(std::memory_order_acquire));
        if (gen != seen) break;
        TORCHLET_CPU_RELAX();
        if ((i & 63) == 63 && std::chrono::steady_clock::now() - spin_start > kSpinTime) break;
      }
      if (gen == seen) {
        std::unique_lock<std::mutex> lock(mu);
        ++sleeping_workers;
        wake_cv.wait(lock, [&] {
          gen = generation_of(counter.load(std::memory_order_acquire));
          return stop || gen != seen;
        });
        --sleeping_workers;
        if (stop) {
          lock.unlock();
          release_thread_state();
          return;
        }
      }
      seen = gen;
      run_chunks(gen);
    }
  }

  // Runs chunks [0, chunks) of the serial loop starting at `b0` on every thread.
  void run_round(const Fn& f, size_t nn, size_t g, size_t b0, size_t chunks) {
    // The previous job is finished (all its chunks done), so no claim can succeed on it any more;
    // workers still reading its fields see the seqlock move and give up.
    const uint32_t gen = generation_of(counter.load(std::memory_order_relaxed)) + 1;
    const uint32_t s = seq.load(std::memory_order_relaxed);
    seq.store(s + 1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    job_gen.store(gen, std::memory_order_relaxed);
    fn.store(&f, std::memory_order_relaxed);
    n.store(nn, std::memory_order_relaxed);
    grain.store(g, std::memory_order_relaxed);
    base.store(b0, std::memory_order_relaxed);
    num_chunks.store(chunks, std::memory_order_relaxed);
    seq.store(s + 2, std::memory_order_release);
    done.store(0, std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> lock(mu);
      counter.store(static_cast<uint64_t>(gen) << 32, std::memory_order_release);
      if (sleeping_workers > 0) wake_cv.notify_all();
    }
    run_chunks(gen);
    // Wait for chunks still running on workers: poll first, then sleep.
    const auto spin_start = std::chrono::steady_clock::now();
    for (int i = 0; done.load(std::memory_order_acquire) != chunks; ++i) {
      TORCHLET_CPU_RELAX();
      if ((i & 63) == 63 && std::chrono::steady_clock::now() - spin_start > kSpinTime) {
        std::unique_lock<std::mutex> lock(mu);
        caller_sleeping = true;
        done_cv.wait(lock, [&] { return done.load(std::memory_order_acquire) == chunks; });
        caller_sleeping = false;
        break;
      }
    }
  }
};

ThreadPool::ThreadPool(int num_threads) : impl_(new Impl) {
  impl_->num_threads = std::max(1, num_threads);
  impl_->workers.reserve(static_cast<size_t>(impl_->num_threads - 1));
  for (int i = 1; i < impl_->num_threads; ++i) {
    impl_->workers.emplace_back([this] { impl_->worker_main(); });
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stop = true;
  }
  impl_->wake_cv.notify_all();
  for (std::thread& t : impl_->workers) t.join();
  // NOTE: the calling thread ran chunks of this pool's jobs too; a Node worker_thread destroys its
  // pool (with its addon instance) before it exits, so this is its last chance to free them.
  release_thread_state();
}

int ThreadPool::num_threads() const { return impl_->num_threads; }

void ThreadPool::parallel_for(size_t n, size_t grain, const Fn& fn) {
  if (n == 0) return;
  if (grain == 0) grain = 1;
  const size_t chunks = n / grain + (n % grain != 0);
  auto serial = [&] {
    for (size_t i = 0; i < n; i += grain) fn(i, std::min(n - i, grain) + i);
  };
  // NOTE: a nested call (from inside a chunk) or a concurrent call from another thread runs
  // serially rather than deadlocking on the one job slot.
  if (impl_->num_threads == 1 || chunks == 1 || t_running_pool == impl_.get()) {
    serial();
    return;
  }
  std::unique_lock<std::mutex> call_lock(impl_->call_mu, std::try_to_lock);
  if (!call_lock.owns_lock()) {
    serial();
    return;
  }
  // Rounds of at most 2^32 - 1 chunks keep chunk boundaries at multiples of grain.
  for (size_t first = 0; first < chunks; first += kMaxChunksPerRound) {
    const size_t round = std::min(chunks - first, kMaxChunksPerRound);
    impl_->run_round(fn, n, grain, first * grain, round);
  }
}

}  // namespace torchlet
