/**
 * Child-process entry point: evaluates ONE stack program under mocks and sends the result to the parent
 * over IPC. The Pulumi runtime keeps global state, so one stack per process keeps stacks from leaking
 * resources into each other.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { installMocks } from "./mocks";
import { waitForRpcs } from "./runtime-adapter";
import type { EvaluationRequest, EvaluationResponse } from "./types";

/** The parent forks this file with an IPC channel (offline/evaluate.ts); the result goes back over it. */
function send(response: EvaluationResponse): void {
  if (!process.send) throw new Error("evaluate-child runs only as a forked child of offline/evaluate.ts");
  process.send(response, () => process.exit(0));
}

function fail(error: unknown): void {
  const err = error instanceof Error ? error : new Error(String(error));
  send({ ok: false, error: { name: err.name, message: err.message, stack: err.stack } });
}

/** Resolves every Output in the program's exports and notes which top-level outputs are secret. */
async function resolveExports(
  exported: Record<string, unknown>,
): Promise<{ outputs: Record<string, unknown>; secretOutputs: string[] }> {
  const outputs: Record<string, unknown> = {};
  const secretOutputs: string[] = [];
  for (const [name, value] of Object.entries(exported)) {
    const output = pulumi.output(value);
    if (await pulumi.isSecret(output)) secretOutputs.push(name);
    outputs[name] = await new Promise((resolve) => pulumi.unsecret(output).apply(resolve));
  }
  return { outputs, secretOutputs };
}

async function evaluate(request: EvaluationRequest): Promise<void> {
  const { recorder } = installMocks({
    stack: request.stack,
    config: request.config,
    secretKeys: request.secretKeys,
    stackReferences: request.stackReferences,
  });
  // An error in an apply that feeds only resource inputs (no export) surfaces as an unhandled rejection; a
  // real deployment fails on it, so the evaluation must too. Collected here, checked once the queue drains.
  const rejections: unknown[] = [];
  process.on("unhandledRejection", (reason) => rejections.push(reason));
  // The program is imported only now, after the mocks are in place.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- `export =` programs are read as module.exports
  const program: unknown = require(path.resolve(__dirname, "..", "index"));
  const exported = (await Promise.resolve(program)) as Record<string, unknown>;
  const { outputs, secretOutputs } = await resolveExports(exported);
  // Resources not reachable from any export may still be registering; wait for the RPC queue to drain.
  await waitForRpcs();
  // Node reports unhandled rejections only after the microtask queue drains: give it one turn.
  await new Promise((resolve) => setImmediate(resolve));
  if (rejections.length > 0) {
    fail(rejections[0]);
    return;
  }
  send({ ok: true, evaluation: { stack: request.stack, resources: recorder.resources, outputs, secretOutputs } });
}

process.once("message", (request: EvaluationRequest) => {
  evaluate(request).catch((error) => fail(error));
});
