// Builds a hostile safetensors file in a temp dir and loads it, printing time and peak memory.
// Usage: npx tsx scripts/hostile_header.mjs [tensors|tensors-str|metadata|metadata-str|names] [count]
//   tensors:  `count` empty tensors (F32, shape [0]) named "0", "1", ... — the header of most entries per byte
//   tensors-str: the same named "t0", "t1", ... (names that are not array indices cost a string and a
//             hash-table slot each; JS stores index-like keys in a plain array)
//   metadata: `count` short __metadata__ entries ("0": "", ...); metadata-str: keys "k0", "k1", ...
//   names:    one empty tensor with a name of `count` bytes
// Peak RSS (process.resourceUsage().maxRSS) is the whole process: node + the library + the load.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const kind = process.argv[2] ?? "tensors";
const count = Number(process.argv[3] ?? 1_000_000);

function header() {
  const parts = [];
  if (kind === "tensors" || kind === "tensors-str") {
    const p = kind === "tensors" ? "" : "t";
    for (let i = 0; i < count; i++) parts.push(`"${p}${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
  } else if (kind === "metadata" || kind === "metadata-str") {
    const p = kind === "metadata" ? "" : "k";
    const meta = [];
    for (let i = 0; i < count; i++) meta.push(`"${p}${i}":""`);
    parts.push(`"__metadata__":{${meta.join(",")}}`);
  } else if (kind === "names") {
    parts.push(`"${"x".repeat(count)}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
  } else throw new Error(`unknown kind ${kind}`);
  return `{${parts.join(",")}}`;
}

if (kind === "--load") {
  // The child: only the load, so the peak RSS is not the generator's.
  const path = process.argv[3];
  const torch = await import("../lib/index.ts");
  const size = statSync(path).size;
  const heldNow = () => {
    globalThis.gc();
    return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  };
  const held0 = heldNow();
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const loaded = torch.safetensors.loadFile(path);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  // NOTE: the peak is read before counting: listing 3 million index-like keys makes 3 million strings.
  const peak = process.resourceUsage().maxRSS * 1024;
  const held = heldNow() - held0;
  // NOTE: Reflect.ownKeys, not Object.keys: the latter reads each entry (a view would make a Tensor per name).
  const n = Reflect.ownKeys(loaded.tensors).length + Reflect.ownKeys(loaded.metadata ?? {}).length;
  const mb = (b) => (b / 1e6).toFixed(0) + " MB";
  console.log(`file ${mb(size)}, ${n} entries, load ${(ms / 1000).toFixed(2)} s (CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s), ` +
    `RSS before load ${mb(rss0)}, peak RSS ${mb(peak)} (+${mb(peak - rss0)} = ${((peak - rss0) / size).toFixed(1)}x the file), ` +
    `held by the result ${mb(held)} (${(held / size).toFixed(1)}x)`);
} else {
  const dir = mkdtempSync(join(tmpdir(), "torchlet-hostile-"));
  try {
    const path = join(dir, "hostile.safetensors");
    const json = Buffer.from(header(), "utf8");
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    writeFileSync(path, Buffer.concat([len, json]));
    process.stdout.write(`${kind} x${count}: `);
    const r = spawnSync(process.execPath, [...process.execArgv, "--expose-gc", process.argv[1], "--load", path], { stdio: "inherit" });
    process.exitCode = r.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
