/**
 * Modelled monthly cost of a stack: `npm run report:cost -- <stack> [--diff <plan.json | git ref>] [--json] [--seed-004]`.
 *
 * Evaluates the stack offline exactly as `npm run plan` does (its own Pulumi.<stack>.yaml, StackReferences to
 * the referenced stacks' evaluated outputs, mocks instead of a cloud account), then prices the resources it would
 * create (lib/cost/*): a region × kind table, totals, the top drivers and the change that would cut each.
 * With `--diff` it also prices a base: a saved plan (`npm run --silent plan -- <stack> --json > base.json`) or a
 * git ref whose own program is planned (offline/diff-base.ts, as `npm run plan -- --diff` does), and prints the
 * cost of the change. `--json` prints the estimates instead of text. `--seed-004` adds
 * the comparison with seed 004's single-region breakdown as the Markdown table docs/cost.md holds.
 *
 * Exit codes: 0 printed, 2 bad arguments or a program error.
 */
import { estimate } from "../lib/cost/estimate";
import { renderCostDiff, renderCostReport } from "../lib/cost/render";
import { renderSeedComparison } from "../lib/cost/seed-004";
import type { CostResource, Estimate } from "../lib/cost/types";
import { loadBase } from "../offline/diff-base";
import { evaluateStack } from "../offline/evaluate";
import { PROJECT_ROOT } from "../offline/pulumi-yaml";
import type { RecordedResource } from "../offline/types";
import { isPlanned } from "./plan-report";

export interface CostArgs {
  readonly stack: string;
  readonly baseFile?: string;
  readonly json: boolean;
  readonly seed004: boolean;
}

const USAGE = "usage: npm run report:cost -- <stack> [--diff <plan.json | git ref>] [--json] [--seed-004]";

export function parseCostArgs(argv: readonly string[]): CostArgs {
  const diffAt = argv.indexOf("--diff");
  if (diffAt >= 0 && (argv[diffAt + 1] === undefined || argv[diffAt + 1].startsWith("--")))
    throw new Error(`--diff needs a plan file or a git ref; ${USAGE}`);
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
    .filter((r) => r.custom && isPlanned(r))
    .map(({ type, name, region, inputs }) => ({ type, name, region, inputs }));
}

/**
 * The base's resources with their regions. `base` is a plan file or a git ref (offline/diff-base.ts); a plan of
 * another stack, or one without regions (from before plans recorded them), is refused.
 */
export function readBasePlan(base: string, stack: string): { stack: string; resources: CostResource[] } {
  const plan = loadBase(base, stack, PROJECT_ROOT);
  if (plan.stack !== stack) throw new Error(`${base} is a plan of stack ${plan.stack}, not ${stack}`);
  const resources = plan.resources as readonly Partial<CostResource>[];
  if (resources.some((r) => r.region === undefined))
    throw new Error(`${base}: its resources carry no region; make it with the current npm run plan -- ${stack} --json`);
  return { stack: plan.stack, resources: resources as CostResource[] };
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
