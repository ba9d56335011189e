/**
 * Generates the README's policy table (name, level, what it checks) from the pack's own policy list, so
 * the table cannot drift from what the pack enforces. `npm run docs:policies` prints it; a test checks that
 * README.md contains exactly this text between the POLICY-TABLE markers. The cdk-nag / Checkov mapping
 * lives beside the policies in policy-pack/README.md.
 */
import { heliumPolicies } from "../policy-pack/policies";

export function policyTable(): string {
  const rows = heliumPolicies.map(
    (p) => `| \`${p.name}\` | ${p.enforcementLevel ?? "advisory"} | ${p.description.replace(/\|/g, "\\|")} |`,
  );
  return ["| policy | level | checks |", "|---|---|---|", ...rows].join("\n");
}

if (require.main === module) process.stdout.write(`${policyTable()}\n`);
