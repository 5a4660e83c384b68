// The default process group: initProcessGroup / destroyProcessGroup and what PyTorch answers about
// it (getRank, getWorldSize, ...). Rendezvous as PyTorch's init_method: env://, tcp://host:port or
// file:///path. ref: torch/distributed/distributed_c10d.py, torch/distributed/rendezvous.py.
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { loadDistAddon, type NativeGroup, type NativeRendezvous } from "./addon.js";

/** PyTorch's default_pg_timeout: 30 minutes. */
export const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;

export interface InitOptions {
  /** "gloo" (the only backend torchlet has; "nccl" and "mpi" throw as in a PyTorch without them). */
  backend?: string;
  /** "env://" (default), "tcp://host:port" or "file:///path". */
  initMethod?: string;
  /** Default: the RANK environment variable (env://), else required. */
  rank?: number;
  /** Default: the WORLD_SIZE environment variable (env://), else required. */
  worldSize?: number;
  /** Milliseconds a collective (and the rendezvous) may wait for its peers (default 30 minutes). */
  timeout?: number;
}

/** A group of processes (only the default group, "WORLD", exists in torchlet for now). */
export interface ProcessGroup {
  readonly native: NativeGroup;
  readonly rank: number;
  readonly size: number;
  readonly backend: "gloo";
}

let world: ProcessGroup | null = null;
let connecting = false;

const NOT_INITIALIZED = "Default process group has not been initialized, please make sure to call init_process_group.";

/** True where torchlet_dist.node (gloo) can be loaded. */
export function isAvailable(): boolean {
  return loadDistAddon().addon !== null;
}

/** Why isAvailable() is false (null when it is true): what to install. */
export function unavailableReason(): string | null {
  return loadDistAddon().error?.message ?? null;
}

export function isGlooAvailable(): boolean {
  return isAvailable();
}
export function isMpiAvailable(): boolean {
  return false;
}
export function isNcclAvailable(): boolean {
  return false;
}

export function isInitialized(): boolean {
  return world !== null;
}

/** The default group; throws PyTorch's error when none was initialized. */
export function defaultGroup(): ProcessGroup {
  if (world === null) throw new Error(NOT_INITIALIZED);
  return world;
}

export function getRank(): number {
  return defaultGroup().rank;
}
export function getWorldSize(): number {
  return defaultGroup().size;
}
export function getBackend(): string {
  return defaultGroup().backend;
}

function envInt(name: string, given: number | undefined, method: string): number {
  if (given !== undefined && given !== -1) return given;
  const v = process.env[name];
  if (v === undefined || v === "") {
    throw new Error(`Error initializing torch.distributed using ${method} rendezvous: environment variable ${name} expected, but not set`);
  }
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`Error initializing torch.distributed using ${method} rendezvous: environment variable ${name} is not an integer: ${JSON.stringify(v)}`);
  return n;
}

function required(value: number | undefined, what: string, method: string): number {
  if (value === undefined || value === -1) throw new Error(`Error initializing torch.distributed using ${method} rendezvous: ${what} parameter missing`);
  return value;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/i;

/** The address peers reach this rank at: TORCHLET_DIST_HOST, else loopback for a loopback master. */
function ownHost(masterHost: string | null): string {
  const set = process.env.TORCHLET_DIST_HOST;
  if (set) return set;
  return masterHost === null || LOOPBACK.test(masterHost) ? "127.0.0.1" : hostname();
}

function parseHostPort(spec: string, method: string): { host: string; port: number } {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(spec);
  if (m === null) throw new Error(`Error initializing torch.distributed using ${method} rendezvous: port number missing (got ${JSON.stringify(spec)})`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) throw new RangeError(`Error initializing torch.distributed using ${method} rendezvous: port ${port} is out of range`);
  return { host: m[1], port };
}

/** Resolves initMethod (and the environment for env://) into what the native rendezvous needs. */
function rendezvous(options: InitOptions): { rv: NativeRendezvous; rank: number; size: number } {
  const method = options.initMethod ?? "env://";
  if (method.startsWith("env://")) {
    const addr = process.env.MASTER_ADDR;
    if (!addr) throw new Error("Error initializing torch.distributed using env:// rendezvous: environment variable MASTER_ADDR expected, but not set");
    const rank = envInt("RANK", options.rank, "env://");
    const size = envInt("WORLD_SIZE", options.worldSize, "env://");
    const { port } = parseHostPort(`x:${envInt("MASTER_PORT", undefined, "env://")}`, "env://");
    return { rv: { kind: "tcp", host: addr, port, ifaceHost: ownHost(addr) }, rank, size };
  }
  if (method.startsWith("tcp://")) {
    const { host, port } = parseHostPort(method.slice("tcp://".length), "tcp://");
    const rank = required(options.rank, "rank", "tcp://");
    const size = required(options.worldSize, "world size", "tcp://");
    return { rv: { kind: "tcp", host, port, ifaceHost: ownHost(host) }, rank, size };
  }
  if (method.startsWith("file://")) {
    const path = decodeURIComponent(method.slice("file://".length));
    if (path === "") throw new Error("Error initializing torch.distributed using file:// rendezvous: path missing");
    const rank = required(options.rank, "rank", "file://");
    const size = required(options.worldSize, "world size", "file://");
    // NOTE: gloo's FileStore keeps one file per key in a directory; like PyTorch's file, it must
    // be fresh for every run (stale keys would point at the previous run's peers).
    mkdirSync(path, { recursive: true });
    return { rv: { kind: "file", path, ifaceHost: ownHost(null) }, rank, size };
  }
  throw new Error(`No rendezvous handler for ${method.split("://")[0]}://`);
}

/**
 * torch.distributed.init_process_group: connects this process to its peers. Resolves once every
 * rank has joined (the connection runs off the event loop); rejects after `timeout` ms otherwise.
 */
export async function initProcessGroup(options: InitOptions = {}): Promise<void> {
  if (options === null || typeof options !== "object") throw new TypeError("initProcessGroup(options): options must be an object");
  const backend = (options.backend ?? "gloo").toLowerCase();
  if (backend === "nccl") throw new Error("Distributed package doesn't have NCCL built in");
  if (backend === "mpi") throw new Error("Distributed package doesn't have MPI built in. torchlet's distributed backend is gloo.");
  if (backend !== "gloo") throw new Error(`Invalid backend: '${options.backend}'`);
  if (world !== null || connecting) throw new Error("trying to initialize the default process group twice!");
  const loaded = loadDistAddon();
  if (loaded.addon === null) throw loaded.error;
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout <= 0) throw new RangeError(`timeout must be a positive number of milliseconds, got ${String(timeout)}`);
  const { rv, rank, size } = rendezvous(options);
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`world_size must be a positive integer, got ${size}`);
  if (!Number.isInteger(rank) || rank < 0 || rank >= size) throw new RangeError(`Invalid rank ${rank}, rank should be in the interval [0, ${size - 1}]`);
  connecting = true;
  try {
    const native = await loaded.addon.connect(rank, size, rv, Math.round(timeout));
    world = { native, rank, size, backend: "gloo" };
  } finally {
    connecting = false;
  }
}

/** torch.distributed.destroy_process_group: waits for queued collectives, then disconnects. */
export function destroyProcessGroup(): void {
  const g = defaultGroup();
  world = null;
  g.native.destroy();
}
