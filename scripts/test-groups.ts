/**
 * The two mocha processes `npm test` runs side by side (scripts/test.ts): the whole-stack files (those that
 * evaluate stack programs in evaluation processes or run the CLI) and the in-process files (component,
 * unit, policy-fixture and config tests, which keep one core busy on their own).
 *
 * Why two: mocha runs a process's tests one after another. In one process the in-process tests (about 25 s
 * of CPU) and the whole-stack tests (which mostly wait for evaluations) took turns; in two, the whole-stack
 * process waits for its evaluations while the other runs, and each (stack, config, mode) is still
 * evaluated once, since only whole-stack files evaluate stacks.
 *
 * A file is whole-stack when it reaches, through relative imports (type-only and side-effect imports
 * included, in tests and in the program alike), a module that evaluates stacks or starts the CLI:
 * {@link WHOLE_STACK_MODULES}. Read from the source text; nothing is imported here. A file put in the wrong
 * group still passes: it only evaluates in the other process, without the prefetch, and so more slowly.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Modules whose importers evaluate whole stacks or run the CLI (paths relative to the repository root). */
export const WHOLE_STACK_MODULES: readonly string[] = [
  path.join("offline", "evaluate.ts"),
  path.join("tests", "harness", "cli.ts"),
  path.join("tests", "harness", "prefetch.ts"),
];

/** Relative specifiers: `from "./x"`, `import "./x"`, `require("./x")` and `import("./x")`, either quote. */
const RELATIVE_IMPORT = /(?:\bfrom|^\s*import|\brequire\s*\(|\bimport\s*\()\s*(["'])(\.{1,2}\/[^"'\n]*)\1/gm;

/** The repository's .ts files that `file` (relative to `root`), whose text is `source`, imports by relative path. */
export function importsOf(root: string, file: string, source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(RELATIVE_IMPORT)) {
    const base = path.join(path.dirname(file), match[2]);
    const candidates = [`${base}.ts`, path.join(base, "index.ts"), base, base.replace(/\.js$/, ".ts")];
    const target = candidates.find((f) => f.endsWith(".ts") && fs.existsSync(path.join(root, f)));
    if (target !== undefined) found.push(target);
  }
  return found;
}

/** Files under `dir` (relative to `root`) whose names end with `suffix`, sorted; node_modules skipped. */
function filesEndingWith(root: string, dir: string, suffix: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const next = path.join(relative, entry.name);
      // Dot names are editors' lock and backup files and tool folders, never the repository's sources.
      if (entry.name.startsWith(".")) continue;
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(next);
      } else if (entry.isFile() && entry.name.endsWith(suffix)) found.push(next);
    }
  };
  walk(dir);
  return found.sort();
}

/** Every `*.test.ts` under `dir` (relative to `root`), sorted as mocha sorts them. */
export function testFiles(root: string, dir = "tests"): string[] {
  return filesEndingWith(root, dir, ".test.ts");
}

/** Every `.ts` file of the repository (relative to `root`): what the test processes may load. */
export function typeScriptFiles(root: string): string[] {
  return filesEndingWith(root, ".", ".ts").filter((f) => !f.endsWith(".d.ts"));
}

export interface TestGroups {
  /** Files that evaluate whole stacks or run the CLI. */
  readonly wholeStack: readonly string[];
  /** Everything else: tests that run in mocha's own process. */
  readonly inProcess: readonly string[];
}

/** Splits `files` (relative to `root`) by whether they reach one of `markers` through relative imports. */
export function splitTestFiles(
  root: string,
  files: readonly string[],
  markers: readonly string[] = WHOLE_STACK_MODULES,
): TestGroups {
  // Whether a module reaches a marker; every relative import is followed (scripts/plan-run.ts evaluates too).
  const reaches = new Map<string, boolean>();
  const visit = (file: string, inProgress: Set<string>): boolean => {
    const known = reaches.get(file);
    if (known !== undefined) return known;
    if (markers.includes(file)) return true;
    // A cycle back to a module still being read adds nothing that module's other imports do not.
    if (inProgress.has(file)) return false;
    inProgress.add(file);
    const source = fs.readFileSync(path.join(root, file), "utf8");
    const result = importsOf(root, file, source).some((next) => visit(next, inProgress));
    inProgress.delete(file);
    reaches.set(file, result);
    return result;
  };
  const wholeStack = files.filter((f) => visit(f, new Set()));
  return { wholeStack, inProcess: files.filter((f) => !wholeStack.includes(f)) };
}
