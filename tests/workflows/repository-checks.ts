/**
 * Pure checks over repository files that shape CI but are not workflows: Dependabot's config, the
 * operator docs' command lines and npm's config. Like workflow-checks.ts, each returns violations
 * (empty = compliant) so tests can feed bad documents and see them rejected.
 */
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

// ---------------------------------------------------------------------------------------------
// Dependabot
// ---------------------------------------------------------------------------------------------

interface DependabotUpdate {
  readonly "package-ecosystem"?: unknown;
  readonly directory?: unknown;
  readonly directories?: unknown;
  readonly schedule?: { readonly interval?: unknown };
  readonly groups?: unknown;
}

/** Ecosystems and the directories whose manifests Dependabot must watch. */
export const DEPENDABOT_COVERAGE: Readonly<Record<string, readonly string[]>> = {
  "github-actions": ["/"],
  npm: ["/", "/policy-pack"],
};

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/**
 * `.github/dependabot.yml` (parsed): version 2; for each ecosystem in `coverage`, one update entry that
 * covers its directories, runs weekly and groups its updates (one reviewable PR per group, not one per
 * package); no entry runs more often than weekly.
 */
export function dependabotViolations(
  doc: unknown,
  coverage: Readonly<Record<string, readonly string[]>> = DEPENDABOT_COVERAGE,
): string[] {
  const root = asRecord(doc);
  if (root === undefined) return ["dependabot config is not a mapping"];
  const violations: string[] = [];
  if (root["version"] !== 2) violations.push(`version must be 2 (found ${String(root["version"])})`);
  const updates = (Array.isArray(root["updates"]) ? root["updates"] : []) as DependabotUpdate[];
  for (const [ecosystem, directories] of Object.entries(coverage)) {
    const entries = updates.filter((u) => u["package-ecosystem"] === ecosystem);
    if (entries.length === 0) {
      violations.push(`no update entry for ${ecosystem}`);
      continue;
    }
    const covered = new Set(
      entries.flatMap((u) => [
        ...(typeof u.directory === "string" ? [u.directory] : []),
        ...(Array.isArray(u.directories) ? u.directories.map(String) : []),
      ]),
    );
    for (const d of directories.filter((dir) => !covered.has(dir)))
      violations.push(`${ecosystem}: directory ${d} is not covered`);
    for (const u of entries) {
      if (u.schedule?.interval !== "weekly")
        violations.push(`${ecosystem}: schedule interval must be weekly (found ${String(u.schedule?.interval)})`);
      const groups = asRecord(u.groups);
      if (groups === undefined || Object.keys(groups).length === 0)
        violations.push(`${ecosystem}: updates are not grouped (one PR per package)`);
    }
  }
  return violations;
}
