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
 * A file is whole-stack when it reaches, through its relative imports (type-only imports included), a
 * module that evaluates stacks or starts the CLI: {@link WHOLE_STACK_MODULES}. Read from the source text,
 * as tests/architecture/imports.test.ts reads the program's graph; nothing is imported here.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Modules whose importers evaluate whole stacks or run the CLI (paths relative to the repository root). */
export const WHOLE_STACK_MODULES: readonly string[] = [
  path.join("offline", "evaluate.ts"),
  path.join("tests", "harness", "cli.ts"),
  path.join("tests", "harness", "prefetch.ts"),
];

const RELATIVE_IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.[^"]+)"|\brequire\("(\.[^"]+)"\)|\bimport\("(\.[^"]+)"\)/g;

/** The repository files `file` (relative to `root`) imports by relative path. */
function importsOf(root: string, file: string): string[] {
  const source = fs.readFileSync(path.join(root, file), "utf8");
  const found: string[] = [];
  for (const match of source.matchAll(RELATIVE_IMPORT)) {
    const base = path.join(path.dirname(file), match[1] ?? match[2] ?? match[3]);
    const target = [`${base}.ts`, path.join(base, "index.ts"), base].find(
      (f) => f.endsWith(".ts") && fs.existsSync(path.join(root, f)),
    );
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
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && !entry.name.startsWith(".")) walk(next);
      } else if (entry.name.endsWith(suffix)) found.push(next);
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
  const imports = new Map<string, string[]>();
  const importsOfCached = (file: string) => {
    let found = imports.get(file);
    if (found === undefined) imports.set(file, (found = importsOf(root, file)));
    return found;
  };
  // Depth-first from each file; only the tests' own modules are followed (the program never imports a marker).
  const visit = (file: string, seen: Set<string>): boolean => {
    if (markers.includes(file)) return true;
    if (seen.has(file)) return false;
    seen.add(file);
    return importsOfCached(file).some(
      (next) => markers.includes(next) || (next.startsWith(`tests${path.sep}`) && visit(next, seen)),
    );
  };
  const wholeStack = files.filter((f) => visit(f, new Set()));
  return { wholeStack, inProcess: files.filter((f) => !wholeStack.includes(f)) };
}
