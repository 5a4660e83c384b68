// Downloads one dataset file from a list of mirrors: an idle timeout, a progress bar on stderr, the
// bytes streamed to a temporary file that is renamed into place only once the SHA-256 of its
// decompressed content matches. A failed, interrupted or corrupt download leaves nothing under the name.
// fetch and the mirror list are injectable so tests never touch the network.
// ref: torchvision/datasets/utils.py (download_url, check_integrity) and mnist.py (mirror loop).
import { open, rename } from "node:fs/promises";
import { basename, join } from "node:path";
import { removeQuietly, tempPathFor } from "../../io/atomic_write.js";
import { isGzip, readMaybeGzip, sha256 } from "./idx.js";

export interface DownloadOptions {
  /** Base URLs; the file name is appended. Tried in order. */
  mirrors: readonly string[];
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Abort when no byte arrives for this long (connecting included). Default 30 s. */
  timeoutMs?: number;
  /** Refuse bodies larger than this (a misconfigured mirror can't fill the disk). Default 256 MiB. */
  maxBytes?: number;
  /** Progress reports; default draws a bar on stderr. */
  onProgress?: (p: Progress) => void;
  /** Status lines ("Downloading ..."); default stderr. */
  log?: (line: string) => void;
}

export interface Progress {
  url: string;
  received: number;
  /** From Content-Length; 0 when unknown. */
  total: number;
  done: boolean;
}

/** One source that was tried and what went wrong with it. */
export interface Attempt {
  source: string;
  problem: string;
}

export interface DownloadResult {
  /** The verified file (name + ".gz" when the content is gzip), or null when every mirror failed. */
  path: string | null;
  attempts: Attempt[];
}

/** Temporary files being written right now, so that a process being killed can remove them
 *  (download_main.ts does on SIGINT/SIGTERM; a library must not install signal handlers itself). */
export const activeTempFiles = new Set<string>();

/**
 * Fetches `remoteName` (e.g. "train-images-idx3-ubyte.gz") from each mirror in turn into `dir`,
 * keeping the first copy whose decompressed bytes hash to `expectedSha256`.
 * `localName` is the decompressed file name ("train-images-idx3-ubyte").
 */
export async function downloadVerified(
  remoteName: string,
  localName: string,
  expectedSha256: string,
  dir: string,
  opts: DownloadOptions,
): Promise<DownloadResult> {
  const attempts: Attempt[] = [];
  const log = opts.log ?? ((line: string) => process.stderr.write(line + "\n"));
  for (const mirror of opts.mirrors) {
    const url = mirror + remoteName;
    const tmp = tempPathFor(join(dir, localName));
    activeTempFiles.add(tmp);
    try {
      log(`Downloading ${url}`);
      await fetchToFile(url, tmp, opts);
      const content = readMaybeGzip(tmp);
      const got = sha256(content);
      if (got !== expectedSha256) throw new Error(`SHA-256 of the decompressed content is ${got}, expected ${expectedSha256}`);
      const finalPath = join(dir, localName + (isGzip(await firstBytes(tmp)) ? ".gz" : ""));
      await rename(tmp, finalPath);
      return { path: finalPath, attempts };
    } catch (e) {
      removeQuietly(tmp);
      const problem = (e as Error).message.replace(`${tmp}: `, "");
      attempts.push({ source: url, problem });
      log(`Failed to download ${url}: ${problem}`);
    } finally {
      activeTempFiles.delete(tmp);
    }
  }
  return { path: null, attempts };
}

async function firstBytes(path: string): Promise<Uint8Array> {
  const fh = await open(path, "r");
  try {
    const buf = new Uint8Array(2);
    await fh.read(buf, 0, 2, 0);
    return buf;
  } finally {
    await fh.close();
  }
}

/** Streams `url` into a new file `dest` (which must not exist). Throws with a short reason. */
async function fetchToFile(url: string, dest: string, opts: DownloadOptions): Promise<void> {
  const fetchFn = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBytes = opts.maxBytes ?? 256 * 1024 * 1024;
  const progress = opts.onProgress ?? progressBar(basename(url));
  const ctrl = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, timeoutMs);
  };
  const fh = await open(dest, "wx");
  try {
    arm();
    const res = await fetchFn(url, { signal: ctrl.signal, redirect: "follow" });
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
    if (!res.body) throw new Error("the response has no body");
    const total = Number(res.headers.get("content-length")) || 0;
    if (total > maxBytes) throw new Error(`the server announces ${total} bytes, more than the ${maxBytes}-byte limit`);
    let received = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      arm();
      received += chunk.byteLength;
      if (received > maxBytes) throw new Error(`the body exceeds the ${maxBytes}-byte limit`);
      for (let at = 0; at < chunk.byteLength; ) at += (await fh.write(chunk, at, chunk.byteLength - at)).bytesWritten;
      progress({ url, received, total, done: false });
    }
    if (total && received !== total) throw new Error(`the connection closed after ${received} of ${total} bytes`);
    progress({ url, received, total, done: true });
    await fh.sync();
  } catch (e) {
    if (timedOut) throw new Error(`timed out (no data for ${timeoutMs / 1000} s)`);
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    throw new Error(cause ? `${(e as Error).message} (${cause})` : (e as Error).message);
  } finally {
    clearTimeout(timer);
    await fh.close();
  }
}

/** A one-line bar redrawn on a terminal; on a pipe, a single line when done. */
export function progressBar(label: string, stream: { isTTY?: boolean; write(text: string): unknown } = process.stderr): (p: Progress) => void {
  let last = 0;
  const mb = (n: number) => (n / 1e6).toFixed(1);
  return (p) => {
    const now = Date.now();
    if (!p.done && (!stream.isTTY || now - last < 100)) return;
    last = now;
    const frac = p.total ? Math.min(1, p.received / p.total) : 0;
    const width = 30;
    const bar = p.total ? "#".repeat(Math.round(frac * width)).padEnd(width, ".") : "?".repeat(width);
    const pct = p.total ? `${(frac * 100).toFixed(0).padStart(3)}%` : "   ?";
    const line = `  ${label} [${bar}] ${pct} ${mb(p.received)}/${p.total ? mb(p.total) : "?"} MB`;
    stream.write(stream.isTTY ? `\r${line}${p.done ? "\n" : ""}` : `${line}\n`);
  };
}
