// Callable instances: the base of nn.Module, whose constructor returns a function object that has
// the subclass's prototype, so `model(x)` works like PyTorch's `model(x)` while fields, private
// fields, methods and `instanceof` behave as for any class instance. It does not know about
// hooks or forward: calling an instance runs its [CALL] method (Module's call path).
// ref: ECMAScript's "a base constructor may return an object", as used by callable-instance libraries.

/** The method a call of the instance runs, with the call's arguments. */
export const CALL: unique symbol = Symbol("torchlet.nn.call");

export abstract class CallableInstance {
  constructor() {
    const fn = (...args: unknown[]): unknown => (fn as unknown as CallableInstance)[CALL](args);
    // NOTE: a function's own `length` and `name` are read-only: a subclass assigning `this.name`
    // would throw, and `length` would hide a getter such as Sequential's. Deleting them moves the
    // function's properties to V8's dictionary mode: some tens of ns more per module call (see the
    // README), negligible next to any tensor op.
    delete (fn as { length?: number }).length;
    delete (fn as { name?: string }).name;
    Object.setPrototypeOf(fn, new.target.prototype);
    // Field initializers of subclasses (and of Module) now run on `fn`, the object `this` becomes.
    return fn as unknown as CallableInstance;
  }

  protected abstract [CALL](args: unknown[]): unknown;
}
// NOTE: instances are functions, so they also get call/bind (TypeScript types them as functions);
// Function.prototype's read-only `name` and `length` are shadowed by writable undefined ones, so that
// `this.name = ...` in a subclass assigns as on any object.
Object.setPrototypeOf(CallableInstance.prototype, Function.prototype);
for (const key of ["name", "length"]) {
  Object.defineProperty(CallableInstance.prototype, key, { value: undefined, writable: true, configurable: true, enumerable: false });
}
