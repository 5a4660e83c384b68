// FashionMNIST, the IDX parser, transforms and downloads, without the network: small IDX files are
// written here (plain, gzip, truncated, corrupt), a local HTTP server on 127.0.0.1 plays the mirror,
// and the real files the repository ships (data/FashionMNIST/raw) are checked against known values
// (recorded from PyTorch 1.13 / torchvision 0.14 on the same files).
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Tensor } from "../lib/tensor.js";
import { manualSeed } from "../lib/ops/random.js";
import { DataLoader } from "../lib/data/index.js";
import { datasets, transforms, type Image } from "../lib/vision/index.js";
import { parseIdx, sha256 } from "../lib/vision/datasets/idx.js";
import { downloadVerified } from "../lib/vision/datasets/download.js";

const { FashionMNIST } = datasets;
const { ToTensor, Normalize, Compose, Lambda } = transforms;
const values = (t: Tensor) => Array.from(t.contiguous().storage());
const tmp = mkdtempSync(join(tmpdir(), "torchlet-fm-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** IDX bytes: magic 0x0000 08 ndim, big-endian dims, then the payload. */
function idx(dims: number[], payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0x0800 | dims.length, false);
  dims.forEach((d, i) => dv.setUint32(4 + 4 * i, d, false));
  out.set(payload, 4 + 4 * dims.length);
  return out;
}

// 5 images of 3x4 with distinct pixels, and their labels.
const N = 5, H = 3, W = 4;
const pixels = Uint8Array.from({ length: N * H * W }, (_, i) => (i * 37 + 11) % 256);
const labelBytes = Uint8Array.from([3, 0, 9, 9, 1]);
const imagesFile = idx([N, H, W], pixels);
const labelsFile = idx([N], labelBytes);

/** A FashionMNIST whose expected hashes are those of the files a test wrote. */
function tinyClass(opts: { images?: Uint8Array; labels?: Uint8Array; systemDirs?: string[]; mirrors?: string[] } = {}) {
  return class Tiny extends FashionMNIST {
    static override resources = {
      "train-images-idx3-ubyte": sha256(opts.images ?? imagesFile),
      "train-labels-idx1-ubyte": sha256(opts.labels ?? labelsFile),
      "t10k-images-idx3-ubyte": sha256(opts.images ?? imagesFile),
      "t10k-labels-idx1-ubyte": sha256(opts.labels ?? labelsFile),
    };
    static override systemDirs = opts.systemDirs ?? [];
    static override mirrors = opts.mirrors ?? [];
  };
}

let rootCount = 0;
/** A fresh root with the given files in root/FashionMNIST/raw. */
function makeRoot(files: Record<string, Uint8Array>): string {
  const root = join(tmp, `root${rootCount++}`);
  const raw = join(root, "FashionMNIST", "raw");
  mkdirSync(raw, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(raw, name), bytes);
  return root;
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("IDX parser", () => {
  it("reads dimensions and payload", () => {
    const a = parseIdx(imagesFile, 3, "f");
    expect(a.shape).toEqual([N, H, W]);
    expect(Array.from(a.data)).toEqual(Array.from(pixels));
    expect(parseIdx(labelsFile, 1, "l").shape).toEqual([N]);
  });

  const bad: [string, Uint8Array, number, RegExp][] = [
    ["empty", new Uint8Array(0), 3, /too short for an IDX header/],
    ["not IDX", Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), 3, /not an IDX file \(magic number 0x504b0304, expected 0x00000803\)/],
    ["int payload", (() => { const b = imagesFile.slice(); b[2] = 0x0c; return b; })(), 3, /element type 0x0c \(int\) is not supported/],
    ["labels given as images", labelsFile, 3, /has 1 dimensions \(magic 0x00000801\), expected 3 \(magic 0x00000803\)/],
    ["truncated header", imagesFile.subarray(0, 10), 3, /too short for its 16-byte header/],
    ["truncated data", imagesFile.subarray(0, imagesFile.length - 1), 3, /truncated: dimensions \[5, 3, 4\] need 60 bytes of data but only 59/],
    ["trailing bytes", Uint8Array.from([...labelsFile, 7, 7]), 1, /2 unexpected bytes after the 5/],
    ["absurd dimensions", idx([0xffffffff, 0xffffffff, 0xffffffff], new Uint8Array(4)), 3, /truncated/],
  ];
  it.each(bad)("refuses %s, naming the file", (_, bytes, nd, msg) => {
    const e = errorOf(() => parseIdx(bytes, nd, "/x/train-images-idx3-ubyte"));
    expect(e.message).toMatch(msg);
    expect(e.message).toMatch(/^\/x\/train-images-idx3-ubyte: /);
  });
});

describe("FashionMNIST on small files written by the test", () => {
  it("loads decompressed files: data, targets, classes, get(i) -> [Image, label]", () => {
    const root = makeRoot({ "train-images-idx3-ubyte": imagesFile, "train-labels-idx1-ubyte": labelsFile });
    const ds = new (tinyClass())({ root });
    expect(ds.length).toBe(N);
    expect(ds.data.shape).toEqual([N, H, W]);
    expect(ds.targets.dtype).toBe("int64");
    expect(values(ds.targets)).toEqual([3, 0, 9, 9, 1]);
    expect(ds.classes[9]).toBe("Ankle boot");
    expect(ds.classToIdx["T-shirt/top"]).toBe(0);
    const [img, label] = ds.get(2) as [Image, number];
    expect(label).toBe(9);
    expect([img.width, img.height, img.channels]).toEqual([W, H, 1]);
    expect(Array.from(img.data)).toEqual(Array.from(pixels.subarray(2 * H * W, 3 * H * W)));
    img.data[0] = 255 - img.data[0]; // a copy: the dataset is unchanged
    expect((ds.get(2)[0] as Image).data[0]).toBe(pixels[2 * H * W]);
    expect(ds.get(-1)[1]).toBe(1);
    expect(() => ds.get(N)).toThrow(/index 5 is out of bounds for dimension 0 with size 5/);
  });

  it("loads gzip files (re-compressed copies are fine) for the test split", () => {
    const root = makeRoot({ "t10k-images-idx3-ubyte.gz": gzipSync(imagesFile, { level: 1 }), "t10k-labels-idx1-ubyte.gz": gzipSync(labelsFile) });
    const ds = new (tinyClass())({ root, train: false });
    expect(ds.length).toBe(N);
    expect(ds.train).toBe(false);
  });

  it("applies transform and targetTransform (a one-hot Lambda)", () => {
    const root = makeRoot({ "train-images-idx3-ubyte": imagesFile, "train-labels-idx1-ubyte": labelsFile });
    const oneHot = new Lambda((y: number) => Tensor.fromStorage(Float32Array.from({ length: 10 }, (_, i) => (i === y ? 1 : 0)), [10]));
    const ds = new (tinyClass())({ root, transform: new ToTensor(), targetTransform: oneHot });
    const [x, y] = ds.get(0) as [Tensor, Tensor];
    expect(x.dtype).toBe("float32");
    expect(x.shape).toEqual([1, H, W]);
    expect(values(x)).toEqual(Array.from(pixels.subarray(0, H * W), (v) => Math.fround(v / 255)));
    expect(values(y)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(ds.batch([0])).toBeUndefined(); // a targetTransform means the per-sample path
  });

  it("looks in root first, then the system directories, and warns about a corrupt copy it skips", async () => {
    const sys = makeRoot({ "train-images-idx3-ubyte.gz": gzipSync(imagesFile), "train-labels-idx1-ubyte": labelsFile });
    const sysRaw = join(sys, "FashionMNIST", "raw");
    const Tiny = tinyClass({ systemDirs: [sysRaw] });
    expect(new Tiny({ root: makeRoot({}) }).length).toBe(N);
    const corrupt = makeRoot({ "train-images-idx3-ubyte": imagesFile.subarray(0, 30) });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    try {
      expect(new Tiny({ root: corrupt }).length).toBe(N);
      await new Promise((r) => setTimeout(r, 10)); // warnings are emitted on a later tick
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.join("\n")).toContain(`using ${join(sysRaw, "train-images-idx3-ubyte.gz")}; ignored ${join(corrupt, "FashionMNIST", "raw", "train-images-idx3-ubyte")} (SHA-256`);
  });

  it("fails with one error listing everything tried and how to provide the files", () => {
    const root = makeRoot({ "train-labels-idx1-ubyte": labelsFile });
    const e = errorOf(() => new (tinyClass({ systemDirs: ["/nonexistent/sys"] }))({ root }));
    const raw = join(root, "FashionMNIST", "raw");
    expect(e.message).toContain("Tiny: dataset files not found or not valid.");
    expect(e.message).toContain("train-images-idx3-ubyte: tried");
    expect(e.message).toContain(`${join(raw, "train-images-idx3-ubyte")}: not found`);
    expect(e.message).toContain(`${join(raw, "train-images-idx3-ubyte.gz")}: not found`);
    expect(e.message).toContain("/nonexistent/sys/train-images-idx3-ubyte.gz: not found");
    expect(e.message).toContain("download: not attempted (download is false)");
    expect(e.message).toContain(`copy train-images-idx3-ubyte.gz (gzip or decompressed) into ${raw}/`);
    expect(e.message).toContain("apt-get install dataset-fashion-mnist");
    expect(e.message).toContain("download: true");
    expect(e.message).not.toContain("train-labels-idx1-ubyte: tried"); // that one was found
  });

  it("names a corrupt or truncated file and its problem", () => {
    const truncatedGz = gzipSync(imagesFile).subarray(0, 20);
    const garbageGz = Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const cases: [Record<string, Uint8Array>, RegExp][] = [
      [{ "train-images-idx3-ubyte.gz": truncatedGz }, /train-images-idx3-ubyte\.gz: corrupt or truncated gzip data \(unexpected end of file\)/],
      [{ "train-images-idx3-ubyte.gz": garbageGz }, /train-images-idx3-ubyte\.gz: corrupt or truncated gzip data/],
      [{ "train-images-idx3-ubyte": imagesFile.subarray(0, 40) }, /train-images-idx3-ubyte: SHA-256 of the decompressed content is [0-9a-f]{64}, expected [0-9a-f]{64} \(corrupt, truncated or a different file\)/],
    ];
    for (const [files, msg] of cases) {
      const root = makeRoot({ ...files, "train-labels-idx1-ubyte": labelsFile });
      expect(errorOf(() => new (tinyClass())({ root })).message).toMatch(msg);
    }
    // a file whose hash is expected but whose IDX content is broken (parse errors name the file)
    const short = imagesFile.subarray(0, imagesFile.length - 4);
    const root = makeRoot({ "train-images-idx3-ubyte": short, "train-labels-idx1-ubyte": labelsFile });
    const e = errorOf(() => new (tinyClass({ images: short }))({ root }));
    expect(e.message).toMatch(/FashionMNIST\/raw\/train-images-idx3-ubyte: file is truncated: dimensions \[5, 3, 4\] need 60 bytes of data but only 56/);
    // labels outside the classes
    const badLabels = idx([N], Uint8Array.from([1, 2, 10, 3, 4]));
    const root2 = makeRoot({ "train-images-idx3-ubyte": imagesFile, "train-labels-idx1-ubyte": badLabels });
    expect(errorOf(() => new (tinyClass({ labels: badLabels }))({ root: root2 })).message).toMatch(/label 10 at index 2 is not a class index \(0\.\.9\)/);
    // image and label counts that disagree
    const fewer = idx([4], Uint8Array.from([1, 2, 3, 4]));
    const root3 = makeRoot({ "train-images-idx3-ubyte": imagesFile, "train-labels-idx1-ubyte": fewer });
    expect(errorOf(() => new (tinyClass({ labels: fewer }))({ root: root3 })).message).toMatch(/has 5 images but .* has 4 labels/);
  });

  it("checks its options", () => {
    expect(() => new FashionMNIST({ root: "" })).toThrow(/root must be a non-empty string/);
    expect(() => new FashionMNIST({ train: "yes" as never })).toThrow(/train must be a boolean/);
    expect(() => new FashionMNIST({ transform: 3 as never })).toThrow(/transform must be a function or an object with forward/);
  });
});

describe("DataLoader over FashionMNIST: fast path equals per-sample path", () => {
  it.each([
    ["ToTensor", () => new ToTensor()],
    ["Compose(ToTensor, Normalize)", () => new Compose([new ToTensor(), new Normalize([0.2860], [0.3530])])],
  ])("%s", (_, makeTransform) => {
    const root = makeRoot({ "train-images-idx3-ubyte": imagesFile, "train-labels-idx1-ubyte": labelsFile });
    const Tiny = tinyClass();
    const ds = new Tiny({ root, transform: makeTransform() });
    // the same dataset seen through an object without batch(): forces the per-sample path
    const perSample = { length: ds.length, get: (i: number) => ds.get(i) };
    let fastCalls = 0;
    const fast = { length: ds.length, get: (i: number) => ds.get(i), batch: (ix: readonly number[]) => (fastCalls++, ds.batch(ix)) };
    const run = (d: typeof perSample) => {
      manualSeed(1);
      return [...new DataLoader(d, { batchSize: 2, shuffle: true })].map(([x, y]: Tensor[]) => [x.shape, values(x), y.dtype, values(y)]);
    };
    const a = run(perSample);
    const b = run(fast);
    expect(fastCalls).toBe(3);
    expect(b).toEqual(a);
    expect(a[0][0]).toEqual([2, 1, H, W]);
    expect(a[0][2]).toBe("int64");
  });

  it("a user Lambda transform still works (per-sample path)", () => {
    const root = makeRoot({ "train-images-idx3-ubyte": imagesFile, "train-labels-idx1-ubyte": labelsFile });
    const ds = new (tinyClass())({ root, transform: new Compose([new ToTensor(), new Lambda((x: Tensor) => x.mul(2))]) });
    expect(ds.batch([0, 1])).toBeUndefined();
    const [[x, y]] = [...new DataLoader(ds, { batchSize: 5 })];
    expect(x.shape).toEqual([5, 1, H, W]);
    expect(values(x)[1]).toBeCloseTo((2 * pixels[1]) / 255, 6);
    expect(values(y)).toEqual([3, 0, 9, 9, 1]);
  });
});

describe("transforms", () => {
  it("ToTensor turns H x W x C bytes into [C, H, W] float32 / 255", () => {
    const img: Image = { width: 2, height: 1, channels: 3, data: Uint8Array.from([0, 51, 255, 10, 20, 30]) };
    const t = new ToTensor().forward(img);
    expect(t.shape).toEqual([3, 1, 2]);
    expect(values(t)).toEqual([0, 10, 51, 20, 255, 30].map((v) => Math.fround(v / 255)));
    expect(() => new ToTensor().forward({ width: 2, height: 2, channels: 1, data: new Uint8Array(3) })).toThrow(/ToTensor: pic should be an Image/);
    expect(() => new ToTensor().forward(t as never)).toThrow(/got Tensor\(float32, \[3, 1, 2\]\)/);
  });

  it("Normalize computes (x - mean[c]) / std[c] per channel in float32", () => {
    const x = Tensor.fromStorage(Float32Array.from([1, 2, 3, 4]), [2, 1, 2]);
    const y = new Normalize([1, 2], [2, 0.5]).forward(x);
    expect(values(y)).toEqual([0, 0.5, 2, 4]);
    const batch = Tensor.fromStorage(Float32Array.from([1, 2, 3, 4, 1, 2, 3, 4]), [2, 2, 1, 2]);
    expect(values(new Normalize([1, 2], [2, 0.5]).forward(batch))).toEqual([0, 0.5, 2, 4, 0, 0.5, 2, 4]);
    expect(() => new Normalize([0.5], [0])).toThrow(/std evaluated to zero/);
    expect(() => new Normalize([], [1])).toThrow(/mean must be/);
    expect(() => new Normalize([1, 2, 3], [1]).forward(x)).toThrow(/mean has 3 values but the tensor has 2 channels/);
    expect(() => new Normalize(0, 1).forward(Tensor.fromStorage(new Float32Array(4), [4]))).toThrow(/size \(\.\.\., C, H, W\)/);
    expect(() => new Normalize(0, 1).forward(Tensor.fromStorage(new Float64Array(4), [1, 2, 2]))).toThrow(/should be a float tensor. Got int64/);
  });

  it("Compose chains, Lambda wraps a function, plain functions work too", () => {
    const c = new Compose([(x: number) => x + 1, new Lambda((x: number) => x * 10)]);
    expect(c.forward(2)).toBe(30);
    expect(() => new Compose([3 as never])).toThrow(/transforms\[0\] must be a function/);
    expect(() => new Lambda(3 as never)).toThrow(/should be callable/);
  });
});

describe("downloads (local server, no network)", () => {
  const gz = gzipSync(labelsFile);
  const hash = sha256(labelsFile);
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = req.url ?? "";
      if (url.startsWith("/good/")) {
        res.writeHead(200, { "content-length": gz.length });
        res.end(gz);
      } else if (url.startsWith("/wrong/")) {
        const other = gzipSync(idx([1], Uint8Array.from([5])));
        res.writeHead(200, { "content-length": other.length });
        res.end(other);
      } else if (url.startsWith("/cut/")) {
        res.writeHead(200, { "content-length": gz.length });
        res.write(gz.subarray(0, 10));
        setTimeout(() => res.destroy(), 20);
      } else if (url.startsWith("/stall/")) {
        res.writeHead(200, { "content-length": gz.length });
        res.write(gz.subarray(0, 5)); // then nothing
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  const quiet = { log: () => {}, onProgress: () => {} };

  it("tries the mirrors in order, keeps the first verified copy and leaves no temporary file", async () => {
    const dir = mkdtempSync(join(tmp, "dl-"));
    const mirrors = ["missing", "wrong", "cut", "stall", "good"].map((m) => `${base}/${m}/`);
    const progress: number[] = [];
    // NOTE: the stall timeout is 2 s, not less: under load (CI's ASan run beside other work) the
    // local server's 404 once took over 0.3 s and the first mirror read as stalled.
    const r = await downloadVerified("labels.gz", "labels", hash, dir, { mirrors, timeoutMs: 2000, log: () => {}, onProgress: (p) => progress.push(p.received) });
    expect(r.path).toBe(join(dir, "labels.gz"));
    expect(r.attempts.map((a) => a.source)).toEqual(mirrors.slice(0, 4).map((m) => m + "labels.gz"));
    expect(r.attempts[0].problem).toBe("HTTP 404 Not Found");
    expect(r.attempts[1].problem).toMatch(/SHA-256 of the decompressed content is [0-9a-f]{64}, expected/);
    expect(r.attempts[2].problem).toMatch(/terminated|closed|other side closed|aborted/i);
    expect(r.attempts[3].problem).toBe("timed out (no data for 2 s)");
    expect(progress.at(-1)).toBe(gz.length);
    expect(readdirSync(dir)).toEqual(["labels.gz"]);
    expect(sha256(gunzipSync(readFileSync(join(dir, "labels.gz"))))).toBe(hash);
  });

  it("leaves nothing behind when every mirror fails, including an injected fetch that dies mid-body", async () => {
    const dir = mkdtempSync(join(tmp, "dl-"));
    const dying: typeof fetch = async () => {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(gz.subarray(0, 8));
          c.error(new Error("connection reset"));
        },
      });
      return new Response(body, { status: 200 });
    };
    const r = await downloadVerified("labels.gz", "labels", hash, dir, { mirrors: ["https://example.invalid/"], fetch: dying, ...quiet });
    expect(r.path).toBeNull();
    expect(r.attempts).toEqual([{ source: "https://example.invalid/labels.gz", problem: "connection reset" }]);
    const refused: typeof fetch = async () => {
      throw new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND example.invalid") });
    };
    const r2 = await downloadVerified("labels.gz", "labels", hash, dir, { mirrors: ["https://example.invalid/"], fetch: refused, ...quiet });
    expect(r2.attempts[0].problem).toBe("fetch failed (getaddrinfo ENOTFOUND example.invalid)");
    const tooBig = await downloadVerified("labels.gz", "labels", hash, dir, { mirrors: [`${base}/good/`], maxBytes: 10, ...quiet });
    expect(tooBig.attempts[0].problem).toMatch(/more than the 10-byte limit/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a download process killed mid-transfer removes its temporary file", async () => {
    const dir = mkdtempSync(join(tmp, "dl-kill-"));
    const main = fileURLToPath(new URL("../lib/vision/datasets/download_main.ts", import.meta.url));
    const loader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const req = { files: [{ remote: "labels.gz", local: "labels", sha256: hash }], dir, mirrors: [`${base}/stall/`], timeoutMs: 60_000 };
    const child = spawn(process.execPath, ["--import", loader, main, JSON.stringify(req)], { stdio: "ignore" });
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    for (let i = 0; i < 300 && !readdirSync(dir).some((f) => f.endsWith(".tmp")); i++) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(dir).some((f) => f.endsWith(".tmp"))).toBe(true);
    child.kill("SIGTERM");
    expect(await exited).toBe(130);
    expect(readdirSync(dir)).toEqual([]);
  }, 30_000);

  it("new FashionMNIST({ download: true }) downloads synchronously (child process) into root/FashionMNIST/raw", async () => {
    // NOTE: the constructor blocks this thread, so the mirror runs in a separate process.
    const serveDir = mkdtempSync(join(tmp, "serve-"));
    writeFileSync(join(serveDir, "train-images-idx3-ubyte.gz"), gzipSync(imagesFile));
    writeFileSync(join(serveDir, "train-labels-idx1-ubyte.gz"), gzipSync(labelsFile));
    const child = spawn(process.execPath, ["-e", `
      const http = require("http"), fs = require("fs"), path = require("path");
      const s = http.createServer((q, r) => {
        const f = path.join(${JSON.stringify(serveDir)}, path.basename(q.url));
        if (!fs.existsSync(f)) { r.writeHead(404); return r.end(); }
        const b = fs.readFileSync(f); r.writeHead(200, { "content-length": b.length }); r.end(b);
      });
      s.listen(0, "127.0.0.1", () => console.log(s.address().port));
    `], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const port = await firstLine(child);
      const root = makeRoot({});
      const Tiny = tinyClass({ mirrors: [`http://127.0.0.1:${port}/nothing-here/`, `http://127.0.0.1:${port}/`] });
      const ds = new Tiny({ root, download: true, timeoutMs: 5000 });
      expect(ds.length).toBe(N);
      const raw = join(root, "FashionMNIST", "raw");
      expect(readdirSync(raw).sort()).toEqual(["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"]);
      // the test split isn't served: one error lists the download attempts too
      const e = errorOf(() => new Tiny({ root, train: false, download: true, timeoutMs: 5000 }));
      expect(e.message).toContain(`http://127.0.0.1:${port}/t10k-images-idx3-ubyte.gz: HTTP 404 Not Found`);
      expect(e.message).toContain(`http://127.0.0.1:${port}/t10k-labels-idx1-ubyte.gz: HTTP 404 Not Found`);
      expect(readdirSync(raw).filter((f) => f.startsWith("t10k") || f.endsWith(".tmp"))).toEqual([]);
    } finally {
      child.kill();
    }
  }, 60_000);
});

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      if (buf.includes("\n")) resolve(buf.split("\n")[0].trim());
    });
    child.on("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
}

