// Focused check of a prebuilt addon on a platform this machine only emulates (linux-arm64 under
// qemu, win32-x64 under Wine, musl): `npm run test:package` runs it with that platform's official
// Node from the npm registry. For a set of kernels (GEMM in several shapes and layouts, elementwise,
// reductions, softmax, a conv, autograd) it checks that the native backend loaded with the expected
// ISA, that its results do not change with the thread count (1, 2, 3: bit-identical), that they
// match the pure-JS backend (the oracle) within float32 tolerance, for every ISA the binary has
// (e.g. neon and scalar), that the thread pool restarts cleanly after large GEMMs (also in worker
// threads that then exit), and that a short training run converges to the JS backend's losses.
// Usage: node native_check.mjs [module] (default "torchlet"; a path or file URL works too).
// Env TORCHLET_CHECK_EXPECT_ISA: the ISA the native backend must pick by default.
const spec = process.argv[2] ?? "torchlet";
const torch = await import(/^[./]|^[A-Za-z]:\\/.test(spec) ? new URL(spec, `file://${process.cwd()}/`).href : spec);

const problems = [];
let checked = 0;
const fail = (msg) => problems.push(msg);

/** The cases: name -> () => Tensor (or tensors), run under every backend/ISA/thread setting. */
function cases() {
  const T = (shape, seed) => {
    torch.manualSeed(seed);
    return torch.randn(...shape);
  };
  const out = {};
  // GEMM: tile-sized, odd edges, tall/skinny, transposed (strided) operands, batched, addmm.
  for (const [m, k, n] of [[8, 8, 8], [33, 17, 29], [128, 64, 96], [1, 300, 7], [257, 3, 65]]) {
    out[`mm ${m}x${k}x${n}`] = () => torch.mm(T([m, k], 1), T([k, n], 2));
    out[`mm ${m}x${k}x${n} transposed`] = () => torch.mm(T([k, m], 3).t(), T([n, k], 4).t());
  }
  out["bmm 4x31x19x23"] = () => torch.bmm(T([4, 31, 19], 5), T([4, 19, 23], 6));
  out["addmm beta alpha"] = () => torch.addmm(T([40, 50], 7), T([40, 60], 8), T([60, 50], 9), { beta: 0.5, alpha: 2 });
  out["matmul broadcast"] = () => torch.matmul(T([3, 1, 20, 30], 10), T([2, 30, 11], 11));
  // Elementwise and broadcasting, contiguous and strided.
  const a = () => T([67, 129], 12), b = () => T([129], 13);
  out["add broadcast"] = () => torch.add(a(), b());
  out["mul strided"] = () => torch.mul(a().t(), T([129, 67], 14));
  out["div sub"] = () => torch.div(torch.sub(a(), 0.25), torch.add(a().abs(), 1));
  out["exp tanh sigmoid"] = () => [a().exp(), a().tanh(), a().sigmoid()];
  out["relu sqrt pow"] = () => [torch.relu(a()), a().abs().sqrt(), torch.pow(a().abs(), 1.7)];
  // Reductions and softmax along each dim.
  out["sum mean dims"] = () => [torch.sum(a()), torch.sum(a(), 0), torch.mean(a(), 1), a().t().sum(1)];
  out["amax argmax"] = () => [torch.amax(a(), 1), torch.argmax(a(), 0)];
  out["softmax logSoftmax"] = () => [torch.softmax(a(), 1), torch.logSoftmax(a(), 0), torch.logsumexp(a(), 1)];
  out["conv2d"] = () => torch.nn.functional.conv2d(T([2, 3, 17, 19], 15), T([8, 3, 3, 3], 16), T([8], 17), { padding: 1, stride: 2 });
  // Autograd through the same kernels.
  out["mlp gradients"] = () => {
    const x = T([32, 20], 18), w1 = T([20, 40], 19).requiresGrad_(), w2 = T([40, 5], 20).requiresGrad_();
    torch.softmax(torch.relu(x.matmul(w1)).matmul(w2), 1).pow(2).sum().backward();
    return [w1.grad, w2.grad];
  };
  return out;
}

const flat = (r) => (Array.isArray(r) ? r : [r]).map((t) => Float64Array.from(t.flatten().tolist(), Number));

function runAll(backend, { isa, threads } = {}) {
  torch.setBackend(backend);
  if (backend === "native") {
    if (isa) torch.setIsa(isa);
    if (threads) torch.setNumThreads(threads);
  }
  const results = {};
  for (const [name, f] of Object.entries(cases())) {
    if (process.env.TORCHLET_CHECK_VERBOSE) console.log(`  ${backend} ${isa ?? ""} ${threads ?? ""} ${name}`);
    try {
      results[name] = flat(f());
    } catch (e) {
      fail(`${name} on ${backend}${isa ? ` ${isa}` : ""}: threw ${e instanceof Error ? e.message : e}`);
    }
  }
  return results;
}

function compare(label, got, want, exact) {
  for (const [name, arrays] of Object.entries(want)) {
    const g = got[name];
    if (!g) continue;
    arrays.forEach((w, i) => {
      checked++;
      if (g[i].length !== w.length) return fail(`${label} ${name}[${i}]: ${g[i].length} values, expected ${w.length}`);
      for (let j = 0; j < w.length; j++) {
        const ok = exact ? Object.is(g[i][j], w[j]) : Math.abs(g[i][j] - w[j]) <= 1e-4 * (1 + Math.abs(w[j]));
        if (!ok) return fail(`${label} ${name}[${i}]: element ${j} is ${g[i][j]}, expected ${w[j]}`);
      }
    });
  }
}

