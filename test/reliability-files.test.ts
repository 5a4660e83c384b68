// Issue 13, files: saving over a file keeps its mode and writes through symlinks, temp files left by
// killed saves are cleaned by the next save to that path (only those of dead processes), and a
// hostile safetensors header costs work bounded by its size (rank capped, duplicate keys found,
// many entries parsed in linear time).
import { spawnSync } from "node:child_process";
import {
  chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { MAX_RANK } from "../lib/io/safetensors_format.js";

const dir = mkdtempSync(join(tmpdir(), "torchlet-reliab-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sd = () => ({ w: torch.arange(6).float().reshape(2, 3), n: torch.tensor([1, 2], { dtype: "int64" }) });
const same = (p: string) => expect(torch.load(p).w.tolist()).toEqual(sd().w.tolist());

/** The pid of a process that has exited (its temp files are stale). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]);
  return Number(r.stdout.toString());
}

/** A header + data buffer as bytes. */
function file(header: string, data = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

describe("reliability: saves", () => {
  it("saving over a file keeps its mode, whatever it is", () => {
    fc.assert(
      fc.property(fc.constantFrom(0o600, 0o640, 0o644, 0o660, 0o400 | 0o200, 0o755), (mode) => {
        const p = join(dir, `mode-${mode.toString(8)}.safetensors`);
        torch.save(sd(), p);
        chmodSync(p, mode);
        torch.save(sd(), p);
        expect(statSync(p).mode & 0o777).toBe(mode);
        same(p);
      }),
      { seed: 13, numRuns: 12 },
    );
  });

  it("a new file gets 0666 less the umask, as writeFileSync gives it", () => {
    const a = join(dir, "new-a.safetensors");
    const b = join(dir, "new-b.bin");
    torch.save(sd(), a);
    writeFileSync(b, "x");
    expect(statSync(a).mode & 0o777).toBe(statSync(b).mode & 0o777);
  });

  it("saving to a symlink writes through it: the link stays, its target gets the data", () => {
    const target = join(dir, "real.safetensors");
    const link = join(dir, "link.safetensors");
    const link2 = join(dir, "link2.safetensors");
    torch.save({ old: torch.zeros(1) }, target);
    chmodSync(target, 0o600);
    symlinkSync("real.safetensors", link); // relative, as users make them
    symlinkSync(link, link2); // a chain
    torch.save(sd(), link2);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(lstatSync(link2).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe("real.safetensors");
    expect(statSync(target).mode & 0o777).toBe(0o600);
    same(target);
    // a dangling link creates its target
    const dangling = join(dir, "dangling.safetensors");
    symlinkSync("made-by-save.safetensors", dangling);
    torch.save(sd(), dangling);
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    same(join(dir, "made-by-save.safetensors"));
    // a loop is an error naming the path, not a hang
    const l1 = join(dir, "loop1"), l2 = join(dir, "loop2");
    symlinkSync("loop2", l1);
    symlinkSync("loop1", l2);
    expect(() => torch.save(sd(), l1)).toThrow(/could not write .*loop1.*too many levels of symbolic links/);
  });

  it("temp files of killed saves are removed by the next save to that path; live ones are kept", () => {
    const p = join(dir, "model.safetensors");
    torch.save(sd(), p);
    const dead = deadPid();
    const stale = [join(dir, `.model.safetensors.${dead}.0123456789ab.tmp`), join(dir, `.model.safetensors.${dead}.ba9876543210.tmp`)];
    for (const s of stale) writeFileSync(s, new Uint8Array(1000));
    const live = join(dir, `.model.safetensors.${process.ppid}.0123456789ab.tmp`); // a live process's save
    const mine = join(dir, `.model.safetensors.${process.pid}.0123456789ab.tmp`); // this process (another thread)
    const other = join(dir, `.other.safetensors.${dead}.0123456789ab.tmp`); // another target's
    const lookalike = join(dir, `.model.safetensors.${dead}.not-ours.tmp`);
    for (const s of [live, mine, other, lookalike]) writeFileSync(s, "x");
    torch.save(sd(), p);
    for (const s of stale) expect(existsSync(s), s).toBe(false);
    for (const s of [live, mine, other, lookalike]) expect(existsSync(s), s).toBe(true);
    same(p);
    // and a save leaves no temp file of its own behind
    const left = readdirSync(dir).filter((n) => n.startsWith(".model.safetensors.") && ![live, mine, lookalike].some((s) => s.endsWith(n)));
    expect(left).toEqual([]);
  });

  it("an int64 tensor always saves: every write path keeps it integral", () => {
    const t = torch.zeros(3, { dtype: "int64" });
    t.set(torch.tensor([0], { dtype: "int64" }), 2.5);
    const p = join(dir, "int.safetensors");
    torch.save({ t }, p);
    expect(torch.load(p).t.tolist()).toEqual([2, 0, 0]);
  });
});

describe("reliability: hostile headers cost what their size allows", () => {
  it("a tensor with more dims than MAX_RANK is refused before anything is built", () => {
    const shape = new Array(MAX_RANK + 1).fill(1);
    const bytes = file(JSON.stringify({ t: { dtype: "F32", shape, data_offsets: [0, 4] } }), new Uint8Array(4));
    expect(() => torch.safetensors.deserialize(bytes)).toThrow(new RegExp(`shape has ${MAX_RANK + 1} dims; at most ${MAX_RANK}`));
    const ok = file(JSON.stringify({ t: { dtype: "F32", shape: shape.slice(1), data_offsets: [0, 4] } }), new Uint8Array(4));
    expect(torch.safetensors.deserialize(ok).tensors.t.ndim).toBe(MAX_RANK);
  });

  it("duplicate names are still found, and many entries parse (linear work per entry)", () => {
    const entries = Array.from({ length: 50_000 }, (_, i) => `"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
    const many = torch.safetensors.deserialize(file(`{${entries.join(",")}}`));
    expect(Object.keys(many.tensors).length).toBe(50_000);
    expect(many.tensors.t49999.shape).toEqual([0]);
    const meta = Array.from({ length: 100_000 }, (_, i) => `"k${i}":"v"`);
    const m = torch.safetensors.deserialize(file(`{"__metadata__":{${meta.join(",")}}}`));
    expect(Object.keys(m.metadata!).length).toBe(100_000);
    const dup = `{${entries.slice(0, 10).join(",")},"t3":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}`;
    expect(() => torch.safetensors.deserialize(file(dup))).toThrow(/tensor name "t3" appears more than once/);
    // "__proto__" as a tensor or metadata name is an own key, not a prototype change
    const proto = torch.safetensors.deserialize(file(`{"__metadata__":{"__proto__":"x"},"__proto__":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}`));
    expect(Object.keys(proto.tensors)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(proto.tensors)).toBe(Object.prototype);
    expect(proto.metadata!["__proto__"]).toBe("x");
  });

  it("an empty tensor with a huge dim from a 60-byte file prints at once", () => {
    const bytes = file(JSON.stringify({ t: { dtype: "F32", shape: [2 ** 28 - 1, 0], data_offsets: [0, 0] } }));
    expect(bytes.length).toBeLessThan(80);
    const t = torch.safetensors.deserialize(bytes).tensors.t;
    expect(String(t)).toBe("tensor([], size=(268435455, 0))");
  });

  it("a header past the 100 MB cap is refused from its length alone", () => {
    const b = new Uint8Array(16);
    new DataView(b.buffer).setBigUint64(0, 100_000_001n, true);
    expect(() => torch.safetensors.deserialize(b)).toThrow(/exceeds the 100000000-byte limit/);
  });
});
