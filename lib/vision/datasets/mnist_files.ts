// Finding the verified files of an MNIST-style dataset: each file is looked up in a list of
// directories (decompressed or .gz), checked by the SHA-256 of its decompressed bytes, and, if
// allowed, downloaded. Everything tried is recorded so that a failure can say what was tried.
// Knows nothing of image/label semantics (see fashion_mnist.ts) or of HTTP (see download.ts).
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Attempt } from "./download.js";
import { downloadVerifiedSync } from "./download_sync.js";
import { readMaybeGzip, sha256 } from "./idx.js";

export interface Found {
  path: string;
  /** Decompressed content, already verified. */
  bytes: Uint8Array;
}

/** The first valid copy of `name` (or `name`.gz) in `dirs`, plus every candidate that was not. */
export function findVerified(name: string, expectedSha256: string, dirs: readonly string[]): { found: Found | null; attempts: Attempt[] } {
  const attempts: Attempt[] = [];
  for (const dir of dirs) {
    for (const path of [join(dir, name), join(dir, `${name}.gz`)]) {
      if (!existsSync(path)) {
        attempts.push({ source: path, problem: "not found" });
        continue;
      }
      try {
        const bytes = readMaybeGzip(path);
        const got = sha256(bytes);
        if (got !== expectedSha256) {
          throw new Error(`SHA-256 of the decompressed content is ${got}, expected ${expectedSha256} (corrupt, truncated or a different file)`);
        }
        return { found: { path, bytes }, attempts };
      } catch (e) {
        attempts.push({ source: path, problem: (e as Error).message.replace(`${path}: `, "") });
      }
    }
  }
  return { found: null, attempts };
}

export interface ResolveOptions {
  /** Dataset name for messages, e.g. "FashionMNIST". */
  dataset: string;
  /** Where downloads go and where users should put the files (root/<Dataset>/raw). */
  rawFolder: string;
  /** Directories searched, rawFolder first. */
  searchDirs: readonly string[];
  download: boolean;
  mirrors: readonly string[];
  timeoutMs: number;
  /** Another way to get the files, e.g. a system package. */
  installHint?: string;
}

/**
 * Verified contents of each file in `files` (decompressed name -> SHA-256), in order. Throws one
 * error listing every source tried for every file that could not be found.
 */
export function resolveFiles(files: readonly [string, string][], opts: ResolveOptions): Found[] {
  const results = files.map(([name, sha]) => findVerified(name, sha, opts.searchDirs));
  for (const r of results) {
    // NOTE: a broken copy skipped in favour of a good one later in the search is worth a warning.
    const bad = r.attempts.filter((a) => a.problem !== "not found");
    if (r.found && bad.length) {
      process.emitWarning(`${opts.dataset}: using ${r.found.path}; ignored ${bad.map((a) => `${a.source} (${a.problem})`).join("; ")}`);
    }
  }
  const missing = files.map((_, i) => i).filter((i) => !results[i].found);
  if (missing.length && opts.download && opts.mirrors.length) {
    mkdirSync(opts.rawFolder, { recursive: true });
    const downloads = downloadVerifiedSync({
      files: missing.map((i) => ({ remote: `${files[i][0]}.gz`, local: files[i][0], sha256: files[i][1] })),
      dir: opts.rawFolder,
      mirrors: opts.mirrors,
      timeoutMs: opts.timeoutMs,
    });
    missing.forEach((i, k) => {
      const d = downloads[k];
      results[i].attempts.push(...d.attempts);
      if (d.path) results[i].found = { path: d.path, bytes: readMaybeGzip(d.path) };
    });
  }
  const failed = files.map((_, i) => i).filter((i) => !results[i].found);
  if (failed.length) throw new Error(notFoundMessage(files, failed, results, opts));
  return results.map((r) => r.found!);
}

function notFoundMessage(
  files: readonly [string, string][],
  failed: number[],
  results: { attempts: Attempt[] }[],
  opts: ResolveOptions,
): string {
  const lines = [`${opts.dataset}: dataset files not found or not valid.`];
  for (const i of failed) {
    lines.push(`${files[i][0]}: tried`);
    for (const a of results[i].attempts) lines.push(`  - ${a.source}: ${a.problem}`);
    if (!opts.download) lines.push("  - download: not attempted (download is false)");
    else if (!opts.mirrors.length) lines.push("  - download: no mirrors configured");
  }
  lines.push(
    "To provide the files, do one of:",
    `  - copy ${failed.map((i) => `${files[i][0]}.gz`).join(", ")} (gzip or decompressed) into ${opts.rawFolder}/`,
    ...(opts.installHint ? [`  - ${opts.installHint}`] : []),
    opts.download
      ? `  - check the network, or point ${opts.dataset}.mirrors at a reachable copy`
      : "  - pass download: true on a machine with network access",
  );
  return lines.join("\n");
}
