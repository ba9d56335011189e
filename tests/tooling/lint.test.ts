/**
 * What `npm run check` (`oxlint --type-aware --type-check` with .oxlintrc.json) reports, on a small program
 * written outside the repository: an Output in a template literal (what @pulumi/eslint-plugin reported
 * before; restrict-template-expressions reports it now), a floating promise, and a type error.
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
// The package exports no bin path; npm installs it here.
const OXLINT = path.join(ROOT, "node_modules", "oxlint", "bin", "oxlint");

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
declare const arn: pulumi.Output<string>;
export const inTemplate = \`arn is \${arn}\`;
export const interpolated = pulumi.interpolate\`arn is \${arn}\`;
export const count = 3;
export const counted = \`\${count} items\`;
export async function work(): Promise<void> {
  await Promise.resolve();
  Promise.resolve(1);
}
export const wrongType: number = "three";
`;

interface Finding {
  readonly rule: string;
  readonly line: number;
}

describe("the linter and type check (.oxlintrc.json)", () => {
  let findings: Finding[];
  let exitCode: number | null;

  before(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "helium-lint-"));
    // The repository's packages, for @pulumi/pulumi's types; only program.ts is linted (named below).
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, "tsconfig.json"), "utf8")) as {
      compilerOptions: Record<string, unknown>;
    };
    const compilerOptions = { ...tsconfig.compilerOptions, types: [] };
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["program.ts"] }));
    fs.writeFileSync(path.join(dir, "program.ts"), PROGRAM);
    const args = [OXLINT, "-c", path.join(ROOT, ".oxlintrc.json"), "--type-aware", "--type-check", "--format", "json"];
    const output = await new Promise<{ code: number | null; stdout: string }>((resolve) =>
      execFile(process.execPath, [...args, "program.ts"], { cwd: dir }, (error, stdout) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : null) : 0, stdout }),
      ),
    );
    fs.rmSync(dir, { recursive: true, force: true });
    exitCode = output.code;
    const report = JSON.parse(output.stdout) as {
      diagnostics: Array<{ code: string; labels: Array<{ span: { line: number } }> }>;
    };
    findings = report.diagnostics.map((d) => ({ rule: d.code, line: d.labels[0]?.span.line ?? 0 }));
  });

  const rulesOnLine = (line: number) => findings.filter((f) => f.line === line).map((f) => f.rule);

  it("fails the run when anything is reported", () => {
    assert.equal(exitCode, 1);
  });

  it("reports an Output in a template literal, and passes pulumi.interpolate and a number", () => {
    assert.ok(rulesOnLine(3).includes("typescript(restrict-template-expressions)"), JSON.stringify(findings));
    assert.deepEqual(rulesOnLine(4), []);
    assert.deepEqual(rulesOnLine(6), []);
  });

  it("reports a floating promise (type-aware) and a type error (the TypeScript check)", () => {
    assert.deepEqual(rulesOnLine(9), ["typescript(no-floating-promises)"]);
    assert.deepEqual(rulesOnLine(11), ["typescript(TS2322)"]);
  });
});
