import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { configReference } from "../../scripts/config-docs";
import { policyTable } from "../../scripts/policy-docs";

const README = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

describe("README", () => {
  it("holds the config reference generated from the schemas (npm run docs:config)", () => {
    const match = /<!-- CONFIG-REFERENCE:START -->\n([\s\S]*?)<!-- CONFIG-REFERENCE:END -->/.exec(README);
    assert.ok(match, "README has the CONFIG-REFERENCE markers");
    assert.equal(
      match[1].trim(),
      configReference().trim(),
      "README's table differs from the schema: run npm run docs:config and paste",
    );
  });

  it("holds the policy table generated from the pack (npm run docs:policies)", () => {
    const match = /<!-- POLICY-TABLE:START -->\n([\s\S]*?)<!-- POLICY-TABLE:END -->/.exec(README);
    assert.ok(match, "README has the POLICY-TABLE markers");
    assert.equal(
      match[1].trim(),
      policyTable().trim(),
      "README's policy table differs from the pack: run npm run docs:policies and paste",
    );
  });

  it("documents every key of every stack schema", () => {
    for (const key of [
      "sharedStack",
      "promoteFrom",
      "imageTag",
      "regions[].vpcCidr",
      "regions[].natGateways",
      "alerts.emails",
      "grafana.region",
      "kubeContext",
      "replicationRegions",
      "github.repository",
    ]) {
      assert.ok(README.includes(`\`${key}\``), `README mentions ${key}`);
    }
  });

  it("opens with the two quick-start commands", () => {
    const quickStart = README.slice(0, README.indexOf("## Architecture"));
    assert.ok(quickStart.includes("npm ci && npm run plan -- production"));
    assert.ok(quickStart.includes("npm ci && npm test"));
  });
});
