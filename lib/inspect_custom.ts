// Node's `util.inspect.custom` symbol without importing node:util: the published .d.ts files name
// it in `[inspect.custom](): string`, and an import of node:util there would make every user's
// typecheck need @types/node (and, with TypeScript 7, `"types": ["node"]` too).
// NOTE: Node defines util.inspect.custom as Symbol.for("nodejs.util.inspect.custom") (documented),
// so this is the very same symbol and console.log / util.inspect still use these methods.
export const custom: unique symbol = Symbol.for("nodejs.util.inspect.custom");
export const inspect = { custom } as const;
