/**
 * Repository files around CI: Dependabot's config and the command lines operators copy from the docs.
 * Each check is also fed a bad document.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT, dependabotViolations, documentedPolicyPackViolations, markdownCommands } from "./repository-checks";

const read = (file: string): string => fs.readFileSync(path.join(REPO_ROOT, file), "utf8");

/** The operator docs whose commands must match what CI runs. */
const DOCS = ["README.md", "docs/delivery.md"];

describe("Repository files around CI", () => {
  describe("documented pulumi commands", () => {
    for (const doc of DOCS) {
      it(`${doc}: every pulumi preview and up runs the policy pack with policy-config.json`, () => {
        const text = read(doc);
        assert.ok(
          markdownCommands(text).some((c) => /pulumi (?:preview|up)\s/.test(c.text)),
          `${doc} documents pulumi commands`,
        );
        assert.deepEqual(documentedPolicyPackViolations(text, doc), []);
      });
    }

    it("fails on a documented preview or up without the pack's config, in a code block or a code span", () => {
      const bad = [
        "Apply shared:",
        "",
        "```sh",
        "npm ci && pulumi up -s shared \\",
        "  --policy-pack policy-pack --yes",
        "```",
        "",
        "Then `pulumi preview -s staging --policy-pack policy-pack [--policy-pack-config policy-config.json]`.",
        "CI runs `pulumi up -s production` on push; every `pulumi up` runs the pack.",
        "```mermaid",
        "flowchart LR",
        "  A[pulumi up -s staging] --> B",
        "```",
      ].join("\n");
      assert.deepEqual(documentedPolicyPackViolations(bad, "bad.md"), [
        "bad.md:4: `pulumi up -s shared --policy-pack policy-pack --yes` runs policy-pack without --policy-pack-config policy-config.json (found none), so the committed exemptions and levels never apply",
        "bad.md:8: `pulumi preview -s staging --policy-pack policy-pack [--policy-pack-config policy-config.json]` runs policy-pack without --policy-pack-config policy-config.json (found none), so the committed exemptions and levels never apply",
        "bad.md:9: `pulumi up -s production` runs without --policy-pack policy-pack (found none)",
      ]);
      const fixed = bad
        .replace(
          "--policy-pack policy-pack --yes",
          "--policy-pack policy-pack --policy-pack-config policy-config.json --yes",
        )
        .replace("[--policy-pack-config policy-config.json]", "--policy-pack-config policy-config.json")
        .replace("`pulumi up -s production`", "`pulumi up`");
      assert.deepEqual(documentedPolicyPackViolations(fixed, "fixed.md"), []);
    });
  });

  describe(".github/dependabot.yml", () => {
    const text = read(".github/dependabot.yml");

    it("updates GitHub Actions and npm (root and policy-pack) weekly, grouped", () => {
      assert.deepEqual(dependabotViolations(parse(text)), []);
    });

    it("fails without the npm entry, with a daily schedule, or with ungrouped updates", () => {
      const doc = parse(text) as { updates: Record<string, unknown>[] };
      const noNpm = { ...doc, updates: doc.updates.filter((u) => u["package-ecosystem"] !== "npm") };
      assert.deepEqual(dependabotViolations(noNpm), ["no update entry for npm"]);
      const daily = parse(text.replace(/interval: weekly/, "interval: daily"));
      assert.deepEqual(dependabotViolations(daily), ["github-actions: schedule interval must be weekly (found daily)"]);
      const ungrouped = {
        ...doc,
        updates: doc.updates.map((u) => (u["package-ecosystem"] === "github-actions" ? { ...u, groups: {} } : u)),
      };
      assert.deepEqual(dependabotViolations(ungrouped), [
        "github-actions: updates are not grouped (one PR per package)",
      ]);
      const rootOnly = parse(text.replace(`directories: ["/", "/policy-pack"]`, "directory: /"));
      assert.deepEqual(dependabotViolations(rootOnly), ["npm: directory /policy-pack is not covered"]);
      assert.deepEqual(dependabotViolations("updates: []"), ["dependabot config is not a mapping"]);
    });
  });
});
