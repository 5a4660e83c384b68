#!/usr/bin/env node
// `npm run test:package`: packs the npm tarball (its prepack/prepare scripts build the prebuild and
// the JS), checks what is inside, installs it with --ignore-scripts into a fresh temporary project
// whose PATH has node, npm and sh but no C/C++ compiler, cmake or make, and runs test/package's smoke
// programs there (ESM and CommonJS; main thread plus two workers at once) with the CPU's best ISA
// and with TORCHLET_ISA=scalar. On x64 Linux with qemu-user installed, also under `qemu-x86_64 -cpu
// Westmere` (no AVX: an AVX instruction before the dispatch would kill it with SIGILL; the kernels
// must be scalar) and `-cpu Haswell` (AVX2, no AVX-512: must pick avx2). Not a unit test of the
// library: that is `npm test`.
// Options: --node PATH (repeatable) also runs the smoke programs under that node binary (e.g. 18);
// --keep keeps the temporary directory.
import { execFileSync, spawnSync } from "node:child_process";
import {
  copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync,
} from "node:fs";
import os from "node:os";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const extraNodes = args.flatMap((a, i) => (a === "--node" ? [resolve(args[i + 1])] : []));
const keep = args.includes("--keep");

let passed = 0, failed = 0;
function check(name, ok, detail = "") {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
  return ok;
}

/** npm's own CLI script: the one running us (npm run), else the npm on PATH. */
function npmCli() {
  if (process.env.npm_execpath && /npm-cli\.js$/.test(process.env.npm_execpath)) return process.env.npm_execpath;
  for (const dir of (process.env.PATH || "").split(delimiter)) {
    const p = join(dir, "npm");
    if (existsSync(p)) return realpathSync(p);
  }
  throw new Error("test:package: cannot find npm");
}

/** The environment without npm's per-script variables (they would point the inner npm at this repo). */
function cleanEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_/i.test(k) && !/^npm_config_(cache|registry|userconfig)$/i.test(k)) continue;
    if (/^(TORCHLET_|INIT_CWD$)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

function walk(dir, base = dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, base));
    else out.push({ path: relative(base, p).split("\\").join("/"), size: statSync(p).size });
  }
  return out;
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

