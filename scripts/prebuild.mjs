#!/usr/bin/env node
// Builds torchlet.node for this host with cmake-js and copies it to prebuilds/<platform>-<arch>/
// under prebuildify's names (`prebuildify --napi --tag-libc --strip`), so node-gyp-build picks it
// at run time: node.napi.glibc.node / node.napi.musl.node on Linux, node.napi.node elsewhere.
// NOTE: this is the cmake-js shim the issue asks for: prebuildify 6 can only drive node-gyp, so we
// do its two jobs (build, then name+strip+copy) ourselves. Run the same script on each host / CI job
// (linux-x64 glibc and Alpine musl, linux-arm64, darwin-arm64/x64, win32-x64) and gather the
// prebuilds/ folders before `npm publish`; `npm pack` (prepack) refreshes this host's one.
// ref: prebuildify README (names, tags), node-gyp-build's parseTags/matchTags (how it picks one).
//
// Usage: node scripts/prebuild.mjs [--libc glibc|musl] [--arch x64|arm64] [--sysroot auto|none|DIR]
//                                  [--max-glibc 2.17] [--jobs N] [--no-strip] [--target T]
// --target linux-arm64-glibc (T is a scripts/toolchains/T.cmake): cross-compiles on a linux-x64 host
// with that toolchain file (see CROSS below for what each needs); the result is checked here but
// can only be run under its emulator (npm run test:package does that).
// Hosts: linux-x64 glibc: any (links against glibc 2.17, see glibc217Sysroot). musl: an Alpine host
// or container (`apk add nodejs npm cmake g++ make binutils && npm ci && npm run build:prebuild`).
// linux-arm64: links against the host's glibc, so use an old distro (e.g. a manylinux2014 image).
// darwin: Xcode command line tools + cmake. win32: Visual Studio Build Tools + cmake.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { compareVersions, isaReport, loadsUnderSysroot, symbolVersionReport } from "./prebuild_check.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const o = { libc: null, arch: os.arch(), platform: os.platform(), target: null, sysroot: "auto", maxGlibc: null, jobs: null, strip: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], next = () => {
      if (i + 1 >= argv.length) throw new Error(`prebuild: ${a} needs a value`);
      return argv[++i];
    };
    if (a === "--libc") o.libc = next();
    else if (a === "--arch") o.arch = next();
    else if (a === "--sysroot") o.sysroot = next();
    else if (a === "--max-glibc") o.maxGlibc = next();
    else if (a === "--jobs") o.jobs = Number(next());
    else if (a === "--no-strip") o.strip = false;
    else if (a === "--target") o.target = next();
    else throw new Error(`prebuild: unknown option ${a}`);
  }
  if (o.target !== null) {
    const m = /^(linux|win32|darwin)-(x64|arm64)(?:-(glibc|musl))?$/.exec(o.target);
    if (!m || !CROSS[o.target]) throw new Error(`prebuild: --target must be one of ${Object.keys(CROSS).join(", ")}, got ${o.target}`);
    [, o.platform, o.arch, o.libc = null] = m;
  }
  if (o.libc !== null && o.libc !== "glibc" && o.libc !== "musl") throw new Error(`prebuild: --libc must be glibc or musl, got ${o.libc}`);
  return o;
}

/** prebuildify's libc rule (and node-gyp-build's): musl on Alpine, glibc on other Linux. */
function hostLibc() {
  return process.env.PREBUILD_LIBC || (existsSync("/etc/alpine-release") ? "musl" : "glibc");
}

/** prebuildify's file name: runtime, "napi", then the libc tag on Linux. */
export function prebuildName(platform, libc) {
  return platform === "linux" ? `node.napi.${libc}.node` : "node.napi.node";
}

/**
 * The glibc 2.17 libraries to link against: from @napi-rs/cross-toolchain-x64-target-x86_64 (a
 * manylinux2014 toolchain published on npm), fetched with `npm pack` (through the npm cache) and
 * unpacked once into build/glibc-2.17. NOTE: not a devDependency: that package is x64-only, and
 * `npm ci` on an arm64 machine would refuse it. Only its libc/libm/libpthread/libdl are used, to
 * link against; compiler, headers and libstdc++ are the host's (its GCC 4.8 lacks C++17/AVX-512).
 */
const SYSROOTS = {
  x64: { pkg: "@napi-rs/cross-toolchain-x64-target-x86_64@1.0.0", triple: "x86_64-unknown-linux-gnu", ldso: "ld-linux-x86-64.so.2" },
  // NOTE: glibc 2.17 is also arm64's first glibc (CentOS 7 / manylinux2014 aarch64).
  arm64: { pkg: "@napi-rs/cross-toolchain-x64-target-aarch64@1.0.3", triple: "aarch64-unknown-linux-gnu", ldso: "ld-linux-aarch64.so.1" },
};

