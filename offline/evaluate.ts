/**
 * Evaluates whole stack programs under mocks with the stack's own `Pulumi.<stack>.yaml`. StackReferences are
 * resolved with the referenced stack's real exported outputs (its update-mode evaluation, as a deployed stack
 * has them): never hand-written values.
 *
 * Cost: each (stack, config overrides, mode) is evaluated at most once per process, whoever asks. By default
 * evaluations run in evaluation processes (offline/evaluate-child.ts) that each serve many stacks, so the SDK
 * and the program are loaded once per process, not once per stack; a process that evaluates one stack and
 * nothing else Pulumi (the offline plan) can run it in itself instead ({@link configureEvaluation}).
 * A stack is sent once the stacks it references have their outputs; unrelated stacks run side by side.
 */
import { fork, type ChildProcess } from "child_process";
import * as os from "os";
import * as path from "path";
import { evaluationCacheKey, readCachedOutputs, writeCachedOutputs } from "./evaluation-cache";
import { evaluateHere } from "./evaluate-here";
import { PhaseClock } from "./phase-clock";
import { PROJECT_ROOT, readStackFile } from "./pulumi-yaml";
import { localStackOf, referenceNamesOf } from "./stack-references";
import type {
  EvaluationMessage,
  EvaluationMode,
  EvaluationReply,
  EvaluationRequest,
  EvaluationResponse,
  EvaluationTimings,
  PhaseTime,
  ReferencedOutputs,
  StackEvaluation,
} from "./types";

export { STACK_REFERENCE_KEYS, localStackOf } from "./stack-references";

type Overrides = Readonly<Record<string, string | undefined>>;

export interface EvaluateOptions {
  /** Replaces or adds config keys (`namespace:key` → text); `undefined` removes a key. */
  readonly configOverrides?: Overrides;
  /**
   * Config overrides for referenced stacks, by local stack name (`shared`), applied wherever that stack is
   * referenced along the chain. Defaults to none: referenced stacks are evaluated from their own files.
   */
  readonly referenceOverrides?: Readonly<Record<string, Overrides>>;
  /** `update` (default): outputs known. `preview`: the first `pulumi preview` of a new stack. */
  readonly mode?: EvaluationMode;
  /** Absolute path of the program module; defaults to the project's index.ts. Tests evaluate fixtures. */
  readonly program?: string;
}

/** The project's program: what `pulumi up` runs. */
export const PROGRAM = path.join(PROJECT_ROOT, "index");

/** A stack's evaluation failed; `message` says why. */
export class StackEvaluationError extends Error {
  constructor(
    /** The stack whose evaluation failed, e.g. `production`. (A field named `stack` would replace Error's own.) */
    readonly stackName: string,
    message: string,
  ) {
    super(message);
    this.name = "StackEvaluationError";
  }
}

/** An evaluation and where its time went. */
export interface TimedEvaluation {
  readonly evaluation: StackEvaluation;
  /** The evaluation's own phases, in the process that ran it. */
  readonly timings: EvaluationTimings;
  /** Waiting for the referenced stacks' outputs (evaluated, shared with another caller, or read from the cache). */
  readonly references: PhaseTime;
}

export interface EvaluationSettings {
  /**
   * Where evaluations run. `processes` (default): evaluation processes, at most `processes` at a time.
   * `this-process`: here, one at a time; only for a process that does nothing else with Pulumi's runtime.
   */
  readonly where: "processes" | "this-process";
  /** Evaluation processes at most. Defaults to the machine's parallelism, at most 2. */
  readonly processes?: number;
  /**
   * Read referenced stacks' outputs from the disk cache (offline/evaluation-cache.ts) and store them there.
   * Defaults to false: every referenced stack is evaluated.
   */
  readonly cacheReferencedOutputs?: boolean;
  /**
   * Store referenced stacks' outputs in the disk cache without reading it: every evaluation here is fresh,
   * and a later offline plan (which reads the cache) finds them. Defaults to false. The test suite sets it,
   * so the plan processes its CLI tests start do not evaluate shared and staging once more each.
   */
  readonly storeReferencedOutputs?: boolean;
}

let settings: EvaluationSettings = { where: "processes" };
const memo = new Map<string, Promise<TimedEvaluation>>();