function main() {
  const tmp = mkdtempSync(join(os.tmpdir(), "torchlet-package-"));
  console.log(`test:package: working in ${tmp}`);
  try {
    run(tmp);
  } finally {
    if (!keep) rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

function run(tmp) {
  const npm = npmCli();

  // 1. Pack, with the package's own scripts (prepack: the prebuild; prepare: addon and JS).
  const packDir = join(tmp, "pack");
  mkdirSync(packDir);
  const pack = spawnSync(process.execPath, [npm, "pack", "--pack-destination", packDir, "--foreground-scripts"], {
    cwd: root, stdio: ["ignore", "inherit", "inherit"], env: cleanEnv({}),
  });
  const tgzName = readdirSync(packDir).find((f) => f.endsWith(".tgz"));
  if (!check("npm pack", pack.status === 0 && tgzName !== undefined, `exit ${pack.status}`)) return;
  const tgz = join(packDir, tgzName);

  // 2. What is inside.
  const unpacked = join(tmp, "unpacked");
  mkdirSync(unpacked);
  execFileSync("tar", ["-xzf", tgz, "-C", unpacked]);
  const files = walk(join(unpacked, "package"));
  const total = files.reduce((s, f) => s + f.size, 0);
  console.log(`\ntarball ${tgzName}: ${kib(statSync(tgz).size)} packed, ${kib(total)} unpacked, ${files.length} files`);
  const groups = new Map();
  for (const f of files) {
    const g = f.path.split("/").slice(0, f.path.startsWith("dist/") ? 2 : 1).join("/");
    const e = groups.get(g) ?? { n: 0, size: 0 };
    groups.set(g, { n: e.n + 1, size: e.size + f.size });
  }
  for (const [g, e] of [...groups].sort()) console.log(`  ${g.padEnd(24)} ${String(e.n).padStart(4)} files  ${kib(e.size).padStart(11)}`);
  for (const f of files.filter((f) => f.path.startsWith("prebuilds/"))) console.log(`  ${f.path}  ${kib(f.size)}`);

  const libc = process.platform === "linux" ? (existsSync("/etc/alpine-release") ? "musl" : "glibc") : null;
  const prebuild = `prebuilds/${process.platform}-${process.arch}/${libc ? `node.napi.${libc}.node` : "node.napi.node"}`;
  const required = [
    "package.json", "README.md", "LICENSE", "CMakeLists.txt", "scripts/install.mjs", "native/binding.cc",
    "dist/lib/index.js", "dist/lib/index.d.ts", "dist/cjs/lib/index.js", "dist/cjs/lib/index.d.ts", "dist/cjs/package.json", prebuild,
  ];
  const have = new Set(files.map((f) => f.path));
  const missing = required.filter((p) => !have.has(p));
  check("tarball has the JS, types, prebuild, native sources, README and LICENSE", missing.length === 0, missing.length ? `missing ${missing.join(", ")}` : "");
  const unwanted = files.filter((f) =>
    /^(data|test|tests|examples|lib|build|bench-results|runs|node_modules)\//.test(f.path) ||
    (/^scripts\//.test(f.path) && f.path !== "scripts/install.mjs") ||
    /\.map$/.test(f.path) || (/\.ts$/.test(f.path) && !/\.d\.ts$/.test(f.path)));
  check("tarball has nothing else (no data, tests, examples, TS sources, source maps, dev scripts)", unwanted.length === 0,
    unwanted.slice(0, 10).map((f) => f.path).join(", "));

  // 3. A PATH with node and npm only (and sh, which npm runs install scripts with).
  const bin = join(tmp, "bin");
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, "node"));
  symlinkSync(npm, join(bin, "npm"));
  if (existsSync("/bin/sh")) symlinkSync("/bin/sh", join(bin, "sh"));
  const tools = ["cc", "gcc", "c++", "g++", "clang", "clang++", "cmake", "make", "ninja"];
  const found = tools.filter((t) => existsSync(join(bin, t)));
  check("the install PATH has no compiler, cmake or make", found.length === 0, found.join(" "));
  const env = (extra = {}) => cleanEnv({ PATH: bin, ...extra });

  // 4. A fresh project; the tarball installed without running any script.
  const app = join(tmp, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "torchlet-smoke", version: "1.0.0", private: true }, null, 2));
  const inst = spawnSync(process.execPath, [npm, "install", tgz, "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: app, stdio: "inherit", env: env(),
  });
  if (!check("npm install <tarball> --ignore-scripts with no compiler on PATH", inst.status === 0, `exit ${inst.status}`)) return;
  const installed = join(app, "node_modules", "torchlet");
  check("nothing was built at install (no build/ in the installed package)", !existsSync(join(installed, "build")));
  for (const f of ["smoke.mjs", "smoke.cjs", "worker.mjs", "worker.cjs", "train.cjs"]) copyFileSync(join(root, "test", "package", f), join(app, f));

  // 4b. The same with install scripts on (npm's default): scripts/install.mjs must find the
  // prebuild and build nothing.
  const app2 = join(tmp, "app-with-scripts");
  mkdirSync(app2);
  writeFileSync(join(app2, "package.json"), JSON.stringify({ name: "torchlet-smoke-2", version: "1.0.0", private: true }, null, 2));
  const inst2 = spawnSync(process.execPath, [npm, "install", tgz, "--foreground-scripts", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: app2, encoding: "utf8", env: env(),
  });
  process.stdout.write(inst2.stdout + inst2.stderr);
  check("npm install <tarball> with its install script and no compiler: uses the prebuild",
    inst2.status === 0 && /torchlet: using prebuilds\//.test(inst2.stdout + inst2.stderr) && !existsSync(join(app2, "node_modules", "torchlet", "build")),
    `exit ${inst2.status}`);

  // 5. The smoke programs: best ISA, then the scalar kernels; also under any --node binaries.
  const smoke = (name, cmd, cmdArgs, extraEnv) => {
    for (const program of ["smoke.mjs", "smoke.cjs"]) {
      console.log(`\n${name} ${program}`);
      const r = spawnSync(cmd, [...cmdArgs, program], { cwd: app, stdio: "inherit", env: env(extraEnv), timeout: 600_000 });
      check(`${name} ${program}`, r.status === 0, r.status === null ? `killed by ${r.signal}` : `exit ${r.status}`);
    }
  };
  for (const node of [process.execPath, ...extraNodes]) {
    const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
    smoke(`node ${version}`, node, [], {});
    smoke(`node ${version} TORCHLET_ISA=scalar`, node, [], { TORCHLET_ISA: "scalar", TORCHLET_SMOKE_EXPECT_ISA: "scalar" });
  }

  // 6. Emulated older CPUs (user-mode qemu traps instructions the chosen CPU model lacks).
  const qemu = process.platform === "linux" && process.arch === "x64" ? onHostPath("qemu-x86_64") : null;
  if (qemu === null) {
    console.log("\nskip emulated CPUs: qemu-x86_64 not found (apt-get install qemu-user)");
    return;
  }
  smoke("qemu -cpu Westmere (no AVX)", qemu, ["-cpu", "Westmere", process.execPath], { TORCHLET_SMOKE_EXPECT_ISA: "scalar" });
  smoke("qemu -cpu Haswell (AVX2, no AVX-512)", qemu, ["-cpu", "Haswell", process.execPath], { TORCHLET_SMOKE_EXPECT_ISA: "avx2" });
}

/** A program on this process's PATH (not the install's), or null. */
function onHostPath(name) {
  for (const dir of (process.env.PATH || "").split(delimiter)) if (dir && existsSync(join(dir, name))) return join(dir, name);
  return null;
}

main();
