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
import { leakedPromisesMessage, waitForRpcs, withOwnRuntimeState } from "./runtime-adapter";
import { STACK_REFERENCE_TYPE, StackReferenceBoard } from "./stack-references";
import { PhaseClock } from "./phase-clock";
import type { EvaluationRequest, EvaluationResponse, ReferencedOutputs } from "./types";

/** How long a failed program may take to settle what it started before the evaluation gives up on it. */
const FAILED_DRAIN_MS = 5_000;

type Failure = Extract<EvaluationResponse, { ok: false }>;

/** The process ran out of work while the program was still waiting: nothing is left that could settle it. */
class NeverFinished extends Error {}

/**
 * Rejects with {@link NeverFinished} when this process has nothing left to run (Node's `beforeExit`) before
 * `stop` is called. A program still waiting then awaits a promise nothing will settle (an apply that never
 * runs, a registration whose input never resolves). Pulumi's Node process exits at that point and the
 * runtime fails it with its leaked-promises message; without this, the offline plan exited 0 having printed
 * nothing, and an evaluation process waited for ever. An evaluation process lets go of its IPC channel while
 * it evaluates (offline/evaluate-child.ts), or the channel alone would keep it running.
 */
function untilIdle(): { readonly idle: Promise<never>; readonly stop: () => void } {
  let onIdle = () => {};
  const idle = new Promise<never>((_, reject) => {
    onIdle = () => reject(new NeverFinished());
  });
  // Only awaited in a race: without a handler, a rejection after the race was won would be unhandled.
  idle.catch(() => undefined);
  process.once("beforeExit", onIdle);
  return { idle, stop: () => process.off("beforeExit", onIdle) };
}

/** Whether what a failed program started settled within {@link FAILED_DRAIN_MS} (false when it never can). */
async function drainAfterFailure(): Promise<boolean> {
  const { idle, stop } = untilIdle();
  try {
    return await Promise.race([
      waitForRpcs().then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), FAILED_DRAIN_MS).unref()),
      idle.catch(() => false),
    ]);
  } finally {
    stop();
  }
}

/** What the runtime would print, with the stack and the step the program was waiting in. */
function neverFinished(request: EvaluationRequest, step: string): Error {
  const leaked = leakedPromisesMessage();
  return new Error(
    `The program of stack "${request.stack}" (${request.mode}) never finished: nothing was left to run ` +
      `while it was still ${step}.${leaked === "" ? "" : `\n${leaked}`}`,
  );
}

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
  const { idle, stop } = untilIdle();
  let step = "running its main function";
  const unlessIdle = <T>(work: Promise<T>): Promise<T> => Promise.race([work, idle]);
  try {
    // The program runs only now, after the mocks are in place. Its export may be a promise (async main).
    const program = runProgram(request.program);
    const imported = clock.mark();
    const exported = (await unlessIdle(Promise.resolve(program))) as Record<string, unknown>;
    // Resources not reachable from any export may still be registering: drain before reading outputs.
    step = "registering resources";
    await unlessIdle(waitForRpcs());
    const registration = clock.mark();
    step = "resolving its outputs";
    const { outputs, secretOutputs } = await unlessIdle(settleExports(exported));
    stop();
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
  } catch (caught) {
    stop();
    const error = caught instanceof NeverFinished ? neverFinished(request, step) : caught;
    // A program that never finished has nothing left to settle. Else let what it started settle, bounded: a
    // failed program may leave work that never ends (and, with nothing else to run, would end the process).
    const drained = !(caught instanceof NeverFinished) && (await drainAfterFailure());
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
