/**
 * A `.ts` require hook for evaluation children that keeps each file's transpiled JavaScript on disk.
 *
 * Why: every stack evaluation is a fresh process (the Pulumi runtime is global state), and with ts-node each
 * one loaded the TypeScript compiler and transpiled the whole program again: about half of a child's CPU
 * time. The cache key is the file's content, the TypeScript version and tsconfig.json, so an entry can
 * never be stale; TypeScript is loaded only on a miss. Output is what ts-node's transpile-only mode gives
 * (`ts.transpileModule` with the project's compiler options), without type checking: `tsc` does that.
 *
 * This module imports node builtins only: the parent process turns it into the JavaScript file a child
 * preloads (see {@link preloadScript}), before any TypeScript can be required there.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

interface TypeScriptSubset {
  readonly sys: { readFile(file: string): string | undefined };
  readConfigFile(file: string, read: (file: string) => string | undefined): { config?: unknown };
  parseJsonConfigFileContent(json: unknown, host: unknown, basePath: string): { options: object };
  transpileModule(source: string, options: { fileName: string; compilerOptions: object }): { outputText: string };
}

// Node's CommonJS internals: `require.extensions` (deprecated, still how ts-node hooks in) and
// `Module#_compile`, which runs source text as the module's body.
interface CompilableModule {
  _compile(code: string, filename: string): void;
}

class TranspileCache {
  readonly directory: string;
  private readonly salt: string;
  private compiler: { ts: TypeScriptSubset; options: object } | undefined;

  constructor(private readonly root: string) {
    const tsPackage = require.resolve("typescript/package.json", { paths: [root] });
    this.salt = fs.readFileSync(tsPackage, "utf8") + fs.readFileSync(path.join(root, "tsconfig.json"), "utf8");
    this.directory = writableDirectory(root);
  }

  /** The JavaScript for a TypeScript source, from the cache or transpiled now and stored. */
  transpile(source: string, fileName: string): string {
    const key = crypto.createHash("sha256").update(this.salt).update(source).digest("hex");
    const file = path.join(this.directory, `${key}.js`);
    try {
      return fs.readFileSync(file, "utf8");
    } catch {
      const { ts, options } = this.load();
      const code = ts.transpileModule(source, { fileName, compilerOptions: options }).outputText;
      // Children run concurrently: write aside, then rename, so no reader sees half a file.
      const temporary = `${file}.${process.pid}`;
      fs.writeFileSync(temporary, code);
      fs.renameSync(temporary, file);
      return code;
    }
  }

  private load(): { ts: TypeScriptSubset; options: object } {
    if (this.compiler === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only on a cache miss
      const ts = require(require.resolve("typescript", { paths: [this.root] })) as TypeScriptSubset;
      const json = ts.readConfigFile(path.join(this.root, "tsconfig.json"), (f) => ts.sys.readFile(f)).config;
      const parsed = ts.parseJsonConfigFileContent(json, ts.sys, this.root).options;
      // tsconfig says noEmit (tsc only checks); here we want the emit, and no source maps (stack traces
      // in evaluations are V8's own, see offline/mocks.ts).
      this.compiler = { ts, options: { ...parsed, noEmit: false, sourceMap: false, inlineSourceMap: false } };
    }
    return this.compiler;
  }
}

function writableDirectory(root: string): string {
  for (const candidate of [
    path.join(root, "node_modules", ".cache", "helium-offline"),
    path.join(os.tmpdir(), `helium-offline-${os.userInfo().uid}`),
  ]) {
    try {
      fs.mkdirSync(candidate, { recursive: true });
      fs.accessSync(candidate, fs.constants.W_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  throw new Error("no writable directory for the offline runtime's transpile cache");
}

/** Serves every `.ts` file required from now on from the cache. */
export function registerTranspileCache(root: string): void {
  const cache = new TranspileCache(root);
  require.extensions[".ts"] = (module, filename) => {
    const code = cache.transpile(fs.readFileSync(filename, "utf8"), filename);
    (module as unknown as CompilableModule)._compile(code, filename);
  };
}

/**
 * The path of a JavaScript file that, preloaded with `node -r`, registers the hook for `root`: this
 * module's own transpiled text plus the call. Written once per content; the parent calls this.
 */
export function preloadScript(root: string): string {
  const cache = new TranspileCache(root);
  const self = path.join(__dirname, "transpile-cache.ts");
  const code = `${cache.transpile(fs.readFileSync(self, "utf8"), self)}\nexports.registerTranspileCache(${JSON.stringify(root)});\n`;
  const file = path.join(cache.directory, `preload-${crypto.createHash("sha256").update(code).digest("hex")}.js`);
  if (!fs.existsSync(file)) {
    fs.writeFileSync(`${file}.${process.pid}`, code);
    fs.renameSync(`${file}.${process.pid}`, file);
  }
  return file;
}
