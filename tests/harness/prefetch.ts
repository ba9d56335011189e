/**
 * Mocha root hook: starts the whole-stack evaluations most test files read (every committed stack as
 * committed, in update and first-preview mode) before the first test, in the evaluation processes.
 *
 * Why: mocha runs tests one after another in one process, so an evaluation used to start only when the
 * first test that needed it awaited it, while the other core waited. Started here, they run beside the
 * component and unit tests (when the run loads the whole-stack tests); each is evaluated once per run either
 * way (offline/evaluate.ts memoizes by stack, overrides and mode), so this changes when work happens, not
 * what is checked.
 */
import { evaluateStack, type EvaluateOptions } from "../../offline/evaluate";
import type { EvaluationMode } from "../../offline/types";
import { committedStacks } from "../fixtures/stack-config";

const MODES: readonly EvaluationMode[] = ["update", "preview"];

/**
 * Whether the run loads the whole-stack tests (tests/stacks/, three files or more): a run of one file starts
 * nothing it may not read, since mocha waits for busy evaluation processes before it exits.
 */
function loadsStackTests(root: Mocha.Suite | undefined): boolean {
  const files = new Set((root?.suites ?? []).map((suite) => suite.file ?? ""));
  return [...files].filter((file) => /[/\\]tests[/\\]stacks[/\\]/.test(file)).length >= 3;
}

export const mochaHooks = {
  beforeAll(this: Mocha.Context): void {
    if (!loadsStackTests(this.test?.parent)) return;
    for (const mode of MODES)
      for (const stack of committedStacks())
        // The test that reads an evaluation reports its failure; the prefetch only starts it.
        evaluateStack(stack, { mode }).catch(() => undefined);
  },
};

/**
 * Starts the config variants a whole-stack test file reads, when the file loads (call it at the top of the
 * file's `describe`): mocha loads every file before it runs the first test, so these run in the evaluation
 * processes beside the in-process tests mocha runs first, instead of when the file's turn comes while the
 * other core waits. The tests read them with `evaluateStack` as before: the same (stack, overrides, mode)
 * is the same evaluation (offline/evaluate.ts memoizes), so a variant listed here and not read costs time,
 * never a result. The committed stacks themselves are started by the root hook above.
 */
export function startEvaluations(requests: ReadonlyArray<readonly [stack: string, options?: EvaluateOptions]>): void {
  // The test that reads an evaluation reports its failure; this only starts it.
  for (const [stack, options] of requests) evaluateStack(stack, options).catch(() => undefined);
}
