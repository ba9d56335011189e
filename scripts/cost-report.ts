/**
 * Modelled monthly cost of a stack: `npm run report:cost -- <stack> [--diff <base-plan.json>] [--json] [--seed-004]`.
 *
 * Evaluates the stack offline exactly as `npm run plan` does (its own Pulumi.<stack>.yaml, StackReferences to
 * the referenced stacks' evaluated outputs, mocks instead of a cloud account), then prices the resources it would
 * create (lib/cost/*): a region × kind table, totals, the top drivers and the change that would cut each.
 * With `--diff` it also prices a base plan (`npm run plan -- <stack> --json > base-plan.json`, e.g. from the
 * main branch) and prints the cost of the change. `--json` prints the estimates instead of text. `--seed-004` adds
 * the comparison with seed 004's single-region breakdown as the Markdown table docs/cost.md holds.
 *
 * Exit codes: 0 printed, 2 bad arguments or a program error.
 */
import * as fs from "fs";
import { estimate } from "../lib/cost/estimate";
import { renderCostDiff, renderCostReport } from "../lib/cost/render";
import { renderSeedComparison } from "../lib/cost/seed-004";
import type { CostResource, Estimate } from "../lib/cost/types";
import { evaluateStack } from "../offline/evaluate";
import type { RecordedResource } from "../offline/types";

export interface CostArgs {
  readonly stack: string;
  readonly baseFile?: string;
  readonly json: boolean;
  readonly seed004: boolean;
}

const USAGE = "usage: npm run report:cost -- <stack> [--diff <base-plan.json>] [--json] [--seed-004]";

export function parseCostArgs(argv: readonly string[]): CostArgs {
  const diffAt = argv.indexOf("--diff");
  if (diffAt >= 0 && (argv[diffAt + 1] === undefined || argv[diffAt + 1].startsWith("--")))
    throw new Error(`--diff needs a plan file (npm run plan -- <stack> --json > base-plan.json); ${USAGE}`);
  const unknown = argv.filter((a) => a.startsWith("--") && !["--diff", "--json", "--seed-004"].includes(a));
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(", ")}; ${USAGE}`);
  const positional = argv.filter((a, i) => !a.startsWith("--") && argv[i - 1] !== "--diff");
  if (positional.length !== 1) throw new Error(USAGE);
  return {
    stack: positional[0],
    json: argv.includes("--json"),
    seed004: argv.includes("--seed-004"),
    ...(diffAt >= 0 ? { baseFile: argv[diffAt + 1] } : {}),
  };
}

/** Provider-managed resources of an evaluation, as a plan lists them. */
export function costResources(resources: readonly RecordedResource[]): CostResource[] {
  return resources
    .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:") && r.type !== "pulumi:pulumi:StackReference")
    .map(({ type, name, region, inputs }) => ({ type, name, region, inputs }));
}

/** Reads a plan file (`npm run plan -- <stack> --json`) of the same stack. */
export function readBasePlan(file: string, stack: string): { stack: string; resources: CostResource[] } {
  const plan = JSON.parse(fs.readFileSync(file, "utf8")) as { stack?: unknown; resources?: unknown };
  if (typeof plan.stack !== "string" || !Array.isArray(plan.resources))
    throw new Error(`${file} is not a plan: expected the JSON of npm run plan -- ${stack} --json`);
  if (plan.stack !== stack) throw new Error(`${file} is a plan of stack ${plan.stack}, not ${stack}`);
  return { stack: plan.stack, resources: plan.resources as CostResource[] };
}

async function main(argv: readonly string[]): Promise<number> {
  let args: CostArgs;
  try {
    args = parseCostArgs(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  try {
    const base = args.baseFile !== undefined ? readBasePlan(args.baseFile, args.stack) : undefined;
    const resources = costResources((await evaluateStack(args.stack)).resources);
    const head = estimate(args.stack, resources);
    const before: Estimate | undefined = base !== undefined ? estimate(base.stack, base.resources) : undefined;
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ head, ...(before !== undefined ? { base: before } : {}) }, null, 2)}\n`);
      return 0;
    }
    process.stdout.write(`${renderCostReport(head, resources)}\n`);
    if (before !== undefined) process.stdout.write(`\n${renderCostDiff(before, head)}\n`);
    if (args.seed004) process.stdout.write(`\nSeed 004 comparison (docs/cost.md):\n\n${renderSeedComparison(head)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => process.exit(code));
