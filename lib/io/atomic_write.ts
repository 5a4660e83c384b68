// Write a file so that readers see either the old file or the complete new one, never a prefix:
// write a temporary file in the same directory, fsync it, then rename it over the target.
// Not a lock: two concurrent writers of one path each succeed and the last rename wins.
// Saving over a file keeps what a user set on it: its mode (0600 stays 0600), and a symlink stays a
// symlink (the write goes through it to the file it names, as writeFileSync would). A temp file
// left by a killed save (its writer's process is gone) is removed by the next save to that path.
// ref: rename(2) is atomic within one file system (POSIX), hence the same-directory temp file.
import { randomBytes } from "node:crypto";
import {
  closeSync, fchmodSync, fsyncSync, lstatSync, openSync, readdirSync, readlinkSync, renameSync, statSync, unlinkSync, writeSync,
} from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";

/** Linux's limit on symlinks followed in one lookup (MAXSYMLINKS). */
const MAX_SYMLINK_HOPS = 40;

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

/** The file a write to `path` lands in: `path` itself, or the end of its chain of symlinks (which
 *  may not exist yet: a dangling link is written through, creating its target). */
export function resolveWriteTarget(path: string): string {
  let p = path;
  for (let hops = 0; hops <= MAX_SYMLINK_HOPS; hops++) {
    let isLink: boolean;
    try {
      isLink = lstatSync(p).isSymbolicLink();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return p;
      throw e;
    }
    if (!isLink) return p;
    const link = readlinkSync(p);
    p = isAbsolute(link) ? link : join(dirname(p), link);
  }
  throw new Error(`ELOOP: too many levels of symbolic links, ${path}`);
}

/** True unless process `pid` is known to be gone (a process of another user counts as alive). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/** Removes the temp files tempPathFor(target) made for saves whose process no longer exists (a
 *  save killed mid-write). Temps of live processes, this one included, are left alone. */
export function removeStaleTemps(target: string): void {
  const dir = dirname(target);
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // NOTE: an unreadable directory fails the write itself, with a better error
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".tmp")) continue;
    const m = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length));
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && !processAlive(pid)) removeQuietly(join(dir, name));
  }
}

/** The permission bits of an existing file, or null when there is none. */
function existingMode(path: string): number | null {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return null;
  }
}

/** Writes `chunks` to `path` atomically. On any failure the temp file is removed and the target is
 *  untouched; the error names the target. */
export function writeFileAtomicSync(path: string, chunks: readonly Uint8Array[]): void {
  let target: string;
  try {
    target = resolveWriteTarget(path);
  } catch (e) {
    throw new Error(`could not write ${path}: ${(e as Error).message}`, { cause: e });
  }
  removeStaleTemps(target);
  const mode = existingMode(target);
  const tmp = tempPathFor(target);
  let fd: number | undefined;
  try {
    // NOTE: a new file gets 0o666 less the umask, as writeFileSync gives it; an existing file's
    // mode is set exactly (fchmod ignores the umask).
    fd = openSync(tmp, "wx", mode ?? 0o666);
    if (mode !== null) fchmodSync(fd, mode);
    for (const chunk of chunks) {
      let done = 0;
      while (done < chunk.byteLength) done += writeSync(fd, chunk, done, chunk.byteLength - done);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
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
  syncDirectory(dirname(target));
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
