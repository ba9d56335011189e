/**
 * The program's import graph, read from the source text: no cycles (type-only imports included: a cycle
 * through a type still ties two modules' designs together), and no product module imports test code.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const PRODUCT = ["index.ts", "components", "config", "lib", "model", "stacks", "policy-pack", "scripts", "offline"];

function productFiles(): string[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    const full = path.join(ROOT, relative);
    if (fs.statSync(full).isFile()) {
      if (relative.endsWith(".ts")) files.push(relative);
      return;
    }
    for (const entry of fs.readdirSync(full)) if (entry !== "node_modules") walk(path.join(relative, entry));
  };
  PRODUCT.forEach(walk);
  return files.sort();
}

const SPECIFIER =
  /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.[^"]+)"|\brequire\("(\.[^"]+)"\)|\bimport\("(\.[^"]+)"\)/g;

/** The repository files `file` imports by relative path (packages are not part of the graph). */
export function importsOf(file: string, source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(SPECIFIER)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    const base = path.join(path.dirname(file), specifier);
    const target = [`${base}.ts`, path.join(base, "index.ts"), base].find((f) => fs.existsSync(path.join(ROOT, f)));
    if (target !== undefined && target.endsWith(".ts")) found.push(target);
  }
  return found;
}

const AWS_SPECIFIER =
  /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"(@pulumi\/aws(?:\/[^"]*)?)"|\b(?:require|import)\("(@pulumi\/aws(?:\/[^"]*)?)"\)/g;

/** The `@pulumi/aws` modules `source` imports (the package or any of its paths). */
export function awsImportsOf(source: string): string[] {
  return [...source.matchAll(AWS_SPECIFIER)].map((m) => m[1] ?? m[2]);
}

/** What `pulumi up` runs: the program's own modules (not the offline runtime, the pack or the scripts). */
const PROGRAM = ["index.ts", "components", "config", "lib", "model", "stacks"];

/**
 * The only program modules that import @pulumi/aws: lib/aws.ts (the services the program uses) and
 * lib/aws-iam.ts (IAM resources that take only checked documents). Anything else reaching the provider
 * directly could register an IAM document that skipped the program-side check.
 */
const AWS_GATEWAYS = [path.join("lib", "aws.ts"), path.join("lib", "aws-iam.ts")];

/** Every cycle's modules (Tarjan's strongly connected components of more than one module, or a self-import). */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string) => {
    order.set(node, index);
    low.set(node, index++);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!order.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node) ?? 0, order.get(next) ?? 0));
    }
    if (low.get(node) === order.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member !== undefined) component.push(member);
      } while (member !== node && member !== undefined);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!order.has(node)) visit(node);
  return found;
}

describe("the program's import graph", () => {
  const graph = new Map(productFiles().map((f) => [f, importsOf(f, fs.readFileSync(path.join(ROOT, f), "utf8"))]));

  it("reads the program's modules and their imports", () => {
    assert.ok(graph.size > 100, `${graph.size} modules`);
    assert.ok(graph.get("index.ts")?.includes(path.join("stacks", "index.ts")), "index.ts imports stacks/index.ts");
  });

  it("has no import cycles, type-only imports included", () => {
    assert.deepEqual(cycles(graph), []);
  });

  it("no product module imports from tests/", () => {
    const intoTests = [...graph].flatMap(([file, imports]) =>
      imports.filter((i) => i.startsWith(`tests${path.sep}`)).map((i) => `${file} → ${i}`),
    );
    assert.deepEqual(intoTests, []);
  });

  it("the program imports @pulumi/aws only through lib/aws.ts, so IAM documents go through lib/aws-iam.ts", () => {
    const program = [...graph.keys()].filter((f) => PROGRAM.some((p) => f === p || f.startsWith(`${p}${path.sep}`)));
    assert.ok(program.length > 100, `${program.length} program modules`);
    const direct = program
      .filter((f) => !AWS_GATEWAYS.includes(f))
      .flatMap((f) => awsImportsOf(fs.readFileSync(path.join(ROOT, f), "utf8")).map((i) => `${f} → ${i}`));
    assert.deepEqual(direct, []);
    assert.deepEqual(awsImportsOf(fs.readFileSync(path.join(ROOT, "lib", "aws-iam.ts"), "utf8")), [
      "@pulumi/aws/iam",
      "@pulumi/aws/iam",
    ]);
  });

  it("reads every form of an @pulumi/aws import", () => {
    const source = [
      'import * as aws from "@pulumi/aws";',
      'import { Role } from "@pulumi/aws/iam";',
      'export * from "@pulumi/aws/s3";',
      'const iam = require("@pulumi/aws/iam");',
      'const lazy = import("@pulumi/aws");',
      'import * as pulumi from "@pulumi/pulumi";',
      'import * as awsx from "@pulumi/awsx";',
    ].join("\n");
    assert.deepEqual(awsImportsOf(source), [
      "@pulumi/aws",
      "@pulumi/aws/iam",
      "@pulumi/aws/s3",
      "@pulumi/aws/iam",
      "@pulumi/aws",
    ]);
  });

  it("finds a cycle, through a type import too, and none in a chain", () => {
    const typeCycle = importsOf("model/a.ts", 'import type { B } from "./image";\nexport {};');
    assert.deepEqual(typeCycle, [path.join("model", "image.ts")]);
    assert.deepEqual(
      cycles(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
          ["c", ["a"]],
          ["d", ["a"]],
        ]),
      ),
      [["a", "b", "c"]],
    );
    assert.deepEqual(cycles(new Map([["a", ["a"]]])), [["a"]]);
    assert.deepEqual(
      cycles(
        new Map([
          ["a", ["b"]],
          ["b", ["c"]],
        ]),
      ),
      [],
    );
  });
});
