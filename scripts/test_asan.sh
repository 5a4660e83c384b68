#!/usr/bin/env bash
# Builds the addon with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/ and runs the
# vitest suite against that build (TORCHLET_ADDON_PATH), with gcc's runtimes preloaded into node.
# Not here: the normal build (build/) is untouched. Extra arguments go to vitest (e.g. a file filter).
# ref: https://github.com/google/sanitizers/wiki/AddressSanitizer (LD_PRELOAD into an uninstrumented host).
set -euo pipefail
cd "$(dirname "$0")/.."

SANITIZE="${TORCHLET_SANITIZE:-address,undefined}"
npx cmake-js compile --out build-asan --parallel 2 --CDTORCHLET_SANITIZE="$SANITIZE"
ADDON="$PWD/build-asan/Release/torchlet.node"
[[ -f "$ADDON" ]] || { echo "test_asan: $ADDON was not built" >&2; exit 1; }

# node is not instrumented, so the sanitizer runtimes must be loaded before anything else.
CXX="${CXX:-g++}"
LIBASAN="$("$CXX" -print-file-name=libasan.so)"
LIBUBSAN="$("$CXX" -print-file-name=libubsan.so)"
for lib in "$LIBASAN" "$LIBUBSAN"; do
  [[ -f "$lib" ]] || { echo "test_asan: $lib not found (install gcc's libasan/libubsan)" >&2; exit 1; }
done

export LD_PRELOAD="$LIBASAN $LIBUBSAN${LD_PRELOAD:+ $LD_PRELOAD}"
export TORCHLET_ADDON_PATH="$ADDON"
export TORCHLET_BACKEND=native
# NOTE: detect_leaks=0 because node itself (V8, libuv, OpenSSL) leaks at exit by design, which
# LeakSanitizer would report on every run; our memory is ArrayBuffer-backed and GC-owned anyway.
# Any ASan or UBSan report aborts the process (halt_on_error, and -fno-sanitize-recover in the build),
# so a test file that hits one fails.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1:allow_user_segv_handler=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"

# Sanity: the sanitizer runtime is in the process and the loader picks the ASan build.
npx tsx -e 'import("./lib/backend/addon.ts").then(({ loadAddon }) => {
  const l = loadAddon();
  const maps = require("node:fs").readFileSync("/proc/self/maps", "utf8");
  if (!l.addon || l.path !== process.env.TORCHLET_ADDON_PATH) throw l.error ?? new Error("loaded " + l.path);
  if (!/libasan/.test(maps)) throw new Error("libasan is not loaded");
})'
echo "test_asan: vitest against $ADDON (-fsanitize=$SANITIZE)"
npx vitest run "$@"