/** Chooses where evaluations run and whether referenced outputs are cached; call before the first evaluation. */
export function configureEvaluation(next: EvaluationSettings): void {
  if (memo.size > 0) throw new Error("configureEvaluation must be called before the first evaluation");
  settings = next;
}

/** One key per (stack, overrides, mode, program); overrides sorted, a removed key distinct from an absent one. */
export function evaluationKey(stack: string, options: EvaluateOptions = {}): string {
  const sorted = (overrides: Overrides = {}) =>
    Object.entries(overrides)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, value]) => [key, value ?? null]);
  const references = Object.entries(options.referenceOverrides ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, overrides]) => [name, sorted(overrides)]);
  return JSON.stringify([
    stack,
    options.mode ?? "update",
    sorted(options.configOverrides),
    options.program ?? PROGRAM,
    references,
  ]);
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

/** Options for evaluating the stack `request` references as `name`: a deployed stack, in update mode. */
function referencedOptions(name: string, options: EvaluateOptions): EvaluateOptions {
  const overrides = options.referenceOverrides?.[localStackOf(name)];
  return {
    ...(overrides !== undefined ? { configOverrides: overrides } : {}),
    ...(options.referenceOverrides !== undefined ? { referenceOverrides: options.referenceOverrides } : {}),
  };
}

/** Long-lived evaluation processes, each running one evaluation at a time. */
class ProcessPool {
  private readonly idle: ChildProcess[] = [];
  private readonly waiting: Array<(child: ChildProcess) => void> = [];
  private count = 0;
  private nextId = 0;

  constructor(private readonly size: number) {}