/**
 * Targets cross-compiled on a linux-x64 host: scripts/toolchains/<name>.cmake, its tools' prefix,
 * the apt package that provides them, and the emulator that runs the result's dlopen check.
 */
export const CROSS = {
  "linux-arm64-glibc": { prefix: "aarch64-linux-gnu-", apt: "g++-aarch64-linux-gnu", qemu: "qemu-aarch64" },
  // Run under Wine (wine64) by test:package. A target may say `unverified: "why"`: then test:package
  // neither builds nor ships it (`--target` still builds it, for that work).
  "win32-x64": { prefix: "x86_64-w64-mingw32-", cxx: "x86_64-w64-mingw32-g++-posix", apt: "g++-mingw-w64-x86-64-posix" },
};

/** DLLs every Windows 8.1+ system has; a prebuild importing anything else would not load there. */
const WINDOWS_SYSTEM_DLLS = /^(kernel32|msvcrt|advapi32|user32|ntdll|ws2_32|bcrypt|api-ms-win-crt-[a-z-]+-l1-1-0)\.dll$/i;

function glibc217Sysroot(arch) {
  const { pkg: TOOLCHAIN, triple } = SYSROOTS[arch];
  const dest = join(root, "build", arch === "x64" ? "glibc-2.17" : `glibc-2.17-${arch}`);
  const sysroot = join(dest, triple, "sysroot");
  if (existsSync(join(sysroot, "lib", "libc.so.6"))) return sysroot;
  mkdirSync(dest, { recursive: true });
  console.log(`prebuild: fetching ${TOOLCHAIN} for its glibc 2.17 libraries`);
  const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ["npm"];
  const r = spawnSync(npm[0], [...npm.slice(1), "pack", TOOLCHAIN, "--prefer-offline", "--json", "--pack-destination", dest], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) return null;
  const tgz = join(dest, JSON.parse(r.stdout)[0].filename);
  execFileSync("tar", ["-xzf", tgz, "-C", dest, `package/${triple}.tar.xz`], { stdio: "inherit" });
  // NOTE: the aarch64 archive has no lib64 dirs.
  const dirs = arch === "x64" ? ["lib", "lib64", "usr/lib", "usr/lib64"] : ["lib", "usr/lib"];
  execFileSync("tar", ["-xJf", join(dest, "package", `${triple}.tar.xz`), "-C", dest,
    ...dirs.map((d) => `./${triple}/sysroot/${d}`)], { stdio: "inherit" });
  rmSync(join(dest, "package"), { recursive: true, force: true });
  rmSync(tgz, { force: true });
  return sysroot;
}

