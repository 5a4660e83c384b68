// Synchronous downloads for dataset constructors: `new FashionMNIST({ download: true })` must
// return a loaded dataset, as in torchvision, but Node's fetch is async. A child Node process runs
// download.ts while this one waits (spawnSync), so the constructor stays synchronous.
// Not for tests' injected fetchers (those call downloadVerified directly).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { DownloadResult } from "./download.js";

export interface SyncDownloadRequest {
  files: { remote: string; local: string; sha256: string }[];
  dir: string;
  mirrors: readonly string[];
  timeoutMs: number;
}

/** Whole-run cap: the per-read idle timeout already stops a stalled mirror; this stops a trickle. */
const CHILD_TIMEOUT_MS = 30 * 60_000;

export function downloadVerifiedSync(req: SyncDownloadRequest): DownloadResult[] {
  const self = fileURLToPath(import.meta.url);
  const main = self.replace(/download_sync\.(ts|js)$/, "download_main.$1");
  // NOTE: running from TypeScript sources (tsx, vitest), the child needs tsx's loader to import .ts.
  const loader = main.endsWith(".ts") ? ["--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href] : [];
  const child = spawnSync(process.execPath, [...loader, main, JSON.stringify(req)], {
    stdio: ["ignore", "pipe", "inherit"],
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 16 * 1024 * 1024,
    encoding: "utf8",
  });
  if (child.error || child.status !== 0) {
    const why = child.error?.message ?? (child.signal ? `killed by ${child.signal}` : `exit code ${child.status}`);
    const problem = `the download process failed (${why})`;
    return req.files.map(() => ({ path: null, attempts: [{ source: "download", problem }] }));
  }
  return JSON.parse(child.stdout) as DownloadResult[];
}
