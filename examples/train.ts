// `npm run train`: trains the lecture's FashionMNIST MLP and writes weights, metrics and a plot.
// This file is only the entry point: flags are in lib/args.ts (see --help), the run in lib/run.ts.
// Exit status: 0 done, 1 failed (e.g. data missing), 2 bad command line.
import { UsageError } from "./lib/args.js";
import { main } from "./lib/run.js";

try {
  main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    console.error(`train: ${e.message}\nRun \`npm run train -- --help\` for the options.`);
    process.exit(2);
  }
  console.error(`train: ${e instanceof Error ? e.message : String(e)}`);
  if (process.env.TORCHLET_DEBUG) console.error(e);
  process.exit(1);
}