const available = torch.availableBackends();
if (!available.includes("native")) {
  console.log(`native_check: FAIL the native backend did not load (available: ${available.join(", ")})`);
  process.exit(1);
}
torch.setBackend("native");
const info = torch.backendInfo();
console.log(`native_check: ${process.platform}-${process.arch} node ${process.version}, backendInfo ${JSON.stringify(info)}`);
const expectIsa = process.env.TORCHLET_CHECK_EXPECT_ISA;
if (expectIsa && info.isa !== expectIsa) fail(`default ISA is ${info.isa}, expected ${expectIsa}`);

const oracle = runAll("js");
// Every ISA this binary has and this CPU runs (setIsa refuses the others).
const isas = [info.isa, ...["avx512", "avx2", "neon", "scalar"].filter((isa) => {
  if (isa === info.isa) return false;
  try {
    torch.setIsa(isa);
    return true;
  } catch {
    return false;
  }
})];
torch.setIsa(info.isa);
for (const isa of isas) {
  const one = runAll("native", { isa, threads: 1 });
  for (const threads of [2, 3]) compare(`${isa} threads ${threads} vs 1 (bit-identical)`, runAll("native", { isa, threads }), one, true);
  compare(`${isa} vs js`, one, oracle, false);
}

// The pool restarted after GEMMs big enough to use every thread's packing buffers (issue #19: the
// workers' per-thread state is freed as they exit; a thread_local destructor crashed there under
// Wine), and Node worker threads that run them and exit (their pool goes with their addon instance).
async function poolRestarts() {
  torch.setBackend("native");
  torch.setIsa(info.isa);
  const big = () => torch.mm(torch.randn(300, 500), torch.randn(500, 700)).add(torch.mm(torch.randn(2, 900), torch.randn(900, 9)).sum());
  const results = [];
  for (const threads of [3, 2, 4, 1, 3]) {
    torch.setNumThreads(threads);
    torch.manualSeed(21);
    results.push(flat(big()));
  }
  compare("GEMM across pool restarts (bit-identical)", Object.fromEntries(results.map((r, i) => [`restart ${i}`, r])),
    Object.fromEntries(results.map((_, i) => [`restart ${i}`, results[0]])), true);
  const { Worker } = await import("node:worker_threads");
  const href = /^[./]|^[A-Za-z]:\\/.test(spec) ? new URL(spec, `file://${process.cwd()}/`).href : spec;
  const code = `import(${JSON.stringify(href)}).then((torch) => {
    torch.setBackend("native");
    let s = 0;
    for (const t of [3, 2]) { torch.setNumThreads(t); torch.manualSeed(22); s += torch.mm(torch.randn(300, 500), torch.randn(500, 700)).sum().item(); }
    require("node:worker_threads").parentPort.postMessage(s);
  });`;
  const sums = [];
  for (let i = 0; i < 3; i++) {
    sums.push(await new Promise((resolve, reject) => {
      const w = new Worker(code, { eval: true });
      let got = null;
      w.once("message", (m) => { got = m; });
      w.once("error", reject);
      w.once("exit", (c) => (c === 0 && got !== null ? resolve(got) : reject(new Error(`worker exited with code ${c}`))));
    }).catch((e) => { fail(`worker thread ${i}: ${e instanceof Error ? e.message : e}`); return NaN; }));
  }
  checked++;
  if (!sums.every((x) => Object.is(x, sums[0]))) fail(`worker threads' GEMM sums differ: ${sums.join(", ")}`);
  console.log(`native_check: pool restarted ${results.length} times after GEMMs, ${sums.length} worker threads ran GEMMs and exited`);
}
await poolRestarts();

// A short training run: an MLP on a learnable labelling, native (best ISA) against js.
function trainLosses(backend) {
  torch.setBackend(backend);
  if (backend === "native") {
    torch.setIsa(info.isa);
    torch.setNumThreads(2);
  }
  torch.manualSeed(0);
  const X = torch.randn(256, 16);
  const y = X.index(":", "0:4").argmax(1);
  const model = new torch.nn.Sequential(new torch.nn.Linear(16, 64), new torch.nn.ReLU(), new torch.nn.Linear(64, 4));
  const opt = new torch.optim.Adam(model.parameters(), { lr: 0.01 });
  const lossFn = new torch.nn.CrossEntropyLoss();
  const losses = [];
  for (let step = 0; step < 40; step++) {
    const loss = lossFn.forward(model.forward(X), y);
    losses.push(loss.item());
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
  return losses;
}
const nat = trainLosses("native"), js = trainLosses("js");
console.log(`native_check: training (40 Adam steps) native loss ${nat[0].toFixed(4)} -> ${nat.at(-1).toFixed(4)}, js ${js[0].toFixed(4)} -> ${js.at(-1).toFixed(4)}`);
if (!(nat.at(-1) < 0.5 * nat[0])) fail(`training: the loss did not fall enough (${nat[0]} -> ${nat.at(-1)})`);
if (!(Math.abs(nat.at(-1) - js.at(-1)) <= 1e-3 * (1 + js.at(-1)))) fail(`training: native final loss ${nat.at(-1)} vs js ${js.at(-1)}`);

for (const p of problems.slice(0, 20)) console.log(`  PROBLEM ${p}`);
console.log(`native_check: ISAs ${isas.join(", ")}; ${checked} comparisons, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
