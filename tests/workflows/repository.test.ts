/**
 * Repository files around CI: Dependabot's config and the command lines operators copy from the docs.
 * Each check is also fed a bad document.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import {
  REPO_ROOT,
  dependabotViolations,
  documentedBootstrapViolations,
  documentedPolicyPackViolations,
  markdownCommands,
  markdownSection,
} from "./repository-checks";

const read = (file: string): string => fs.readFileSync(path.join(REPO_ROOT, file), "utf8");

/** The operator docs whose commands must match what CI runs, and the heading of each one's bootstrap. */
const DOCS = ["README.md", "docs/delivery.md"];
const BOOTSTRAP_SECTIONS: Readonly<Record<string, string>> = {
  "README.md": "## Operating it",
  "docs/delivery.md": "## Bootstrap",
};

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

    for (const doc of DOCS) {
      it(`${doc}: the bootstrap installs the pack, creates shared, staging and production, and org-qualifies the references`, () => {
        const section = markdownSection(read(doc), BOOTSTRAP_SECTIONS[doc]);
        assert.ok(section !== undefined, `${doc} has a section "${BOOTSTRAP_SECTIONS[doc]}"`);
        assert.deepEqual(documentedBootstrapViolations(section, doc), []);
      });
    }

    it("fails on a bootstrap that creates only shared, installs the pack late, or leaves references bare", () => {
      const bad = [
        "```sh",
        "npm ci",
        "pulumi stack init shared && pulumi up -s shared --policy-pack policy-pack --policy-pack-config policy-config.json",
        "npm install --prefix policy-pack",
        "pulumi config set helium:sharedStack shared -s staging",
        "```",
      ].join("\n");
      assert.deepEqual(documentedBootstrapViolations(bad, "bad.md"), [
        "bad.md:4: the policy pack is installed after the first pulumi up",
        "bad.md: no command creates the staging stack (pulumi stack init <org>/helium/staging)",
        "bad.md: no command creates the production stack (pulumi stack init <org>/helium/production)",
        "bad.md: no command sets helium:sharedStack of staging to an organisation-qualified name (<org>/helium/shared)",
        "bad.md: no command sets helium:sharedStack of production to an organisation-qualified name (<org>/helium/shared)",
        "bad.md: no command sets helium:promoteFrom of production to an organisation-qualified name (<org>/helium/staging)",
      ]);
      // The section ends at the next heading of its level, keeping the file's line numbers.
      const doc = "# A\n## Bootstrap\n`pulumi stack init x`\n### Detail\ntext\n## Next\n`pulumi stack init y`";
      assert.equal(markdownSection(doc, "## Bootstrap"), "\n## Bootstrap\n`pulumi stack init x`\n### Detail\ntext\n\n");
      assert.equal(markdownSection(doc, "## Missing"), undefined);
      const late = "`pulumi up -s acme/helium/shared --yes`, then `pulumi stack init acme/helium/shared`";
      assert.ok(
        documentedBootstrapViolations(late, "late.md").includes(
          "late.md:1: the shared stack is created after the first pulumi up",
        ),
      );
    });

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
