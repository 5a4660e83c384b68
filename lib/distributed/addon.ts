// Loads torchlet_dist.node, the gloo-backed collective engine, from beside torchlet.node. It is a
// separate, optional addon: built only where gloo is installed, so its absence never stops torchlet
// from loading; isAvailable() then says false and why.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { loadAddon } from "../backend/addon.js";

/** A collective in flight, run on the group's own thread (native/distributed/binding.cc). */
export interface NativeWork {
  /** Blocks until done; copies the result into the tensor; throws the collective's error. */
  wait(): void;
  isCompleted(): boolean;
  /** Settles on the event loop when the collective ends (after copying the result). */
  readonly promise: Promise<void>;
}

export type DistBuffer = Float32Array | Float64Array;

/** One connected gloo context. `async` false: runs in place and blocks; true: returns a NativeWork. */
export interface NativeGroup {
  readonly rank: number;
  readonly size: number;
  allreduce(buf: DistBuffer, op: string, async: boolean): NativeWork | undefined;
  broadcast(buf: DistBuffer, root: number, async: boolean): NativeWork | undefined;
  allgather(input: DistBuffer, output: DistBuffer, async: boolean): NativeWork | undefined;
  barrier(async: boolean): NativeWork | undefined;
  send(buf: DistBuffer, dst: number, tag: number, async: boolean): NativeWork | undefined;
  recv(buf: DistBuffer, src: number, tag: number, async: boolean): NativeWork | undefined;
  destroy(): void;
}

export interface NativeRendezvous {
  kind: "tcp" | "file";
  host?: string;
  port?: number;
  path?: string;
  /** The address this rank's gloo device listens on (peers connect to it). */
  ifaceHost: string;
}

export interface DistAddon {
  readonly backend: "gloo";
  connect(rank: number, size: number, rendezvous: NativeRendezvous, timeoutMs: number): Promise<NativeGroup>;
  /** Memory that async collectives work on in place (no copies): the native side keeps it alive
   *  while a collective on it is in flight, whatever JavaScript does with the ArrayBuffer. */
  allocBuffer(bytes: number): ArrayBuffer;
}

const INSTALL_HINT =
  "torch.distributed needs gloo: install it (Debian/Ubuntu: `apt-get install libgloo-dev`), then rebuild torchlet from source " +
  "(`TORCHLET_BUILD_FROM_SOURCE=1 npm rebuild torchlet`, which needs cmake and a C++17 compiler)";

let cached: { addon: DistAddon; error: null } | { addon: null; error: Error } | null = null;

/** The dist addon, or why it can't be had (loaded once per thread). */
export function loadDistAddon(): { addon: DistAddon; error: null } | { addon: null; error: Error } {
  if (cached !== null) return cached;
  const override = process.env.TORCHLET_DIST_ADDON_PATH;
  const main = loadAddon();
  const candidates = override
    ? [resolve(override)]
    : main.path !== null ? [join(dirname(main.path), "torchlet_dist.node")] : [];
  const file = candidates.find((f) => existsSync(f));
  if (file === undefined) {
    cached = { addon: null, error: new Error(`torch.distributed is not available: torchlet_dist.node was not built. ${INSTALL_HINT}`) };
    return cached;
  }
  try {
    cached = { addon: createRequire(import.meta.url)(file) as DistAddon, error: null };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    cached = { addon: null, error: new Error(`torch.distributed is not available: cannot load ${file} (${msg}). ${INSTALL_HINT}`) };
  }
  return cached;
}
