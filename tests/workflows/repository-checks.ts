/**
 * Pure checks over repository files that shape CI but are not workflows: Dependabot's config, the
 * operator docs' command lines and npm's config. Like workflow-checks.ts, each returns violations
 * (empty = compliant) so tests can feed bad documents and see them rejected.
 */
import * as path from "node:path";
import { flagValues, policyPackProblem, shellCommands, shellWords, shortStack } from "./workflow-checks";

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

/**
 * The section of `markdown` under the heading that starts with `heading` (`## Bootstrap`), up to the next
 * heading of the same or a higher level, with every other line blanked so line numbers stay those of the
 * file. Undefined when no such heading exists.
 */
export function markdownSection(markdown: string, heading: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith(heading));
  if (start < 0) return undefined;
  const level = /^#+/.exec(heading)?.[0].length ?? 1;
  let end = lines.findIndex((l, i) => i > start && new RegExp(`^#{1,${level}}\\s`).test(l));
  if (end < 0) end = lines.length;
  return lines.map((l, i) => (i >= start && i < end ? l : "")).join("\n");
}

/** The stacks a new backend needs, and the StackReference keys that must name them with their organisation. */
export const BOOTSTRAP_STACKS = ["shared", "staging", "production"] as const;
const ORG_QUALIFIED_REFERENCES: readonly { key: string; stack: string; value: string }[] = [
  { key: "helium:sharedStack", stack: "staging", value: "shared" },
  { key: "helium:sharedStack", stack: "production", value: "shared" },
  { key: "helium:promoteFrom", stack: "production", value: "staging" },
];

/** Words of a documented `pulumi …` command after `pulumi`, or undefined when it is not one. */
function pulumiWords(command: string): string[] | undefined {
  const m = /(?:^|[\s"'(])pulumi(?=\s)/.exec(command);
  return m ? shellWords(command.slice(m.index + m[0].length)) : undefined;
}

/**
 * A document's bootstrap works against a new backend when its commands, in order: install the policy
 * pack (`npm ci|install --prefix policy-pack`) before the first `pulumi up`; create shared, staging and
 * production (`pulumi stack init`, or `stack select --create`), shared before the first `pulumi up`;
 * and set helium:sharedStack (staging, production) and helium:promoteFrom (production) to
 * organisation-qualified names (`<org>/helium/<stack>`), so the StackReferences do not depend on whose
 * default organisation runs the update.
 */
export function documentedBootstrapViolations(markdown: string, label: string): string[] {
  const commands = markdownCommands(markdown);
  const violations: string[] = [];
  const firstUp = commands.findIndex((c) => {
    const w = pulumiWords(c.text);
    return w !== undefined && (w[0] === "up" || w[0] === "update") && w.length > 1;
  });
  const before = (i: number): boolean => firstUp < 0 || i < firstUp;
  const install = commands.findIndex((c) => /\bnpm\s+(?:ci|install)\b.*--prefix[\s=]+\.?\/?policy-pack\b/.test(c.text));
  if (install < 0) violations.push(`${label}: no command installs the policy pack (npm install --prefix policy-pack)`);
  else if (!before(install))
    violations.push(`${label}:${commands[install].line}: the policy pack is installed after the first pulumi up`);
  const created = new Map<string, number>();
  commands.forEach((c, i) => {
    const w = pulumiWords(c.text);
    if (w === undefined || w[0] !== "stack") return;
    const creates = w[1] === "init" || (w[1] === "select" && w.some((t) => t === "-c" || t === "--create"));
    if (!creates) return;
    const names = [...flagValues(w, ["-s", "--stack"]), ...w.slice(2).filter((t) => !t.startsWith("-"))];
    for (const n of names) if (!created.has(shortStack(n))) created.set(shortStack(n), i);
  });
  for (const stack of BOOTSTRAP_STACKS) {
    const at = created.get(stack);
    if (at === undefined)
      violations.push(`${label}: no command creates the ${stack} stack (pulumi stack init <org>/helium/${stack})`);
    else if (stack === "shared" && !before(at))
      violations.push(`${label}:${commands[at].line}: the shared stack is created after the first pulumi up`);
  }
  for (const ref of ORG_QUALIFIED_REFERENCES) {
    const set = commands.some((c) => {
      const w = pulumiWords(c.text);
      if (w === undefined || w[0] !== "config" || w[1] !== "set") return false;
      const positional = w
        .slice(2)
        .filter((t, i, all) => !t.startsWith("-") && !["-s", "--stack"].includes(all[i - 1]));
      const stacks = flagValues(w, ["-s", "--stack"]).map(shortStack);
      const value = positional[1] ?? "";
      return (
        positional[0] === ref.key &&
        stacks.includes(ref.stack) &&
        new RegExp(`^[^/\\s]+/helium/${ref.value}$`).test(value)
      );
    });
    if (!set)
      violations.push(
        `${label}: no command sets ${ref.key} of ${ref.stack} to an organisation-qualified name (<org>/helium/${ref.value})`,
      );
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------
// npm
// ---------------------------------------------------------------------------------------------

/**
 * A project `.npmrc` must not silence npm: with `loglevel=silent` (or `silent=true`) a failing `npm ci`
 * or a mistyped script prints nothing and exits 1. Commands that need clean stdout pass `--silent` themselves.
 */
export function npmrcViolations(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line: i + 1, text: line.replace(/[#;].*$/, "").trim() }))
    .filter((l) => /^(?:loglevel\s*=\s*silent|silent\s*=\s*true)$/i.test(l.text))
    .map((l) => `.npmrc:${l.line}: ${l.text} hides npm's errors; pass --silent only where clean stdout is needed`);
}

/**
 * Every documented `npm run <script> … --json` passes `--silent` (or `-s`) before the script name: npm
 * prints a `> pkg@version script` banner on stdout, so without it the output is not one JSON document.
 */
export function documentedNpmJsonViolations(markdown: string, label: string): string[] {
  const violations: string[] = [];
  for (const c of markdownCommands(markdown)) {
    const m = /(?:^|\s)npm\s+(?:run|run-script)(?=\s)/.exec(c.text);
    if (!m) continue;
    const words = shellWords(c.text.slice(m.index + m[0].length));
    const script = words.findIndex((w) => !w.startsWith("-"));
    const separator = words.indexOf("--");
    const scriptArgs = separator < 0 ? [] : words.slice(separator + 1);
    if (!scriptArgs.includes("--json")) continue;
    if (!words.slice(0, script).some((w) => w === "--silent" || w === "-s" || w === "--loglevel=silent"))
      violations.push(
        `${label}:${c.line}: \`${c.text}\` prints npm's run banner before the JSON; use npm run --silent`,
      );
  }
  return violations;
}