/** cmake-js -D options and notes for one target. */
function targetOptions(platform, arch, libc, opts, buildDir, cross) {
  const cd = [], notes = [];
  const link = [];
  if (platform === "linux") {
    // NOTE: static libstdc++ (the user's may be older than ours), hidden so it can't clash with the
    // process's own; libgcc_s stays dynamic: every glibc/musl system has it, and a static unwinder
    // from a new GCC would need glibc 2.35's _dl_find_object.
    link.push("-static-libstdc++", "-Wl,--exclude-libs,ALL");
    if (libc === "glibc" && SYSROOTS[arch] && os.arch() === "x64" && opts.sysroot !== "none") {
      const TOOLCHAIN = SYSROOTS[arch].pkg;
      const sysroot = opts.sysroot === "auto" ? glibc217Sysroot(arch) : resolve(opts.sysroot);
      if (sysroot === null) {
        throw new Error(`prebuild: could not fetch ${TOOLCHAIN}; pass --sysroot DIR (a glibc 2.17 sysroot), or --sysroot none to link against this host's glibc (the binary then needs a glibc as new as this one)`);
      } else {
        const cxx = cross ? `${cross.prefix}g++` : process.env.CXX || "c++";
        const gccLibDir = dirname(execFileSync(cxx, ["-print-file-name=libstdc++.a"], { encoding: "utf8" }).trim());
        const compat = join(buildDir, "prebuild_glibc_compat.o");
        mkdirSync(buildDir, { recursive: true });
        execFileSync(cxx, ["-c", "-O2", "-fPIC", "-fvisibility=hidden", "-o", compat, join(root, "scripts", "prebuild_glibc_compat.cc")], { stdio: "inherit" });
        // The host GCC's libstdc++.a first, then glibc 2.17's libraries; -Wl,--sysroot makes the
        // absolute paths inside 2.17's libc.so linker script point into the sysroot.
        // -pthread: glibc 2.17 keeps the pthread functions in libpthread, not libc.
        link.push(`-L${gccLibDir}`, `-L${sysroot}/usr/lib`, `-L${sysroot}/lib`, `-Wl,--sysroot=${sysroot}`, "-pthread");
        cd.push(`--CDCMAKE_CXX_STANDARD_LIBRARIES=${compat} -ldl`);
        opts.maxGlibc ??= "2.17";
        opts.loadCheckSysroot = sysroot;
        opts.loadCheck = { ldso: SYSROOTS[arch].ldso, ...(cross ? { cc: `${cross.prefix}gcc`, runner: [cross.qemu] } : {}) };
        notes.push(`linking against glibc 2.17 from ${sysroot}`);
      }
    }
  } else if (platform === "darwin") {
    // Node 18's own minimum macOS versions.
    cd.push(`--CDCMAKE_OSX_DEPLOYMENT_TARGET=${arch === "arm64" ? "11.0" : "10.15"}`);
    cd.push(`--CDCMAKE_OSX_ARCHITECTURES=${arch === "arm64" ? "arm64" : "x86_64"}`);
  } else if (platform === "win32" && cross) {
    // mingw-w64: the Node-API import library made from node-api-headers' def file (it names
    // NODE.EXE, which every node.exe is), and the GCC runtime (libstdc++, libgcc, winpthread)
    // linked statically so the .node file needs no DLL beyond Windows' own.
    const def = join(dirname(require.resolve("node-api-headers/package.json")), "def", "node_api.def");
    const nodeLib = join(buildDir, "libnode_api.a");
    mkdirSync(buildDir, { recursive: true });
    execFileSync(`${cross.prefix}dlltool`, ["-d", def, "-l", nodeLib], { stdio: "inherit" });
    cd.push(`--CDCMAKE_CXX_STANDARD_LIBRARIES=${nodeLib}`);
    // NOTE: a DLL is a CMake "runtime" output; cmake-js sets only the library directory off Windows.
    cd.push(`--CDCMAKE_RUNTIME_OUTPUT_DIRECTORY=${join(buildDir, "Release")}`);
    link.push("-static", "-static-libgcc", "-static-libstdc++");
    // NOTE: GCC can't align the Win64 stack to 32/64 bytes (GCC bug 54412), yet spills AVX registers
    // with aligned moves (vmovaps): a crash at random in the AVX2/AVX-512 kernels. The assembler
    // option (binutils >= 2.38) turns every aligned vector move into its unaligned twin.
    // (CMAKE_CXX_FLAGS itself is cmake-js's; CMake's default for Release is "-O3 -DNDEBUG".)
    cd.push("--CDCMAKE_CXX_FLAGS_RELEASE=-O3 -DNDEBUG -Wa,-muse-unaligned-vector-move");
    notes.push(`Node-API import library ${nodeLib.slice(root.length + 1)} from ${def}`);
  } else if (platform === "win32") {
    // Static MSVC runtime: no Visual C++ redistributable needed on the user's machine.
    cd.push("--CDCMAKE_MSVC_RUNTIME_LIBRARY=MultiThreaded");
  }
  if (link.length) cd.push(`--CDCMAKE_SHARED_LINKER_FLAGS=${link.join(" ")}`);
  return { cd, notes };
}

function cmakeJs(args) {
  const bin = require.resolve("cmake-js/bin/cmake-js");
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`prebuild: cmake-js ${args[0]} failed (exit ${r.status ?? r.signal})`);
}