  async run(message: Omit<EvaluationMessage, "id">): Promise<EvaluationResponse> {
    const child = await this.acquire();
    const id = this.nextId++;
    return new Promise((resolve) => {
      const onMessage = (reply: EvaluationReply) => {
        if (reply.id !== id) return;
        cleanup();
        const { response } = reply;
        // A process that reported a failure exits unless the failure left nothing behind (offline/evaluate-child.ts).
        if (response.ok || response.clean === true) this.release(child);
        // A failure that may be an earlier program's: run the request again (the reporting process exits).
        if (!response.ok && response.retry === true) resolve(this.run(message));
        else resolve(response);
      };
      const onExit = (code: number | null) => {
        cleanup();
        const text = `evaluation of stack "${message.request.stack}" exited with code ${code} before reporting`;
        resolve({ ok: false, error: { name: "Error", message: text } });
      };
      const cleanup = () => {
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.send({ ...message, id });
    });
  }

  private acquire(): Promise<ChildProcess> {
    const child = this.idle.pop();
    if (child !== undefined) return Promise.resolve(this.busy(child));
    if (this.count < this.size) return Promise.resolve(this.busy(this.spawn()));
    return new Promise((resolve) => this.waiting.push((next) => resolve(this.busy(next))));
  }

  private release(child: ChildProcess): void {
    const next = this.waiting.shift();
    if (next !== undefined) next(child);
    else {
      this.idle.push(child);
      // An idle process does not keep the parent alive.
      child.unref();
      child.channel?.unref();
    }
  }

  private busy(child: ChildProcess): ChildProcess {
    child.ref();
    child.channel?.ref();
    return child;
  }

  private spawn(): ChildProcess {
    const child = fork(path.join(__dirname, "evaluate-child.ts"), [], {
      execArgv: [...EVALUATION_NODE_OPTIONS, "-r", path.join(PROJECT_ROOT, "offline", "register.cjs")],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.count++;
    child.once("exit", () => {
      this.count--;
      const index = this.idle.indexOf(child);
      if (index >= 0) this.idle.splice(index, 1);
      // Someone waits for a process and this one's place is free: start another.
      const next = this.waiting.shift();
      if (next !== undefined) next(this.spawn());
    });
    return child;
  }
}

/**
 * A larger young generation (V8's default semi-space is 16 MB): an evaluation allocates millions of
 * short-lived objects (Outputs, promises, serialized properties), and with the default most of the
 * process's garbage-collection time went to scavenging them and promoting survivors. 256 MB semi-spaces,
 * reserved from the start (`--min-semi-space-size`; V8 otherwise starts small and grows them only after many
 * scavenges). One process evaluating production twice and staging six times, four runs each: 3.45 s of CPU
 * on average, against 4.17 s with 128 MB reserved and 4.46 s with a 64 MB maximum; 673 MB of memory at most
 * per process (the pool runs at most two), against 541 and 394 MB. The whole-stack tests with their
 * evaluation processes, alternating runs, two each: 44.2 and 40.2 s of CPU, against 49.3 and 52.6 s with a
 * 64 MB maximum in the evaluation processes. Mocha keeps a 64 MB maximum (.mocharc.json): the in-process
 * tests ran no faster with 256 MB reserved.
 */
export const EVALUATION_NODE_OPTIONS: readonly string[] = ["--max-semi-space-size=256", "--min-semi-space-size=256"];

let pool: ProcessPool | undefined;

function runRequest(
  request: EvaluationRequest,
  references: Readonly<Record<string, ReferencedOutputs>>,
): Promise<EvaluationResponse> {
  if (settings.where === "this-process") return evaluateHere(request, references);
  pool ??= new ProcessPool(settings.processes ?? Math.min(2, os.availableParallelism()));
  return pool.run({ request, references });
}

/** The outputs a StackReference named `name` reads: the referenced stack's update-mode evaluation, or the cache. */
async function referencedOutputs(
  name: string,
  options: EvaluateOptions,
  chain: readonly string[],
): Promise<ReferencedOutputs> {
  const stack = localStackOf(name);
  const referenced = referencedOptions(name, options);
  const cacheKey =
    settings.cacheReferencedOutputs || settings.storeReferencedOutputs ? cacheKeyOf(stack, referenced) : undefined;
  const cached = cacheKey !== undefined && settings.cacheReferencedOutputs ? readCachedOutputs(cacheKey) : undefined;
  if (cached !== undefined) return cached;
  const { evaluation } = await evaluate(stack, referenced, chain);
  const outputs = { outputs: evaluation.outputs, secretOutputs: evaluation.secretOutputs };
  if (cacheKey !== undefined) writeCachedOutputs(cacheKey, outputs);
  return outputs;
}

/** The cache key of a stack's update-mode evaluation: its request and, recursively, its references' keys. */
export function cacheKeyOf(stack: string, options: EvaluateOptions): string {
  const request = buildRequest(stack, options);
  const references = request.referenceNames.map((name) =>
    cacheKeyOf(localStackOf(name), referencedOptions(name, options)),
  );
  return evaluationCacheKey(request, references);
}

async function start(stack: string, options: EvaluateOptions, chain: readonly string[]): Promise<TimedEvaluation> {
  const request = buildRequest(stack, options);
  const clock = new PhaseClock();
  const references: Record<string, ReferencedOutputs> = {};
  for (const name of request.referenceNames) {
    const referenced = localStackOf(name);
    if (chain.includes(referenced)) {
      throw new StackEvaluationError(stack, `StackReference cycle: ${[...chain, stack, referenced].join(" → ")}`);
    }
  }
  // Referenced stacks are deployed stacks: their update-mode outputs, whatever this evaluation's mode.
  await Promise.all(
    request.referenceNames.map(async (name) => {
      try {
        references[name] = await referencedOutputs(name, options, [...chain, stack]);
      } catch (error) {
        const text = `referenced stack "${localStackOf(name)}" (${name}) failed: ${(error as Error).message}`;
        throw new StackEvaluationError(stack, text);
      }
    }),
  );
  const waited = clock.mark();
  const response = await runRequest(request, references);
  if (!response.ok) throw new StackEvaluationError(stack, response.error.message);
  return { evaluation: response.evaluation, timings: response.timings, references: waited };
}

function evaluate(stack: string, options: EvaluateOptions, chain: readonly string[]): Promise<TimedEvaluation> {
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
 * Evaluates `stack` (the stacks it references first). The result is shared by every caller in this process
 * that asks for the same stack, overrides and mode.
 */
export async function evaluateStack(stack: string, options: EvaluateOptions = {}): Promise<StackEvaluation> {
  return (await evaluate(stack, options, [])).evaluation;
}

/** {@link evaluateStack}, with where the time went (the offline plan's timings and `npm run bench`). */
export function evaluateStackTimed(stack: string, options: EvaluateOptions = {}): Promise<TimedEvaluation> {
  return evaluate(stack, options, []);
}
