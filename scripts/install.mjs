#!/usr/bin/env node
// npm "install" script of the published package: does nothing when a prebuilt binary (prebuilds/)
// or an earlier source build (build/Release) loads here; otherwise builds the addon from native/
// with cmake-js, and when cmake or a C++ compiler is missing says so plainly and leaves torchlet on
// its pure-JS backend. Never fails the install unless a source build was asked for
// (--build-from-source / TORCHLET_BUILD_FROM_SOURCE=1), since torchlet works without the addon.
// NOTE: the source build's npm packages (cmake-js, node-addon-api: ~40 packages with cmake-js's
// tree) are optional peerDependencies, not dependencies: a prebuilt install needs none of them, so
// they are looked up only here, at fallback time, from the user's project, with the command that
// adds them when they are missing (sharp does the same with node-addon-api and node-gyp).
// NOTE: `npm install --ignore-scripts` skips this; lib/backend/addon.ts then finds the prebuild itself.
// ref: node-gyp-build's bin.js (the same check-then-build flow, for node-gyp).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const forced = process.env.npm_config_build_from_source === "true" || process.env.TORCHLET_BUILD_FROM_SOURCE === "1";
const log = (msg) => console.error(`torchlet: ${msg}`);

/** The binary node-gyp-build would pick, if it loads here: { file } or { problem }. */
function existingBinary() {
  let file;
  try {
    file = require("node-gyp-build").resolve(root);
  } catch (e) {
    return { problem: String(e instanceof Error ? e.message : e).split("\n")[0] };
  }
  try {
    const info = require(file).info();
    return { file, isa: info.isa };
  } catch (e) {
    return { problem: `${relative(root, file)} does not load: ${e instanceof Error ? e.message : e}` };
  }
}

/** First of names found in a PATH directory (with Windows' extensions), or null. */
function onPath(names) {
  const exts = process.platform === "win32" ? (process.env.PATHEXT || ".EXE;.CMD").split(";") : [""];
  for (const dir of (process.env.PATH || "").split(delimiter)) {
    for (const name of names) for (const ext of exts) if (dir && existsSync(join(dir, name + ext))) return join(dir, name + ext);
  }
  return null;
}

/** What the source build lacks: [] when cmake and a C++ compiler are there. */
function missingTools() {
  const missing = [];
  if (!process.env.CMAKE_JS_CMAKE_PATH && !onPath(["cmake"])) missing.push("`cmake` (3.15 or newer) is not on PATH");
  // NOTE: on Windows CMake finds Visual Studio's compiler itself, so there's nothing to look for.
  if (process.platform !== "win32" && !process.env.CXX && !onPath(["c++", "g++", "clang++"])) {
    missing.push("no C++ compiler (c++, g++ or clang++) is on PATH and CXX is not set");
  }
  return missing;
}

/** The source build's npm packages (package.json peerDependencies, all optional) with their ranges. */
function buildPackages() {
  return Object.entries(require("./package.json").peerDependencies ?? {});
}

/** Those of buildPackages() that don't resolve from torchlet's folder (i.e. the user's project). */
function missingPackages() {
  return buildPackages().filter(([name]) => {
    try {
      require.resolve(`${name}/package.json`);
      return false;
    } catch {
      return true;
    }
  });
}

function howTo() {
  const specs = buildPackages().map(([name, range]) => `${name}@${range}`).join(" ");
  return [
    "To build the native addon from source you need cmake >= 3.15, a C++17 compiler and the npm packages",
    `${buildPackages().map(([name]) => name).join(" and ")} (torchlet doesn't install them: its prebuilt binaries don't need them):`,
    "  Debian/Ubuntu: apt-get install cmake g++    Alpine: apk add cmake g++ make",
    "  Fedora/RHEL: dnf install cmake gcc-c++      macOS: xcode-select --install; brew install cmake",
    "  Windows: Visual Studio Build Tools (C++ workload) and cmake",
    `  then, in your project: npm install --save-dev ${specs}`,
    "  and: TORCHLET_BUILD_FROM_SOURCE=1 npm rebuild torchlet",
    "Until then torchlet runs on its pure-JS backend: same results, much slower.",
  ].join("\n");
}

function giveUp(why) {
  log(`${why}\n${howTo()}`);
  process.exit(forced ? 1 : 0);
}

function main() {
  const target = `${process.platform}-${process.arch}, Node ${process.versions.node}`;
  if (!forced) {
    const found = existingBinary();
    if (found.file) {
      log(`using ${relative(root, found.file)} (${target}, kernels: ${found.isa})`);
      return;
    }
    log(`no usable prebuilt binary for ${target}: ${found.problem}`);
  }
  const packages = missingPackages().map(([name, range]) => `the npm package ${name}@${range} is not installed`);
  const missing = [...missingTools(), ...packages];
  if (missing.length) giveUp(`cannot build the native addon from source: ${missing.join("; ")}.`);

  log("building the native addon from source with cmake-js (a minute or two)...");
  const cmakeJs = require.resolve("cmake-js/bin/cmake-js");
  const r = spawnSync(process.execPath, [cmakeJs, "compile", "--out", "build"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) giveUp(`the source build failed (cmake-js exit ${r.status ?? r.signal}); its output is above.`);
  const built = existingBinary();
  if (!built.file) giveUp(`the source build finished but its binary does not load: ${built.problem}`);
  log(`built ${relative(root, built.file)} (kernels: ${built.isa})`);
}

main();
