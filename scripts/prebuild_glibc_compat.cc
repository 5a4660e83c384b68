// Linked only into the portable linux-x64 glibc prebuild (scripts/prebuild.mjs), which is linked
// against glibc 2.17's libraries with a static libstdc++ from the host's newer GCC. That libstdc++
// refers to four glibc symbols newer than 2.17; each is defined here (hidden), so the addon needs
// nothing past GLIBC_2.17. Not part of the normal or fallback source build.
// ref: the manylinux approach (build against an old glibc) and glibc's own definitions of these.
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define TORCHLET_HIDDEN __attribute__((visibility("hidden")))

extern "C" {

// glibc 2.32: true while the process has one thread. NOTE: always 0 ("maybe several threads"),
// so libstdc++ always uses atomic reference counts: always correct, a few ns slower when alone.
TORCHLET_HIDDEN char __libc_single_threaded = 0;

// glibc 2.25: up to 256 random bytes from the kernel (getrandom(2); ENOSYS on kernels < 3.17,
// as glibc's own getentropy). Only std::random_device uses it; torchlet never makes one.
TORCHLET_HIDDEN int getentropy(void* buffer, size_t length) {
  if (length > 256) {
    errno = EIO;
    return -1;
  }
  unsigned char* p = static_cast<unsigned char*>(buffer);
  while (length > 0) {
    const long n = syscall(SYS_getrandom, p, length, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += n;
    length -= static_cast<size_t>(n);
  }
  return 0;
}

// glibc 2.36: a random 32-bit number that never fails (glibc aborts when the kernel can't give
// one). getrandom first, then /dev/urandom for kernels without it.
TORCHLET_HIDDEN unsigned int arc4random(void) {
  unsigned int v;
  if (getentropy(&v, sizeof v) == 0) return v;
  const int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    const ssize_t n = read(fd, &v, sizeof v);
    close(fd);
    if (n == static_cast<ssize_t>(sizeof v)) return v;
  }
  abort();
}

// glibc 2.18: registers a destructor of a thread_local object (the pool's and GEMM's scratch
// buffers) to run when the thread exits. glibc >= 2.18 (every system Node 18+ supports) has it:
// we forward to that one, which also keeps this library loaded while such destructors are pending.
// On an older glibc, a pthread key runs them at thread exit, newest first (libstdc++'s own
// fallback does the same).
typedef int (*ThreadAtexitImpl)(void (*)(void*), void*, void*);

struct ThreadDtor {
  void (*fn)(void*);
  void* obj;
  ThreadDtor* next;
};

static pthread_key_t g_dtor_key;
static pthread_once_t g_dtor_once = PTHREAD_ONCE_INIT;
static ThreadAtexitImpl g_glibc_impl = nullptr;

static void run_thread_dtors(void* head) {
  ThreadDtor* d = static_cast<ThreadDtor*>(head);
  while (d != nullptr) {
    ThreadDtor* next = d->next;
    d->fn(d->obj);
    free(d);
    d = next;
  }
}

static void init_thread_atexit(void) {
  // NOTE: our own definition is hidden, so RTLD_DEFAULT can only find glibc's.
  g_glibc_impl = reinterpret_cast<ThreadAtexitImpl>(dlsym(RTLD_DEFAULT, "__cxa_thread_atexit_impl"));
  if (g_glibc_impl == nullptr) pthread_key_create(&g_dtor_key, run_thread_dtors);
}

TORCHLET_HIDDEN int __cxa_thread_atexit_impl(void (*fn)(void*), void* obj, void* dso_symbol) {
  pthread_once(&g_dtor_once, init_thread_atexit);
  if (g_glibc_impl != nullptr) return g_glibc_impl(fn, obj, dso_symbol);
  ThreadDtor* d = static_cast<ThreadDtor*>(malloc(sizeof(ThreadDtor)));
  if (d == nullptr) return -1;
  d->fn = fn;
  d->obj = obj;
  d->next = static_cast<ThreadDtor*>(pthread_getspecific(g_dtor_key));
  pthread_setspecific(g_dtor_key, d);
  return 0;
}

}  // extern "C"
