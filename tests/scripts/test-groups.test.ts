/**
 * scripts/test-groups.ts and scripts/test.ts: how `npm test` splits the test files into its two mocha
 * processes, and how it adds up their counts.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { WHOLE_STACK_MODULES, splitTestFiles, testFiles } from "../../scripts/test-groups";
import { mochaSummary, summaryCounts } from "../../scripts/test";

const ROOT = path.resolve(__dirname, "..", "..");

/** The fixture's test files that reach an evaluating module, each by another import form (written below). */
const REACHING = [
  path.join("tests", "direct.test.ts"),
  path.join("tests", "side-effect.test.ts"),
  path.join("tests", "single-quoted-js.test.ts"),
  path.join("tests", "split-require.test.ts"),
  path.join("tests", "sub", "through-helper.test.ts"),
  path.join("tests", "type-only.test.ts"),
];

describe("npm test's two mocha processes (scripts/test-groups.ts)", () => {
  let dir: string;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "helium-test-groups-"));
    write("offline/evaluate.ts", "export const evaluateStack = 1;\n");
    write("tests/harness/cli.ts", "export const plan = 1;\n");
    write("tests/harness/helper.ts", 'import { plan } from "./cli";\nexport const x = plan;\n');
    write("tests/harness/cycle-a.ts", 'import type { B } from "./cycle-b";\nexport type A = B;\n');
    write("tests/harness/cycle-b.ts", 'import type { A } from "./cycle-a";\nexport type B = A;\n');
    write("lib/thing.ts", "export const thing = 1;\n");
    write("tests/direct.test.ts", 'import { evaluateStack } from "../offline/evaluate";\nvoid evaluateStack;\n');
    write("tests/sub/through-helper.test.ts", 'import { x } from "../harness/helper";\nvoid x;\n');
    write("tests/type-only.test.ts", 'import type { plan } from "./harness/cli";\nexport type P = typeof plan;\n');
    write(
      "tests/unit.test.ts",
      'import { thing } from "../lib/thing";\nimport type { A } from "./harness/cycle-a";\nvoid thing;\n',
    );
    write("tests/harness/side.ts", 'import "../../offline/evaluate";\n');
    write(
      "scripts/report.ts",
      "import { evaluateStack } from '../offline/evaluate.js';\nexport const r = evaluateStack;\n",
    );
    write("tests/side-effect.test.ts", 'import "./harness/side";\n');
    write("tests/single-quoted-js.test.ts", "import { r } from '../scripts/report.js';\nvoid r;\n");
    write("tests/split-require.test.ts", 'const cli = require(\n  "./harness/cli"\n);\nvoid cli;\n');
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("finds every *.test.ts, sorted, skipping dot names (editors' lock files)", () => {
    write("tests/.#unit.test.ts", "not a test");
    assert.deepEqual(testFiles(dir), [...REACHING, path.join("tests", "unit.test.ts")]);
  });

  it("a file that reaches an evaluating module by any import form, through tests or program modules, is whole-stack", () => {
    const groups = splitTestFiles(dir, testFiles(dir), [
      path.join("offline", "evaluate.ts"),
      path.join("tests", "harness", "cli.ts"),
    ]);
    assert.deepEqual(groups.wholeStack, REACHING);
    assert.deepEqual(groups.inProcess, [path.join("tests", "unit.test.ts")]);
  });

  it("on this repository: each file in exactly one group, whole-stack and component tests where they belong", () => {
    const files = testFiles(ROOT);
    const { wholeStack, inProcess } = splitTestFiles(ROOT, files);
    assert.deepEqual([...wholeStack, ...inProcess].sort(), files);
    assert.ok(wholeStack.includes(path.join("tests", "stacks", "environments.test.ts")));
    assert.ok(wholeStack.includes(path.join("tests", "scripts", "plan-cli.test.ts")));
    assert.ok(inProcess.includes(path.join("tests", "components", "Database.test.ts")));
    assert.ok(inProcess.includes(path.join("tests", "stacks", "references.test.ts")), "reads no evaluation");
    for (const marker of WHOLE_STACK_MODULES) assert.ok(fs.existsSync(path.join(ROOT, marker)), marker);
  });

  it("npm test adds up both processes' mocha counts, and says so when one printed none", () => {
    const text = "\n  1308 passing (34s)\n  2 pending\n  1 failing\n";
    assert.deepEqual(summaryCounts(text), { passing: 1308, failing: 1, pending: 2 });
    assert.equal(summaryCounts("Error: Cannot find module './x'"), undefined);
    const step = (name: string) => ({ name, args: [], stream: false });
    const finished = { step: step("a"), code: 0, seconds: 1, text: "  10 passing (1s)" };
    const crashed = { step: step("b"), code: 1, seconds: 1, text: "Error: Cannot find module './x'" };
    assert.match(
      mochaSummary([finished, { ...finished, step: step("b") }]),
      /── mocha in all: 20 passing, 0 failing, 0 pending/,
    );
    const summary = mochaSummary([finished, crashed]);
    assert.match(
      summary,
      /── mocha in all: INCOMPLETE \(10 passing, 0 failing, 0 pending in the processes that finished\)/,
    );
    assert.match(summary, /b: no summary \(exit code 1\)/);
  });
});
