// Write a file so that readers see either the old file or the complete new one, never a prefix:
// write a temporary file in the same directory, fsync it, then rename it over the target.
// Not a lock: two concurrent writers of one path each succeed and the last rename wins.
// ref: rename(2) is atomic within one file system (POSIX), hence the same-directory temp file.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A fresh temporary name next to `path` (same directory, so the final rename is atomic). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

/** Removes a file if it exists; never throws (used to clean up after a failure). */
export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // NOTE: already gone or never created; the caller is reporting the original error.
  }
}

/** Writes `chunks` to `path` atomically. On any failure the temp file is removed and the target is
 *  untouched; the error names the target. */
export function writeFileAtomicSync(path: string, chunks: readonly Uint8Array[]): void {
  const tmp = tempPathFor(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "wx", 0o644);
    for (const chunk of chunks) {
      let done = 0;
      while (done < chunk.byteLength) done += writeSync(fd, chunk, done, chunk.byteLength - done);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // NOTE: the write error below is the one worth reporting.
      }
    }
    removeQuietly(tmp);
    throw new Error(`could not write ${path}: ${(e as Error).message}`, { cause: e });
  }
  syncDirectory(dirname(path));
}

/** Makes the rename itself durable. Best effort: some file systems refuse fsync on a directory. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // NOTE: durability of the directory entry is a bonus; atomicity does not depend on it.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