describe("the real FashionMNIST shipped in data/FashionMNIST/raw", () => {
  const root = "data";
  const present = existsSync(join(root, "FashionMNIST", "raw", "train-images-idx3-ubyte.gz"));
  it.runIf(present)("train and test splits load, verified, with torchvision's values", () => {
    const train = new FashionMNIST({ root, transform: new Compose([new ToTensor(), new Normalize([0.286], [0.353])]) });
    const test = new FashionMNIST({ root, train: false });
    expect(train.length).toBe(60000);
    expect(test.length).toBe(10000);
    expect(values(train.targets).slice(0, 10)).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(values(test.targets).slice(0, 10)).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    const counts = new Array(10).fill(0);
    for (const y of values(train.targets)) counts[y]++;
    expect(counts).toEqual(new Array(10).fill(6000));
    expect(Array.from(train.data.image(0).data.subarray(14 * 28, 15 * 28))).toEqual(
      [0, 0, 1, 4, 6, 7, 2, 0, 0, 0, 0, 0, 237, 226, 217, 223, 222, 219, 222, 221, 216, 223, 229, 215, 218, 255, 77, 0]);
    const [x, y] = train.get(0) as [Tensor, number];
    expect(y).toBe(9);
    expect(x.shape).toEqual([1, 28, 28]);
    // torchvision: Normalize((0.2860,), (0.3530,))(ToTensor()(img))[0, 14, 14]
    expect(values(x)[14 * 28 + 14]).toBe(1.600511074066162);
    // fast path on real data equals the per-sample path
    const idxs = [59999, 0, 31337, 7];
    const [bx, by] = train.batch(idxs)!;
    expect(bx.shape).toEqual([4, 1, 28, 28]);
    expect(values(by)).toEqual(idxs.map((i) => train.get(i)[1]));
    expect(values(bx)).toEqual(idxs.flatMap((i) => values(train.get(i)[0] as Tensor)));
  }, 60_000);
});