/** Whether a program is on PATH. */
function onPath(name) {
  return (process.env.PATH || "").split(":").some((dir) => dir && existsSync(join(dir, name)));
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const platform = opts.platform;
  const libc = platform === "linux" ? (opts.libc ?? hostLibc()) : null;
  const cross = opts.target !== null && (platform !== os.platform() || opts.arch !== os.arch() || libc !== hostLibc()) ? CROSS[opts.target] : null;
  if (cross) {
    if (os.platform() !== "linux" || os.arch() !== "x64") throw new Error(`prebuild: --target ${opts.target} cross-compiles on a linux-x64 host only`);
    if (!onPath(cross.cxx ?? `${cross.prefix}g++`)) throw new Error(`prebuild: ${cross.cxx ?? `${cross.prefix}g++`} not found (apt-get install ${cross.apt})`);
  } else if (libc !== null && libc !== hostLibc()) {
    throw new Error(`prebuild: this host builds for ${hostLibc()}; build the ${libc} prebuild on a ${libc === "musl" ? "Alpine" : "glibc"} host (or container)`);
  }
  const tuple = `${platform}-${opts.arch}`;
  const buildDir = join(root, "build", "prebuild", libc ? `${tuple}-${libc}` : tuple);
  const { cd, notes } = targetOptions(platform, opts.arch, libc, opts, buildDir, cross);
  if (cross) cd.push(`--CDCMAKE_TOOLCHAIN_FILE=${join(root, "scripts", "toolchains", `${opts.target}.cmake`)}`);
  const tool = (name) => (cross ? `${cross.prefix}${name}` : name);
  for (const n of notes) console.log(`prebuild: ${n}`);

  const common = ["--out", buildDir, "--arch", opts.arch, "--parallel", String(opts.jobs ?? (os.availableParallelism?.() ?? os.cpus().length))];
  // NOTE: configure every time (cmake-js build alone keeps a stale cache's -D options); ninja/make
  // then rebuild only what changed.
  cmakeJs(["configure", ...common, ...cd]);
  cmakeJs(["build", ...common]);
  const built = join(buildDir, "Release", "torchlet.node");

  if (platform === "win32" && cross) {
    const dlls = [...execFileSync(tool("objdump"), ["-p", built], { encoding: "utf8" }).matchAll(/DLL Name: (\S+)/g)].map((m) => m[1]);
    const foreign = dlls.filter((d) => d.toUpperCase() !== "NODE.EXE" && !WINDOWS_SYSTEM_DLLS.test(d));
    if (foreign.length) throw new Error(`prebuild: the DLL imports ${foreign.join(", ")}, which Windows does not have (link the runtime statically)`);
    console.log(`prebuild: imports only ${dlls.join(", ")}`);
  }

  // NOTE: a thread_local with a destructor (registered through __cxa_thread_atexit) crashes the
  // win32 prebuild when a pool worker exits: mingw's emutls frees the object before its destructor
  // runs (native/pool.h). Kernels free per-thread state through the pool instead; refuse it anywhere.
  if (platform !== "darwin") {
    const syms = execFileSync(tool("nm"), [built], { encoding: "utf8", maxBuffer: 256 << 20 });
    if (/\b__cxa_thread_atexit\b/.test(syms)) {
      throw new Error("prebuild: the binary registers a thread_local destructor (__cxa_thread_atexit); keep per-thread state trivially destructible and free it with register_thread_state_release (native/pool.h)");
    }
  }

  if (platform === "linux") {
    const v = symbolVersionReport(built, tool("objdump"));
    console.log(`prebuild: highest imported symbol versions ${JSON.stringify(v.highest)}`);
    // NOTE: musl has no symbol versions, so there every libc import is unversioned by design.
    if (libc === "glibc" && v.unversioned.length) throw new Error(`prebuild: imports unknown to the link libraries (would fail on the user's machine): ${v.unversioned.join(" ")}`);
    if (v.highest.GLIBCXX || v.highest.CXXABI) throw new Error("prebuild: the binary needs the system libstdc++; it must be linked statically");
    if (opts.maxGlibc && v.highest.GLIBC && compareVersions(v.highest.GLIBC, opts.maxGlibc) > 0) {
      throw new Error(`prebuild: needs GLIBC_${v.highest.GLIBC}, more than the allowed ${opts.maxGlibc}`);
    }
    if (opts.loadCheckSysroot) {
      const runner = opts.loadCheck.runner;
      if (runner && !onPath(runner[0])) throw new Error(`prebuild: ${runner[0]} not found (apt-get install qemu-user): the binary must load under glibc 2.17 before it ships`);
      const l = loadsUnderSysroot(built, opts.loadCheckSysroot, join(buildDir, "dlopen-check"), opts.loadCheck);
      if (!l.ok) throw new Error(`prebuild: does not load under the old glibc: ${l.output}`);
      console.log(`prebuild: ${l.output} (its own ld.so and libc, Node-API stubbed)`);
    }
    if (opts.arch === "x64") {
      const r = isaReport(built, buildDir);
      if (r.problems.length) throw new Error(`prebuild: AVX code reachable before the CPU dispatch:\n  ${r.problems.join("\n  ")}`);
      console.log(`prebuild: no AVX code outside the *_avx2/*_avx512 objects (${r.baseline.length} baseline objects checked)`);
    }
  }

  // The binary must load here (same platform and arch), through Node's own loader.
  if (!cross && opts.arch === os.arch()) {
    execFileSync(process.execPath, ["-e", `const a = require(${JSON.stringify(built)}); console.log("prebuild: loads; compiled ISAs " + a.info().compiledIsas.join(","))`], { stdio: "inherit" });
  }

  const destDir = join(root, "prebuilds", tuple);
  const dest = join(destDir, prebuildName(platform, libc));
  mkdirSync(destDir, { recursive: true });
  copyFileSync(built, dest);
  if (opts.strip && (platform === "linux" || platform === "darwin" || cross)) {
    execFileSync(tool("strip"), platform === "darwin" ? ["-Sx", dest] : ["--strip-all", dest], { stdio: "inherit" });
  }
  console.log(`prebuild: wrote ${dest.slice(root.length + 1)} (${(statSync(dest).size / 1024).toFixed(0)} KiB)`);
}

// NOTE: run only as a script; scripts/test_package.mjs imports CROSS.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    main();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
