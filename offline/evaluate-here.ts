/**
 * Evaluates one stack program under mocks in THIS process, in a Pulumi runtime state of its own
 * (offline/runtime-adapter.ts `withOwnRuntimeState`), so a process can evaluate stack after stack: the
 * evaluation children do (offline/evaluate-child.ts), and so does the offline plan, which evaluates its
 * stack where it runs the policies instead of paying a second process and a second import of the SDK.
 *
 * Evaluations run one at a time per process: an unhandled rejection names no runtime state, so it is
 * charged to the evaluation running when it is reported, and only that one may be running.
 */
import * as pulumi from "@pulumi/pulumi";
import { settleExports } from "./exports";
import { installMocks } from "./mocks";
import { waitForRpcs, withOwnRuntimeState } from "./runtime-adapter";
import { STACK_REFERENCE_TYPE, StackReferenceBoard } from "./stack-references";
import { PhaseClock } from "./phase-clock";
import type { EvaluationRequest, EvaluationResponse, ReferencedOutputs } from "./types";

/** How long a failed program may take to settle what it started before the evaluation gives up on it. */
const FAILED_DRAIN_MS = 5_000;

type Failure = Extract<EvaluationResponse, { ok: false }>;

function failure(error: unknown, flags: Pick<Failure, "clean" | "rejection"> = {}): Failure {
  const err = error instanceof Error ? error : new Error(String(error));
  return { ok: false, error: { name: err.name, message: err.message, stack: err.stack }, clean: false, ...flags };
}

/**
 * The program's exports. The module is run afresh for every evaluation (it is `export = main()`), while the
 * modules it imports stay loaded: project modules hold no state of their own, the SDK's lives in the
 * runtime state. Node keeps every module a module requires in its `children`, and each module as the parent
 * of the modules it loaded first, for good: the program's module is taken off this module's children and its
 * exports dropped (the caller has them), or each evaluation's exports, and through them every resource of the
 * stack (about 14 MB for production), would stay reachable for the life of the process.
 */
function runProgram(program: string): unknown {
  const file = require.resolve(program);
  delete require.cache[file];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- `export =` programs are read as module.exports
  const exported: unknown = require(file);
  const index = module.children.findIndex((child) => child.filename === file);
  if (index !== -1) module.children.splice(index, 1)[0].exports = {};
  return exported;
}

async function evaluate(
  request: EvaluationRequest,
  references: Readonly<Record<string, ReferencedOutputs>>,
): Promise<EvaluationResponse> {
  const board = new StackReferenceBoard(request.referenceNames);
  for (const [name, referenced] of Object.entries(references)) board.provide(name, referenced);
  const { recorder } = installMocks({
    stack: request.stack,
    mode: request.mode,
    config: request.config,
    secretKeys: request.secretKeys,
    stackReferences: board,
  });
  // An error in an apply that feeds only resource inputs (no export) surfaces as an unhandled rejection; a
  // real deployment fails on it, so the evaluation must too. Collected here, checked once the queue drains.
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on("unhandledRejection", onRejection);
  const clock = new PhaseClock();
  try {
    // The program runs only now, after the mocks are in place. Its export may be a promise (async main).
    const program = runProgram(request.program);
    const imported = clock.mark();
    const exported = (await Promise.resolve(program)) as Record<string, unknown>;
    // Resources not reachable from any export may still be registering: drain before reading outputs.
    await waitForRpcs();
    const registration = clock.mark();
    const { outputs, secretOutputs } = await settleExports(exported);
    await pulumi.runtime.disconnect();
    // Node reports unhandled rejections only after the microtask queue drains: give it one turn.
    await new Promise((resolve) => setImmediate(resolve));
    if (rejections.length > 0) return failure(rejections[0], { rejection: true });
    const evaluation = {
      stack: request.stack,
      mode: request.mode,
      resources: recorder.resources,
      outputs,
      secretOutputs,
    };
    return { ok: true, evaluation, timings: { import: imported, registration, outputs: clock.mark() } };
  } catch (error) {
    // Let what the program started settle (bounded: a failed program may leave work that never ends).
    const drained = await Promise.race([
      waitForRpcs().then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), FAILED_DRAIN_MS).unref()),
    ]);
    // Node reports unhandled rejections only after the microtask queue drains: give it one turn, so a
    // rejection the failed program caused is seen here, not charged to the next evaluation of this process.
    await new Promise((resolve) => setImmediate(resolve));
    // Nothing registered (reading a StackReference creates nothing) and nothing running: the failed program
    // left nothing behind in this process.
    const created = recorder.resources.filter((r) => r.type !== STACK_REFERENCE_TYPE);
    return failure(error, { clean: drained && created.length === 0 && rejections.length === 0 });
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Evaluates `request` in this process, after any evaluation already running here, with `references` as
 * the outputs its StackReferences read. Never rejects: a failed program is an `ok: false` response.
 */
export function evaluateHere(
  request: EvaluationRequest,
  references: Readonly<Record<string, ReferencedOutputs>>,
): Promise<EvaluationResponse> {
  const run = queue.then(() => withOwnRuntimeState(() => evaluate(request, references)));
  queue = run.catch(() => undefined);
  return run.catch(failure);
}
