// vitest settings: the defaults, with a longer per-test timeout. NOTE: gradcheck/gradgradcheck and
// the child-process tests take seconds on a loaded 2-core machine (CI, or two suites at once); the
// timeout only guards against hangs, it is not a speed check (no test asserts a duration).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: { testTimeout: 60_000 },
});
