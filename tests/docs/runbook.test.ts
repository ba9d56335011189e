/**
 * The operator docs (runbook, failover, cost) say only what the program does: every `pulumi preview` / `up` they
 * show runs the policy pack with its config, and every `pulumi config set --path` they show is accepted by the
 * environment schema, applied the way the Pulumi CLI applies it, except the one key the runbook proposes (and
 * says is not in the program yet).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseStackConfig } from "../../config/stack";
import { InputError } from "../../lib/input-error";
import { readStackFile } from "../../offline/pulumi-yaml";
import {
  REPO_ROOT,
  documentedNpmJsonViolations,
  documentedPolicyPackViolations,
  markdownCommands,
} from "../workflows/repository-checks";
import { shellWords } from "../workflows/workflow-checks";

const DOCS = ["docs/runbook.md", "docs/failover.md", "docs/cost.md"];
/** The key the runbook proposes for a Redis restore; it must be documented as missing while the schema lacks it. */
const PROPOSED_KEY = "helium:regions[0].redisSnapshotName";

const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), "utf8");

/** `helium:regions[1].trafficDialPercent` → ["helium:regions", 1, "trafficDialPercent"]. */
function pathSegments(key: string): (string | number)[] {
  const [head, ...rest] = key.split(/(?=[.[])/);
  return [
    head,
    ...rest.map((part) => (part.startsWith("[") ? Number(part.slice(1, -1)) : part.slice(1))).filter((p) => p !== ""),
  ];
}

/** A value as `pulumi config set --path` stores it: true/false and integers become YAML booleans and numbers. */
function pathValue(text: string): unknown {
  if (text === "true" || text === "false") return text === "true";
  if (/^-?\d+$/.test(text)) return Number(text);
  return text;
}

/** Applies `pulumi config set --path <key> <value>` to a flat config map (structured values are JSON text). */
function applyConfigSet(config: Record<string, string>, key: string, value: string): void {
  const [top, ...segments] = pathSegments(key);
  const topKey = String(top);
  if (segments.length === 0) {
    config[topKey] = value;
    return;
  }
  const root: unknown =
    config[topKey] === undefined ? (typeof segments[0] === "number" ? [] : {}) : JSON.parse(config[topKey]);
  let node = root as Record<string | number, unknown>;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) node[segment] = pathValue(value);
    else {
      node[segment] ??= typeof segments[i + 1] === "number" ? [] : {};
      node = node[segment] as Record<string | number, unknown>;
    }
  });
  config[topKey] = JSON.stringify(root);
}

/** `pulumi config set [--secret] --path <key> <value> -s …` commands of a document, placeholders filled in. */
function documentedConfigSets(markdown: string): Array<{ line: number; key: string; value: string }> {
  return markdownCommands(markdown)
    .filter((c) => c.fenced && /^pulumi config set\s/.test(c.text.trim()) && c.text.includes("--path"))
    .map((c) => {
      const words = shellWords(c.text.trim()).slice(3);
      const positional = words.filter((w, i) => !w.startsWith("-") && !["-s", "--stack"].includes(words[i - 1] ?? ""));
      const value = (positional[1] ?? "").replace(/<[^>]*>/g, "x");
      return { line: c.line, key: positional[0], value };
    });
}

describe("operator docs", () => {
  for (const doc of DOCS) {
    it(`${doc}: every pulumi preview and up runs the policy pack with policy-config.json; JSON from npm is --silent`, () => {
      assert.deepEqual(documentedPolicyPackViolations(read(doc), doc), []);
      assert.deepEqual(documentedNpmJsonViolations(read(doc), doc), []);
    });
  }

  it("docs/runbook.md: every `pulumi config set --path` it shows is a key production's schema accepts", () => {
    const sets = documentedConfigSets(read("docs/runbook.md"));
    assert.ok(sets.length >= 4, "the runbook shows its config commands");
    const accepted: string[] = [];
    for (const { line, key, value } of sets) {
      const config = { ...readStackFile("production").config };
      applyConfigSet(config, key, value);
      // A lone override tag needs its reason (the runbook sets both): supply it so each line is judged alone.
      if (key === "helium:imageOverride.tag") applyConfigSet(config, "helium:imageOverride.reason", "r");
      if (key === "helium:imageOverride.reason") applyConfigSet(config, "helium:imageOverride.tag", "v1");
      try {
        parseStackConfig({ stack: "production", config });
        accepted.push(key);
      } catch (error) {
        assert.ok(InputError.isInputError(error), String(error));
        assert.equal(key, PROPOSED_KEY, `runbook line ${line}: ${key} is rejected: ${error.message}`);
      }
    }
    assert.ok(accepted.includes("helium:imageOverride.tag"));
    assert.ok(accepted.includes("helium:regions[1].trafficDialPercent"));
    assert.ok(accepted.includes("helium:appSecrets.PAYMENT_API_KEY"));
  });

  it("docs/runbook.md says the Redis restore key is a proposal exactly while the schema lacks it", () => {
    const config = { ...readStackFile("production").config };
    applyConfigSet(config, PROPOSED_KEY, "snap");
    let exists = true;
    try {
      parseStackConfig({ stack: "production", config });
    } catch {
      exists = false;
    }
    assert.equal(
      read("docs/runbook.md").includes("**The program has no config key for `snapshotName` today**"),
      !exists,
      "update the runbook's Redis section when the key lands",
    );
  });

  it("the config-set helper applies paths as the Pulumi CLI does (numbers stay numbers)", () => {
    const config: Record<string, string> = { "helium:regions": JSON.stringify([{ region: "a" }, { region: "b" }]) };
    applyConfigSet(config, "helium:regions[1].trafficDialPercent", "0");
    applyConfigSet(config, "helium:imageOverride.tag", "v1");
    assert.deepEqual(JSON.parse(config["helium:regions"]), [{ region: "a" }, { region: "b", trafficDialPercent: 0 }]);
    assert.deepEqual(JSON.parse(config["helium:imageOverride"]), { tag: "v1" });
  });
});
