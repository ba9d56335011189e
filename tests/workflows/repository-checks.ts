/**
 * Pure checks over repository files that shape CI but are not workflows: Dependabot's config, the
 * operator docs' command lines and npm's config. Like workflow-checks.ts, each returns violations
 * (empty = compliant) so tests can feed bad documents and see them rejected.
 */
import * as path from "node:path";
import { policyPackProblem, shellCommands, shellWords, flagValues } from "./workflow-checks";

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

// ---------------------------------------------------------------------------------------------
// Command lines in the docs
// ---------------------------------------------------------------------------------------------

export interface DocumentedCommand {
  /** 1-based line of the Markdown source where the command starts. */
  readonly line: number;
  /** One shell command (continuations joined, `&&` / `;` split). */
  readonly text: string;
  /** From a fenced code block (a command to run) or an inline code span (possibly a mention). */
  readonly fenced: boolean;
}

/**
 * The command lines of a Markdown document: every line of a fenced code block, except diagrams
 * (`mermaid`, whose labels are not commands), and every inline code span outside fences.
 */
export function markdownCommands(markdown: string): DocumentedCommand[] {
  const found: DocumentedCommand[] = [];
  const lines = markdown.split(/\r?\n/);
  let fence: { readonly info: string; readonly marker: string } | undefined;
  let pending: { line: number; text: string } | undefined;
  lines.forEach((raw, i) => {
    const open = /^\s*(```+|~~~+)\s*([^\s`]*)/.exec(raw);
    if (fence === undefined && open) {
      fence = { marker: open[1], info: open[2].toLowerCase() };
      return;
    }
    if (fence !== undefined) {
      if (raw.trim().startsWith(fence.marker)) {
        fence = undefined;
        return;
      }
      if (fence.info === "mermaid") return;
      // A trailing backslash continues the command on the next line.
      const text = raw.replace(/\s#.*$/, "");
      pending =
        pending === undefined
          ? { line: i + 1, text }
          : { line: pending.line, text: `${pending.text.trimEnd()} ${text.trim()}` };
      if (/\\\s*$/.test(text)) {
        pending.text = pending.text.replace(/\\\s*$/, "");
        return;
      }
      for (const command of shellCommands(pending.text))
        found.push({ line: pending.line, text: command, fenced: true });
      pending = undefined;
      return;
    }
    for (const span of raw.matchAll(/`([^`]+)`/g))
      for (const command of shellCommands(span[1])) found.push({ line: i + 1, text: command, fenced: false });
  });
  return found;
}

/**
 * Every `pulumi preview` / `pulumi up` a reader could copy from the docs runs the policy pack with its
 * config, as the workflows do. A bare `pulumi up` in prose ("every `pulumi up`") names the command, not an
 * invocation, and is skipped; with any argument it is an invocation and is checked.
 */
export function documentedPolicyPackViolations(markdown: string, label: string): string[] {
  const violations: string[] = [];
  for (const c of markdownCommands(markdown)) {
    const m = /(?:^|[\s"'(])pulumi\s+(preview|up|update)(?=\s|$)/.exec(c.text);
    if (!m) continue;
    const args = shellWords(c.text.slice(m.index + m[0].length));
    if (!c.fenced && args.length === 0) continue;
    const problem = policyPackProblem(flagValues(args, ["--policy-pack"]), flagValues(args, ["--policy-pack-config"]));
    if (problem !== undefined) violations.push(`${label}:${c.line}: \`${c.text}\` ${problem}`);
  }
  return violations;
}
