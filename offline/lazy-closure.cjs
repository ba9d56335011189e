// @ts-check
/**
 * Loads the Pulumi SDK's function serializer (runtime/closure: `serializeFunction`, `computeCodePaths`) on
 * first use instead of at `require("@pulumi/pulumi")`.
 *
 * Why: those two modules load the TypeScript compiler, npm's arborist and their dependencies, 0.5 s of the
 * SDK's 0.65 s import, in every process that imports the SDK (mocha, each evaluation process, each plan
 * run; about 20 in one `npm test`). Only a Lambda callback or a dynamic provider serializes a function; this
 * program registers neither, so the modules are usually never needed.
 *
 * How: runtime/index.js reads the functions off the two modules when it loads. It gets, for each listed
 * function, a stand-in that loads the real module and calls the real function, with the same arguments and
 * result. Any other property loads the real module and returns its value, so an SDK that exports more than
 * listed here still gets the real thing. Only requests from the SDK's runtime/index.js are redirected.
 */
"use strict";
const Module = require("node:module");
const path = require("node:path");

/** Request from runtime/index.js → the functions that module exports. */
const LAZY = new Map([
  ["./closure/serializeClosure", ["serializeFunction", "serializeFunctionAsync"]],
  ["./closure/codePaths", ["computeCodePaths"]],
]);
const RUNTIME_INDEX = path.join("@pulumi", "pulumi", "runtime", "index.js");

/**
 * @param {string} request
 * @param {NodeJS.Module} parent
 * @param {readonly string[]} functions
 * @returns {object}
 */
function lazyModule(request, parent, functions) {
  /** @type {Record<string, unknown> | undefined} */
  let real;
  // Node's own loader, past this hook: the real module.
  const load = () =>
    (real ??= /** @type {Record<string, unknown>} */ (originalLoad.call(Module, request, parent, false)));
  /** @type {Record<string, (...args: unknown[]) => unknown>} */
  const standIns = {};
  for (const name of functions) {
    standIns[name] = (...args) => /** @type {(...args: unknown[]) => unknown} */ (load()[name])(...args);
  }
  return new Proxy(standIns, {
    get: (target, key) =>
      typeof key === "string" && key in target ? target[key] : load()[/** @type {string} */ (key)],
  });
}

/** @typedef {(this: unknown, request: string, parent: NodeJS.Module | undefined, isMain: boolean) => unknown} Loader */
// Module._load is Node's internal CommonJS loader (not in @types/node); every require goes through it.
const internals = /** @type {{ _load: Loader }} */ (/** @type {unknown} */ (Module));
const originalLoad = internals._load;
/** @type {Loader} */
const lazyLoad = function (request, parent, isMain) {
  const functions = LAZY.get(request);
  if (functions !== undefined && parent?.filename?.endsWith(RUNTIME_INDEX))
    return lazyModule(request, parent, functions);
  return originalLoad.call(this, request, parent, isMain);
};
internals._load = lazyLoad;
