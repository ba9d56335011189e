/**
 * Mocha root hook: starts, before the first test, the whole-stack evaluations the test files read (every
 * committed stack as committed, in update and first-preview mode, then the config variants the files list
 * with {@link startEvaluations}), in the evaluation processes.
 *
 * Why: mocha runs tests one after another in one process, so an evaluation used to start only when the
 * first test that needed it awaited it, while the other core waited. Started here, they run beside the
 * component and unit tests mocha runs first; each is evaluated once per run either way (offline/evaluate.ts
 * memoizes by stack, overrides and mode), so this changes when work happens, not what is checked.
 */
import { configureEvaluation, evaluateStack, type EvaluateOptions } from "../../offline/evaluate";
import type { EvaluationMode } from "../../offline/types";
import { committedStacks } from "../fixtures/stack-config";

const MODES: readonly EvaluationMode[] = ["update", "preview"];

// Every evaluation in the suite is fresh; the referenced stacks' outputs are also stored in the plan's disk
// cache (offline/evaluation-cache.ts, keyed by the program's files and config), where the plan processes
// the CLI tests start read them instead of evaluating shared and staging again each.
configureEvaluation({ where: "processes", storeReferencedOutputs: true });

/** The config variants the loaded test files read, in load order. */
const variants: Array<readonly [stack: string, options?: EvaluateOptions]> = [];

/**
 * Whether the run loads the whole-stack tests (tests/stacks/, three files or more, after `.only` filtered
 * the tree): a run of one file starts nothing it may not read, since mocha waits for busy evaluation
 * processes before it exits.
 */
function loadsStackTests(root: Mocha.Suite | undefined): boolean {
  const files = new Set((root?.suites ?? []).map((suite) => suite.file ?? ""));
  return [...files].filter((file) => /[/\\]tests[/\\]stacks[/\\]/.test(file)).length >= 3;
}

/** Whether the run selects tests by title (`--grep`, `--fgrep`): then most of what is listed is not read. */
export function selectsByTitle(argv: readonly string[]): boolean {
  return argv.some((arg) => /^(-g|-f|--grep|--fgrep)(=|$)/.test(arg));
}

export const mochaHooks = {
  beforeAll(this: Mocha.Context): void {
    if (!loadsStackTests(this.test?.parent) || selectsByTitle(process.argv)) return;
    const all = [...MODES.flatMap((mode) => committedStacks().map((stack) => [stack, { mode }] as const)), ...variants];
    // The test that reads an evaluation reports its failure; this only starts it.
    for (const [stack, options] of all) evaluateStack(stack, options).catch(() => undefined);
  },
};

/**
 * Lists the config variants a whole-stack test file reads (call it at the top of the file's `describe`), so
 * the root hook above starts them before the first test instead of when the file's turn comes. The tests
 * read them with `evaluateStack` as before: the same (stack, overrides, mode) is the same evaluation, so a
 * variant listed here and not read costs time, never a result. The committed stacks need no listing.
 */
export function startEvaluations(requests: ReadonlyArray<readonly [stack: string, options?: EvaluateOptions]>): void {
  variants.push(...requests);
}
