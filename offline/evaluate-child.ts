/**
 * Child-process entry point: evaluates ONE stack program under mocks and sends the result to the parent
 * over IPC. The Pulumi runtime keeps global state, so one stack per process keeps stacks from leaking
 * resources into each other.
 *
 * The program is imported as soon as the request arrives; outputs of referenced stacks follow in
 * `reference` messages and StackReference reads wait for them (offline/stack-references.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { settleExports } from "./exports";
import { installMocks } from "./mocks";
import { waitForRpcs } from "./runtime-adapter";
import { StackReferenceBoard } from "./stack-references";
import type { EvaluationRequest, EvaluationResponse, ParentMessage } from "./types";

/** How long a failed program may take to settle what it started before the child gives up on it. */
const FAILED_DRAIN_MS = 5_000;

/**
 * Sends the result and exits. A failed evaluation exits 1, as the CLI does after reporting a program
 * error; the runtime's "promises were still active" check then stays quiet about the work the failure
 * left behind, while a successful evaluation (drained, exit 0) would still be warned about.
 */
function finish(response: EvaluationResponse): void {
  if (!process.send) throw new Error("evaluate-child runs only as a forked child of offline/evaluate.ts");
  process.send(response, () => process.exit(response.ok ? 0 : 1));
}

function failure(error: unknown): EvaluationResponse {
  const err = error instanceof Error ? error : new Error(String(error));
  return { ok: false, error: { name: err.name, message: err.message, stack: err.stack } };
}

async function evaluate(request: EvaluationRequest, references: StackReferenceBoard): Promise<EvaluationResponse> {
  const { recorder } = installMocks({
    stack: request.stack,
    mode: request.mode,
    config: request.config,
    secretKeys: request.secretKeys,
    stackReferences: references,
  });
  // An error in an apply that feeds only resource inputs (no export) surfaces as an unhandled rejection; a
  // real deployment fails on it, so the evaluation must too. Collected here, checked once the queue drains.
  const rejections: unknown[] = [];
  process.on("unhandledRejection", (reason) => rejections.push(reason));
  try {
    // The program is imported only now, after the mocks are in place. Its export may be a promise (async main).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- `export =` programs are read as module.exports
    const program: unknown = require(request.program);
    const exported = (await Promise.resolve(program)) as Record<string, unknown>;
    const { outputs, secretOutputs } = await settleExports(exported);
    // Resources not reachable from any export may still be registering: drain, then close the monitor.
    await pulumi.runtime.disconnect();
    // Node reports unhandled rejections only after the microtask queue drains: give it one turn.
    await new Promise((resolve) => setImmediate(resolve));
    if (rejections.length > 0) return failure(rejections[0]);
    const evaluation = {
      stack: request.stack,
      mode: request.mode,
      resources: recorder.resources,
      outputs,
      secretOutputs,
    };
    return { ok: true, evaluation };
  } catch (error) {
    // Let what the program started settle (bounded: a failed program may leave work that never ends).
    await Promise.race([waitForRpcs(), new Promise((resolve) => setTimeout(resolve, FAILED_DRAIN_MS).unref())]);
    return failure(error);
  }
}

let references: StackReferenceBoard | undefined;
process.on("message", (message: ParentMessage) => {
  if (message.kind === "evaluate") {
    references = new StackReferenceBoard(message.request.referenceNames);
    evaluate(message.request, references).then(finish, (error: unknown) => finish(failure(error)));
  } else {
    references?.provide(message.name, message.referenced);
  }
});
