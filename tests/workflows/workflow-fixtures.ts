/**
 * What the workflow tests share: our workflows' text, a variant with one textual change, and the checks
 * every workflow must pass.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  WORKFLOW_DIR,
  actionPinViolations,
  approvalViolations,
  branchStackViolations,
  deployConcurrencyViolations,
  ecsPokeViolations,
  imageBuildViolations,
  parseWorkflow,
  permissionViolations,
  policyPackViolations,
  smokeCheckViolations,
  stackExistenceViolations,
  staticKeyViolations,
  testsBeforeDeployViolations,
  type Workflow,
} from "./workflow-checks";

export const workflowText = (file: string): string => fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");

/** Our workflow with one textual change; fails loudly if the text to change is not there. */
export function workflowVariant(file: string, from: string | RegExp, to: string): Workflow {
  const original = workflowText(file);
  const changed = original.replace(from, to);
  assert.notEqual(changed, original, `${file} no longer contains ${String(from)}; update this test`);
  return parseWorkflow(changed, `${file} (variant)`);
}

/** Every check that must hold for every workflow. */
export const UNIVERSAL_CHECKS = {
  policyPackViolations,
  permissionViolations,
  staticKeyViolations,
  branchStackViolations,
  deployConcurrencyViolations,
  approvalViolations,
  testsBeforeDeployViolations,
  imageBuildViolations,
  ecsPokeViolations,
  actionPinViolations,
  stackExistenceViolations,
  smokeCheckViolations,
} satisfies Record<string, (wf: Workflow) => string[]>;
