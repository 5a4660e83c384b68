// `npm run train`: trains the lecture's FashionMNIST MLP and writes weights, metrics and a plot.
// This file is only the entry point: flags are in lib/args.ts (see --help), the run in lib/run.ts,
// the data-parallel run (--nproc N) in lib/data_parallel.ts, the relaunch under
// --single-threaded-gc where the kernel threads take every core in lib/gc_relaunch.ts.
// Exit status: 0 done, 1 failed (e.g. data missing), 2 bad command line.
import * as torch from "../lib/index.js";
import { UsageError, parseTrainArgs } from "./lib/args.js";
import { dataParallelProblem, isLaunchedRank, joinGroup, launchRanks } from "./lib/data_parallel.js";
import { relaunchWithSingleThreadedGc, wantsSingleThreadedGc } from "./lib/gc_relaunch.js";
import { main, train } from "./lib/run.js";

const argv = process.argv.slice(2);
try {
  const options = parseTrainArgs(argv);
  if (options.help) {
    main(argv);
  } else if (isLaunchedRank()) {
    // A rank started by the launcher: by --nproc here, or by hand on each machine (see --help).
    const problem = dataParallelProblem(options.batchSize);
    if (problem !== null) throw new Error(problem);
    train(options, {}, await joinGroup());
    torch.distributed.destroyProcessGroup();
  } else if (options.nproc > 1) {
    const problem = dataParallelProblem(options.batchSize, options.nproc);
    if (problem !== null) throw new Error(problem);
    process.exitCode = await launchRanks(options.nproc, argv);
  } else if (wantsSingleThreadedGc(options)) {
    process.exitCode = await relaunchWithSingleThreadedGc();
  } else {
    main(argv);
  }
} catch (e) {
  if (e instanceof UsageError) {
    console.error(`train: ${e.message}\nRun \`npm run train -- --help\` for the options.`);
    process.exit(2);
  }
  console.error(`train: ${e instanceof Error ? e.message : String(e)}`);
  if (process.env.TORCHLET_DEBUG) console.error(e);
  process.exit(1);
}
