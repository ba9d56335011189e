/**
 * Evaluates whole stack programs under mocks, each in its own child process, with the stack's own
 * `Pulumi.<stack>.yaml`. StackReferences are resolved with the referenced stack's real exported outputs
 * (its update-mode evaluation, as a deployed stack has them): never hand-written values.
 *
 * Cost: each (stack, config overrides, mode) is evaluated at most once per process, whoever asks. A child
 * starts at once; the stacks it references are evaluated at the same time and their outputs are sent to it
 * as soon as they are known, so production, staging and shared overlap instead of running in turn.
 */
import { fork, type ChildProcess } from "child_process";
import * as path from "path";
import { PROJECT_ROOT, readStackFile } from "./pulumi-yaml";
import { localStackOf, referenceNamesOf } from "./stack-references";
import { preloadScript } from "./transpile-cache";
import type {
  EvaluationMode,
  EvaluationRequest,
  EvaluationResponse,
  ParentMessage,
  ReferencedOutputs,
  StackEvaluation,
} from "./types";

export { STACK_REFERENCE_KEYS, localStackOf } from "./stack-references";

export interface EvaluateOptions {
  /** Replaces or adds config keys (`namespace:key` → text); `undefined` removes a key. */
  readonly configOverrides?: Record<string, string | undefined>;
  /** `update` (default): outputs known. `preview`: the first `pulumi preview` of a new stack. */
  readonly mode?: EvaluationMode;
  /** Absolute path of the program module; defaults to the project's index.ts. Tests evaluate fixtures. */
  readonly program?: string;
}

/** The project's program: what `pulumi up` runs. */
export const PROGRAM = path.join(PROJECT_ROOT, "index");

export class StackEvaluationError extends Error {
  constructor(
    readonly stack: string,
    message: string,
  ) {
    super(message);
    this.name = "StackEvaluationError";
  }
}

const CHILD = path.join(__dirname, "evaluate-child.ts");
const memo = new Map<string, Promise<StackEvaluation>>();

let preload: string | undefined;
/** Children load TypeScript through the transpile cache (offline/transpile-cache.ts), not ts-node. */
function childPreload(): string {
  return (preload ??= preloadScript(PROJECT_ROOT));
}

/** One key per (stack, overrides, mode, program); overrides sorted, a removed key distinct from an absent one. */
export function evaluationKey(stack: string, options: EvaluateOptions = {}): string {
  const overrides = Object.entries(options.configOverrides ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => [key, value ?? null]);
  return JSON.stringify([stack, options.mode ?? "update", overrides, options.program ?? PROGRAM]);
}

function buildRequest(stack: string, options: EvaluateOptions): EvaluationRequest {
  const file = readStackFile(stack);
  const config = { ...file.config };
  for (const [key, value] of Object.entries(options.configOverrides ?? {})) {
    if (value === undefined) delete config[key];
    else config[key] = value;
  }
  return {
    program: options.program ?? PROGRAM,
    stack,
    mode: options.mode ?? "update",
    config,
    secretKeys: file.secretKeys,
    referenceNames: referenceNamesOf(config),
  };
}

/** A forked evaluation: takes referenced outputs while it runs, and settles once with its result. */
class ChildEvaluation {
  readonly result: Promise<StackEvaluation>;
  private readonly child: ChildProcess;
  private settle: { resolve(e: StackEvaluation): void; reject(e: Error): void } | undefined;

  constructor(request: EvaluationRequest) {
    this.child = fork(CHILD, [], {
      execArgv: ["-r", childPreload()],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.result = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.child.once("message", (response: EvaluationResponse) => {
      if (response.ok) this.done(response.evaluation);
      else this.done(new StackEvaluationError(request.stack, response.error.message));
    });
    this.child.once("exit", (code) =>
      this.done(
        new StackEvaluationError(
          request.stack,
          `evaluation of stack "${request.stack}" exited with code ${code} before reporting`,
        ),
      ),
    );
    this.send({ kind: "evaluate", request });
  }

  provide(name: string, referenced: ReferencedOutputs): void {
    this.send({ kind: "reference", name, referenced });
  }

  /** Fails the evaluation (a referenced stack failed) and stops the child, which would wait forever. */
  abort(error: Error): void {
    this.done(error);
    if (this.child.exitCode === null) this.child.kill();
  }

  private send(message: ParentMessage): void {
    // A child that has already reported (a failed program) no longer listens.
    if (this.child.connected) this.child.send(message);
  }

  private done(outcome: StackEvaluation | Error): void {
    if (this.settle === undefined) return;
    if (outcome instanceof Error) this.settle.reject(outcome);
    else this.settle.resolve(outcome);
    this.settle = undefined;
  }
}

function start(stack: string, options: EvaluateOptions, chain: readonly string[]): Promise<StackEvaluation> {
  const request = buildRequest(stack, options);
  const child = new ChildEvaluation(request);
  for (const name of request.referenceNames) {
    const referenced = localStackOf(name);
    if (chain.includes(referenced)) {
      child.abort(
        new StackEvaluationError(stack, `StackReference cycle: ${[...chain, stack, referenced].join(" → ")}`),
      );
      break;
    }
    // Referenced stacks are deployed stacks: their update-mode outputs, whatever this evaluation's mode.
    evaluate(referenced, {}, [...chain, stack]).then(
      (evaluation) => child.provide(name, { outputs: evaluation.outputs, secretOutputs: evaluation.secretOutputs }),
      (error: Error) =>
        child.abort(
          new StackEvaluationError(stack, `referenced stack "${referenced}" (${name}) failed: ${error.message}`),
        ),
    );
  }
  return child.result;
}

function evaluate(stack: string, options: EvaluateOptions, chain: readonly string[]): Promise<StackEvaluation> {
  const key = evaluationKey(stack, options);
  let evaluation = memo.get(key);
  if (evaluation === undefined) {
    // Started on the next microtask, so the memo holds it before its references are asked for.
    evaluation = Promise.resolve().then(() => start(stack, options, chain));
    memo.set(key, evaluation);
  }
  return evaluation;
}

/**
 * Evaluates `stack` (the stacks it references alongside). The result is shared by every caller in this
 * process that asks for the same stack, overrides and mode.
 */
export function evaluateStack(stack: string, options: EvaluateOptions = {}): Promise<StackEvaluation> {
  return evaluate(stack, options, []);
}
