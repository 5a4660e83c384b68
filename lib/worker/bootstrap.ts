// Starting a worker thread on one of torchlet's entry files (a Runner's, a DataLoader worker's)
// that will import a user's module: directly, or, when either is TypeScript source, after
// registering tsx in the worker (a worker does not inherit the parent's --import hooks).
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

const TS_SOURCE = /\.(ts|mts|cts)$/;

/** tsx's ES module API (its register()), looked up from the working directory (the user's
 *  project), then from torchlet. NOTE: require.resolve would give its CommonJS twin, whose
 *  register() fails inside a worker, so the "import" entry is read from tsx's package.json. */
function tsxApiUrl(): string | null {
  for (const base of [pathToFileURL(resolve("package.json")).href, import.meta.url]) {
    try {
      const pkgFile = createRequire(base).resolve("tsx/package.json");
      const api = JSON.parse(readFileSync(pkgFile, "utf8")).exports["./esm/api"].import;
      return pathToFileURL(join(dirname(pkgFile), typeof api === "string" ? api : api.default)).href;
    } catch {
      // not here (or not a tsx we know); try the next place
    }
  }
  return null;
}

export function workerBootstrap(entry: URL, userModule: URL, options: WorkerOptions): Worker {
  if (!TS_SOURCE.test(entry.pathname) && !TS_SOURCE.test(userModule.pathname)) return new Worker(entry, options);
  const tsx = tsxApiUrl();
  if (tsx === null) {
    throw new Error(`torchlet: ${fileURLToPath(userModule)} is TypeScript; a worker thread can run it only with tsx installed (npm i -D tsx), or compile it to .js first`);
  }
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { ...options, eval: true });
}
