#!/usr/bin/env node
// Checks a built torchlet.node before it becomes a prebuild (Linux/ELF, binutils' objdump and nm):
// (1) which glibc symbol versions it imports, and that it imports nothing unversioned but Node-API
// (which would bind to whatever the running glibc has, or fail); (2) on x64, that no AVX/AVX-512
// instruction can run before the CPU dispatch: the baseline objects contain none, and no function
// the linker kept from an *_avx2/*_avx512 object is also defined by a baseline object (an inline
// or template function instantiated in both: the linker keeps one copy for every caller).
// (3) with an old glibc's libraries at hand, that the file really dlopen()s under that glibc's own
// dynamic loader (Node-API stubbed: only symbol resolution and static constructors run).
// Usage: node scripts/prebuild_check.mjs <torchlet.node> [<dir of the build's .o files>]
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const run = (cmd, args) => execFileSync(cmd, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });

/** Compares "2.17" and "2.2.5" numerically. */
export function compareVersions(a, b) {
  const x = a.split(".").map(Number), y = b.split(".").map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The dynamic imports of an ELF file: { name, version ("GLIBC_2.17" | null), weak }[], from
 * `objdump -T` lines such as "0..0  w   DF *UND*  0..0 (GLIBC_2.34) pthread_join".
 */
export function dynamicImports(file, objdump = "objdump") {
  const out = [];
  for (const line of run(objdump, ["-T", file]).split("\n")) {
    if (!line.includes("*UND*")) continue;
    const flags = line.slice(0, line.indexOf("*UND*"));
    const version = /\(([^)]+)\)/.exec(line)?.[1] ?? null;
    const name = line.trim().split(/\s+/).pop();
    out.push({ name, version, weak: /\sw\s/.test(flags) });
  }
  return out;
}

/** Highest version per prefix ("GLIBC", "GLIBCXX", "GCC", ...) and the unexpected unversioned imports. */
export function symbolVersionReport(file, objdump = "objdump") {
  const imports = dynamicImports(file, objdump);
  const highest = {};
  for (const { version } of imports) {
    const m = /^([A-Z_]+?)_(\d+(?:\.\d+)*)$/.exec(version ?? "");
    if (!m) continue;
    const [, prefix, v] = m;
    if (highest[prefix] === undefined || compareVersions(v, highest[prefix]) > 0) highest[prefix] = v;
  }
  // NOTE: Node-API functions come from the node binary itself and are never versioned; a weak
  // import may be missing at run time by design. Anything else unversioned is a symbol the link
  // libraries lacked (a newer glibc's), which would fail only on the user's machine.
  const unversioned = imports.filter((s) => s.version === null && !s.weak && !/^(napi_|node_api_)/.test(s.name));
  return { highest, unversioned: unversioned.map((s) => s.name), glibcSymbols: imports.filter((s) => s.version?.startsWith("GLIBC_")) };
}

const ISA_OBJECT = /_(avx2|avx512)\.cc\.o(bj)?$/;
// VEX/EVEX code: a v-mnemonic (every AVX instruction; the only legacy ones are verr/verw), or a
// ymm/zmm/opmask register operand.
const VEX_LINE = /^\s*[0-9a-f]+:\s+(v(?!err|erw)[a-z0-9]+\b|.*%[yz]mm\d|.*%k[0-7]\b)/;

/** name -> whether its disassembly has AVX instructions, per function symbol. */
function vexFunctions(file) {
  const result = new Map();
  let current = null;
  for (const line of run("objdump", ["-d", "--no-show-raw-insn", file]).split("\n")) {
    const head = /^[0-9a-f]+ <(.+)>:$/.exec(line);
    if (head) {
      current = head[1];
      if (!result.has(current)) result.set(current, false);
    } else if (current !== null && VEX_LINE.test(line)) {
      result.set(current, true);
    }
  }
  return result;
}

/** Global/weak function symbols an object defines (nm types T, W, V, u, i). */
function definedGlobals(obj) {
  const names = new Set();
  for (const line of run("nm", ["--defined-only", obj]).split("\n")) {
    const [, type, name] = line.trim().split(/\s+/);
    if (name && /^[TWVui]$/.test(type)) names.add(name);
  }
  return names;
}

/** All *.o under dir (CMake puts them in CMakeFiles/torchlet.dir/native/). */
function objectFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...objectFiles(p));
    else if (/\.o(bj)?$/.test(entry.name)) out.push(p);
  }
  return out;
}

/**
 * The AVX-before-dispatch check. Returns { baseline: [{object, vexFunctions}], isa: [...],
 * problems: string[] } where problems lists every baseline function with AVX code and every
 * shared (inline/template) function whose kept copy has AVX code.
 */
