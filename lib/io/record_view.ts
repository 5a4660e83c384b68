// A plain-object view of a KeyTable: what loadFile returns as its name -> tensor and metadata maps.
// NOTE: a hostile header's millions of keys would cost ~60-95 bytes each as properties of a plain
// object (see key_table.ts); this Proxy answers reads from the table instead, making a value when a
// key is read, and turns into the plain object it stands for (every entry copied into its target,
// every trap dropped) on the first write of any kind, so reads never differ from a plain object's
// and writes behave exactly as on one. What stays different: util.types.isProxy is true, and
// structuredClone (postMessage) refuses it: spread it into a plain object first.
import { inspect } from "node:util";
import type { KeyTable } from "./key_table.js";

/** Sets key `k` as an own, enumerable data property (for "__proto__" too, as JSON.parse does). */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === "__proto__") Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

/** An object whose own properties are `keys`, key i's value being valueAt(i). */
export function recordView<T>(keys: KeyTable, valueAt: (i: number) => T): Record<string, T> {
  const target: Record<string | symbol, unknown> = {};
  const copyInto = (o: Record<string, unknown>) => {
    for (const k of keys.orderedKeys()) setOwn(o, k, valueAt(keys.find(k)));
    return o;
  };
  // NOTE: util.inspect (console.log) reads a Proxy's target, not its traps, and calls the target's
  // custom inspector with the Proxy as `this`: the target carries one that prints a plain copy. The
  // traps hide it (a plain object has no such key).
  Object.defineProperty(target, inspect.custom, {
    value: (depth: number, options: object) => inspect(copyInto({}), { ...options, depth }),
    configurable: true,
  });
  const handler: ProxyHandler<Record<string | symbol, unknown>> = {};
  const materialize = () => {
    delete target[inspect.custom];
    copyInto(target as Record<string, unknown>);
    for (const trap of Object.keys(handler) as (keyof typeof handler)[]) delete handler[trap];
  };
  Object.assign(handler, {
    get(t, k, receiver) {
      if (typeof k === "string") {
        const i = keys.find(k);
        if (i >= 0) return valueAt(i);
      } else if (k === inspect.custom) return Reflect.get(Object.getPrototypeOf(t) as object, k, receiver);
      return Reflect.get(t, k, receiver);
    },
    has(t, k) {
      if (typeof k === "string") return keys.find(k) >= 0 || Reflect.has(t, k);
      return k !== inspect.custom && Reflect.has(t, k);
    },
    ownKeys() {
      return keys.orderedKeys();
    },
    getOwnPropertyDescriptor(t, k) {
      if (typeof k !== "string") return undefined;
      const i = keys.find(k);
      return i < 0 ? undefined : { value: valueAt(i), writable: true, enumerable: true, configurable: true };
    },
    // Every write: become the plain object, then do it there.
    set(t, k, v, receiver) {
      materialize();
      return Reflect.set(t, k, v, receiver);
    },
    defineProperty(t, k, d) {
      materialize();
      return Reflect.defineProperty(t, k, d);
    },
    deleteProperty(t, k) {
      materialize();
      return Reflect.deleteProperty(t, k);
    },
    preventExtensions(t) {
      materialize();
      return Reflect.preventExtensions(t);
    },
    setPrototypeOf(t, p) {
      materialize();
      return Reflect.setPrototypeOf(t, p);
    },
  } satisfies ProxyHandler<Record<string | symbol, unknown>>);
  return new Proxy(target, handler) as Record<string, T>;
}
