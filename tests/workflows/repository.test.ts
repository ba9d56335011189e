/**
 * Repository files around CI: Dependabot's config. Each check is also fed a bad document.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT, dependabotViolations } from "./repository-checks";

const read = (file: string): string => fs.readFileSync(path.join(REPO_ROOT, file), "utf8");

describe("Repository files around CI", () => {
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