export function isaReport(nodeFile, objDir) {
  const objects = objectFiles(objDir);
  const problems = [];
  const baseline = [], isa = [];
  const definedBy = new Map(); // global symbol -> objects defining it
  for (const obj of objects) {
    const vex = [...vexFunctions(obj)].filter(([, has]) => has).map(([name]) => name);
    (ISA_OBJECT.test(obj) ? isa : baseline).push({ object: obj, vexFunctions: vex.length });
    if (!ISA_OBJECT.test(obj)) for (const f of vex) problems.push(`baseline object ${obj} has AVX code in ${f}`);
    for (const name of definedGlobals(obj)) {
      if (!definedBy.has(name)) definedBy.set(name, []);
      definedBy.get(name).push(obj);
    }
  }
  for (const [name, has] of vexFunctions(nodeFile)) {
    const objs = definedBy.get(name);
    if (!has || objs === undefined) continue;
    if (objs.some((o) => !ISA_OBJECT.test(o))) {
      problems.push(`${name} is defined by baseline code (${objs.filter((o) => !ISA_OBJECT.test(o)).join(", ")}) but the linked copy has AVX code`);
    }
  }
  return { baseline, isa, problems };
}

/**
 * dlopen()s nodeFile in a small C program run by the sysroot's own ld.so and libc, with every
 * Node-API function stubbed (node-api-headers' list). Returns { ok, output }. Builds its helpers
 * in workDir with the host C compiler (or cc, a cross compiler), linked against the sysroot; for a
 * foreign arch, runner (e.g. ["qemu-aarch64"]) runs the sysroot's loader ldso.
 */
export function loadsUnderSysroot(nodeFile, sysroot, workDir, { cc = process.env.CC || "cc", ldso = "ld-linux-x86-64.so.2", runner = [] } = {}) {
  mkdirSync(workDir, { recursive: true });
  const symbols = createRequire(import.meta.url)("node-api-headers/symbols.js");
  const names = new Set();
  for (const v of Object.values(symbols)) for (const k of ["js_native_api_symbols", "node_api_symbols"]) for (const n of v[k] ?? []) names.add(n);
  const stub = join(workDir, "napi_stub.c"), loader = join(workDir, "dlopen_check.c");
  writeFileSync(stub, [...names].map((n) => `void ${n}(void) {}`).join("\n") + "\n");
  writeFileSync(loader, [
    "#include <dlfcn.h>", "#include <stdio.h>", "#include <gnu/libc-version.h>",
    "int main(int argc, char** argv) {",
    "  void* h = dlopen(argv[1], RTLD_NOW);",
    '  if (!h) { printf("glibc %s: dlopen failed: %s\\n", gnu_get_libc_version(), dlerror()); return 1; }',
    '  printf("glibc %s: dlopen ok\\n", gnu_get_libc_version());',
    "  return 0;", "}", ""].join("\n"));
  const link = [`-L${sysroot}/usr/lib`, `-L${sysroot}/lib`, `-Wl,--sysroot=${sysroot}`];
  const stubSo = join(workDir, "libnapi_stub.so"), exe = join(workDir, "dlopen_check");
  run(cc, ["-shared", "-fPIC", "-o", stubSo, stub, ...link]);
  run(cc, ["-o", exe, loader, ...link, "-Wl,--no-as-needed", stubSo, "-ldl"]);
  try {
    // NOTE: qemu-user crashes running glibc 2.17's aarch64 ld.so as the program; with -L it loads
    // the same ld.so as the exe's interpreter instead, which works.
    const output = runner.length
      ? execFileSync(runner[0], [...runner.slice(1), "-L", sysroot, "-E", `LD_LIBRARY_PATH=${sysroot}/lib:${workDir}`, exe, nodeFile], { encoding: "utf8" })
      : execFileSync(join(sysroot, "lib", ldso), ["--library-path", `${sysroot}/lib:${workDir}`, exe, nodeFile], { encoding: "utf8" });
    return { ok: true, output: output.trim() };
  } catch (e) {
    return { ok: false, output: String(e.stdout ?? e.message).trim() };
  }
}

// CLI: print both reports.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [file, objDir, sysroot] = process.argv.slice(2);
  if (!file) {
    console.error("usage: node scripts/prebuild_check.mjs <torchlet.node> [<object dir> [<glibc sysroot>]]");
    process.exit(2);
  }
  const v = symbolVersionReport(file);
  console.log("highest symbol versions:", JSON.stringify(v.highest));
  for (const s of v.glibcSymbols.filter((s) => s.version !== "GLIBC_2.2.5")) console.log(`  ${s.version} ${s.name}`);
  console.log("unexpected unversioned imports:", v.unversioned.length ? v.unversioned.join(" ") : "none");
  let failed = v.unversioned.length > 0;
  if (objDir) {
    const r = isaReport(file, objDir);
    for (const o of r.baseline) console.log(`  baseline ${o.object.split("/").pop()}: ${o.vexFunctions} functions with AVX code`);
    for (const o of r.isa) console.log(`  isa      ${o.object.split("/").pop()}: ${o.vexFunctions} functions with AVX code`);
    console.log("AVX before dispatch:", r.problems.length ? r.problems.join("\n  ") : "none");
    failed ||= r.problems.length > 0;
  }
  if (sysroot) {
    const l = loadsUnderSysroot(file, sysroot, join(objDir, "dlopen-check"));
    console.log(l.output);
    failed ||= !l.ok;
  }
  process.exit(failed ? 1 : 0);
}
