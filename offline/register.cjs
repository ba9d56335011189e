// @ts-check
/**
 * `node -r ./offline/register.cjs <file>.ts`: runs the project's TypeScript without a build step, for the
 * offline plan, mocha and the evaluation children. Plain JavaScript because it must run before any
 * TypeScript can be loaded.
 *
 * Each `.ts` file's JavaScript is kept on disk under a key of its content, esbuild's version and
 * tsconfig.json, so an entry can never be stale and a warm run transpiles nothing. A miss is transpiled by
 * esbuild (about 1 ms a file; `ts.transpileModule` took about 20 ms a file and 0.2 s to load the compiler,
 * paid again in every process under ts-node). Only `.ts` is hooked: packages load exactly as in plain Node.
 * Nothing is type-checked here: `npm run check` does that. No source maps: Pulumi formats a stack trace for
 * every resource and promise, and mapping each one cost about 3× the evaluation (offline/mocks.ts).
 */
"use strict";
/** Where this process's time went before and while loading TypeScript, for the plan's timings (scripts/plan-timings.ts). */
const stats = {
  /** Elapsed and CPU milliseconds from the process's start to this file: Node's own startup. */
  startup: { wallMs: performance.now(), cpuMs: cpuMs(process.cpuUsage()) },
  /** Time in this hook: cache reads and, on a miss, esbuild. */
  transpile: { wallMs: 0, cpuMs: 0 },
  files: 0,
  misses: 0,
};
Object.defineProperty(globalThis, Symbol.for("helium.register"), { value: stats });

/** @param {NodeJS.CpuUsage} usage */
function cpuMs(usage) {
  return (usage.user + usage.system) / 1000;
}

const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");

/**
 * A writable cache directory: `node_modules/.cache/<name>` in the project, else `<tmp>/<name>-<uid>`.
 * Shared by this file's transpile cache and the referenced-outputs cache (offline/evaluation-cache.ts).
 * @param {string} name
 * @param {string} purpose what it caches, for the error when neither is writable
 * @returns {string}
 */
function writableCacheDirectory(name, purpose) {
  for (const candidate of [
    path.join(ROOT, "node_modules", ".cache", name),
    path.join(os.tmpdir(), `${name}-${os.userInfo().uid}`),
  ]) {
    try {
      fs.mkdirSync(candidate, { recursive: true });
      fs.accessSync(candidate, fs.constants.W_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  throw new Error(`no writable directory for ${purpose}`);
}

const directory = writableCacheDirectory("helium-ts", "the TypeScript transpile cache");
const tsconfig = fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8");
/** @type {{ version: string }} */
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- JSON.parse; the JSDoc type above is the check
const esbuildPackage = JSON.parse(fs.readFileSync(require.resolve("esbuild/package.json", { paths: [ROOT] }), "utf8"));
const esbuildVersion = esbuildPackage.version;
/** @type {import("esbuild").TransformOptions} */
const options = {
  loader: "ts",
  format: "cjs",
  // tsconfig.json's target; class fields and `use strict` follow its compilerOptions, as tsc emits them.
  // `import()` stays an ES import, as under tsconfig's `module: node16` and ts-node at `pulumi up` (where it
  // cannot load a .ts file): the program loads lazily with `require`.
  target: "es2022",
  tsconfigRaw: tsconfig,
};
const salt = `${esbuildVersion}\0${JSON.stringify(options)}\0`;

/** @type {typeof import("esbuild") | undefined} */
let esbuild;

/**
 * @param {string} source
 * @param {string} filename
 * @returns {string}
 */
function transpile(source, filename) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  try {
    return cachedOrTranspiled(source, filename);
  } finally {
    stats.files++;
    stats.transpile.wallMs += performance.now() - wall;
    stats.transpile.cpuMs += cpuMs(process.cpuUsage(cpu));
  }
}

/**
 * @param {string} source
 * @param {string} filename
 * @returns {string}
 */
function cachedOrTranspiled(source, filename) {
  const file = cacheFileOf(source);
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    stats.misses++;
    const code = loadEsbuild().transformSync(source, { ...options, sourcefile: filename }).code;
    store(file, code);
    return code;
  }
}

/**
 * @param {string} source
 * @returns {string} the cache file of `source`'s JavaScript
 */
function cacheFileOf(source) {
  return path.join(directory, `${crypto.createHash("sha256").update(salt).update(source).digest("hex")}.js`);
}

/**
 * Loaded only on a miss; a warm process never starts esbuild's service.
 * @returns {typeof import("esbuild")}
 */
function loadEsbuild() {
  esbuild ??= /** @type {typeof import("esbuild")} */ (require(require.resolve("esbuild", { paths: [ROOT] })));
  return esbuild;
}

/**
 * @param {string} file
 * @param {string} code
 */
function store(file, code) {
  // Processes run concurrently: write aside, then rename, so no reader sees half a file.
  const temporary = `${file}.${process.pid}`;
  fs.writeFileSync(temporary, code);
  fs.renameSync(temporary, file);
}

/**
 * Fills the cache for `files` (absolute paths of .ts files) with one esbuild service, the files side by
 * side. `npm test` (scripts/test.ts) calls it before it starts its processes: on a fresh clone they would
 * otherwise each transpile the same few hundred files at the same time, each with its own esbuild.
 * Never rejects: a file it cannot read or transpile is left to the process that loads it (which reports it
 * as it always did); nothing else depends on it.
 * @param {readonly string[]} files
 * @returns {Promise<number>} how many files it transpiled
 */
async function warmTranspileCache(files) {
  const results = await Promise.allSettled(
    files.map(async (filename) => {
      const source = fs.readFileSync(filename, "utf8");
      const file = cacheFileOf(source);
      if (fs.existsSync(file)) return false;
      store(file, (await loadEsbuild().transform(source, { ...options, sourcefile: filename })).code);
      return true;
    }),
  );
  return results.filter((r) => r.status === "fulfilled" && r.value).length;
}

module.exports = { warmTranspileCache, writableCacheDirectory };

// `require.extensions` is deprecated but is still how CommonJS loaders (ts-node included) hook an extension.
/** @type {(module: NodeJS.Module, filename: string) => void} */
const load = (module, filename) => {
  const compilable = /** @type {{ _compile(code: string, filename: string): void }} */ (
    /** @type {unknown} */ (module)
  );
  compilable._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};
require.extensions[".ts"] = load;

// The SDK's function serializer loads on first use (offline/lazy-closure.cjs).
require("./lazy-closure.cjs");
