/**
 * Evaluates whole stack programs under mocks, each in its own child process, with the stack's own
 * `Pulumi.<stack>.yaml`. StackReferences are resolved by evaluating the referenced stack first and handing
 * its real exported outputs to the referencing stack: never hand-written values.
 *
 * Results are memoised per process, so a test run evaluates each stack once.
 */
import { fork } from "child_process";
import * as path from "path";
import { readStackFile } from "./pulumi-yaml";
import type { EvaluationRequest, EvaluationResponse, StackEvaluation } from "./types";

/** Config keys whose values name another stack (StackReference names). */
export const STACK_REFERENCE_KEYS = ["helium:sharedStack", "helium:promoteFrom"] as const;

/** `acme/helium/shared` → `shared`: the local stack file that stands for a reference. */
export function localStackOf(referenceName: string): string {
  return referenceName.split("/").pop() ?? referenceName;
}

export interface EvaluateOptions {
  /** Replaces or adds config keys (`namespace:key` → text); `undefined` removes a key. */
  readonly configOverrides?: Record<string, string | undefined>;
}

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

function runChild(request: EvaluationRequest): Promise<StackEvaluation> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], {
      execArgv: ["-r", "ts-node/register/transpile-only"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" },
    });
    let settled = false;
    child.once("message", (response: EvaluationResponse) => {
      settled = true;
      if (response.ok) resolve(response.evaluation);
      else reject(new StackEvaluationError(request.stack, response.error.message));
    });
    child.once("exit", (code) => {
      if (!settled)
        reject(
          new StackEvaluationError(
            request.stack,
            `evaluation of stack "${request.stack}" exited with code ${code} before reporting`,
          ),
        );
    });
    child.send(request);
  });
}

async function buildRequest(stack: string, options: EvaluateOptions): Promise<EvaluationRequest> {
  const file = readStackFile(stack);
  const config = { ...file.config };
  for (const [key, value] of Object.entries(options.configOverrides ?? {})) {
    if (value === undefined) delete config[key];
    else config[key] = value;
  }
  const stackReferences: Record<string, Record<string, unknown>> = {};
  for (const key of STACK_REFERENCE_KEYS) {
    const referenceName = config[key];
    if (referenceName === undefined) continue;
    const referenced = await evaluateStack(localStackOf(referenceName));
    stackReferences[referenceName] = referenced.outputs;
  }
  return { stack, config, secretKeys: file.secretKeys, stackReferences };
}

/**
 * Evaluates `stack` (and, first, the stacks it references). Without overrides the result is cached for
 * the life of the process.
 */
export function evaluateStack(stack: string, options: EvaluateOptions = {}): Promise<StackEvaluation> {
  const cacheable = options.configOverrides === undefined;
  if (cacheable && memo.has(stack)) return memo.get(stack) as Promise<StackEvaluation>;
  const evaluation = buildRequest(stack, options).then(runChild);
  if (cacheable) memo.set(stack, evaluation);
  return evaluation;
}
