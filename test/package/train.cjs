// The smoke workload of `npm run test:package`, shared by the ESM and CommonJS programs and their
// workers: a few SGD steps of a small MLP on a seeded, learnable labelling, with the kernels in use.
// Plain CommonJS so both module systems can load it; it gets `torch` from its caller, so each
// program tests its own entry point (import or require) of the installed package.
"use strict";

const STEPS = 15;

/** Trains from a fixed seed; returns { label, info, losses } (info = torch.backendInfo()). */
function train(torch, label) {
  const { nn, optim } = torch;
  torch.manualSeed(0);
  const X = torch.randn(64, 8);
  const y = X.index(":", "0:4").argmax(1); // class = the largest of the first 4 features
  const model = new nn.Sequential(new nn.Linear(8, 32), new nn.ReLU(), new nn.Linear(32, 4));
  const lossFn = new nn.CrossEntropyLoss();
  const opt = new optim.SGD(model.parameters(), { lr: 0.2, momentum: 0.9 });
  const losses = [];
  for (let step = 0; step < STEPS; step++) {
    const loss = lossFn.forward(model.forward(X), y);
    losses.push(loss.item());
    opt.zeroGrad();
    loss.backward();
    opt.step();
  }
  return { label, info: torch.backendInfo(), losses };
}

/**
 * Prints one line per run and returns the problems found: a run not on the native backend (or not
 * on the ISA named by TORCHLET_SMOKE_EXPECT_ISA), a loss that is not finite or did not fall, or runs
 * (same seed, same kernels) that disagree.
 */
function report(runs) {
  const problems = [];
  const expectIsa = process.env.TORCHLET_SMOKE_EXPECT_ISA;
  for (const r of runs) {
    const first = r.losses[0], last = r.losses[r.losses.length - 1];
    console.log(`  ${r.label.padEnd(16)} backendInfo ${JSON.stringify(r.info)}  loss ${first.toFixed(4)} -> ${last.toFixed(4)}`);
    if (r.info.name !== "native") problems.push(`${r.label}: backend is ${r.info.name}, not native (the prebuilt addon did not load)`);
    if (expectIsa && r.info.isa !== expectIsa) problems.push(`${r.label}: kernels are ${r.info.isa}, expected ${expectIsa}`);
    if (!r.losses.every(Number.isFinite)) problems.push(`${r.label}: a loss is not finite`);
    if (!(last < 0.8 * first)) problems.push(`${r.label}: the loss did not fall (${first} -> ${last})`);
  }
  for (const r of runs.slice(1)) {
    if (r.info.isa === runs[0].info.isa && r.losses.some((l, i) => l !== runs[0].losses[i])) {
      problems.push(`${r.label}: losses differ from ${runs[0].label} with the same seed and kernels`);
    }
  }
  return problems;
}

module.exports = { train, report };
