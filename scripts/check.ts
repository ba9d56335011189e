/**
 * `npm run check`: the type check (what `tsc --noEmit -p .` reports) and the linter (what `eslint .`
 * reports, typescript-eslint's type-checked rules included) on ONE TypeScript program.
 *
 * Why: `tsc` and typed ESLint each built the same program and type-checked it: half the time of both was
 * the same work done twice. Here the program is built once, `getPreEmitDiagnostics` checks it, and ESLint
 * gets it through `parserOptions.programs`, so its typed rules read types the checker already computed.
 * The rules and the files are eslint.config.mjs's; the diagnostics are tsc's.
 *
 * It also runs the program rules that need types (every IAM document built by lib/iam.ts's checked
 * builders: scripts/iam-call-sites.ts) on the same program.
 *
 * Exit code 1 when the type check, a program rule or the linter reports an error (warnings do not fail, as with `eslint .`).
 */
import * as path from "path";
import { ESLint } from "eslint";
import * as ts from "typescript";
import { iamCallSiteProblems, iamCallSites } from "./iam-call-sites";

const ROOT = path.resolve(__dirname, "..");

function typeCheck(): { program: ts.Program; errors: number } {
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => "\n",
  };
  const configFile = path.join(ROOT, "tsconfig.json");
  const read = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, configFile);
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences ?? [],
    configFileParsingDiagnostics: parsed.errors,
  });
  const diagnostics = [
    ...(read.error !== undefined ? [read.error] : []),
    ...parsed.errors,
    ...ts.getPreEmitDiagnostics(program),
  ];
  if (diagnostics.length > 0) {
    process.stdout.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
    process.stdout.write(`\nFound ${diagnostics.length} type-check problem(s).\n`);
  }
  const errors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
  return { program, errors };
}

async function lint(program: ts.Program): Promise<number> {
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: { languageOptions: { parserOptions: { programs: [program] } } },
  });
  const results = await eslint.lintFiles(["."]);
  const formatter = await eslint.loadFormatter("stylish");
  const text = await formatter.format(results);
  if (text !== "") process.stdout.write(`${text}\n`);
  return results.reduce((n, r) => n + r.errorCount + r.fatalErrorCount, 0);
}

/** Rules that read the checked program's types (scripts/iam-call-sites.ts); returns their problem count. */
function programRules(program: ts.Program): number {
  const found = iamCallSites(program, ROOT);
  // Finding none means the reader no longer sees the program's IAM resources: that must fail too.
  const problems =
    found.sites.length === 0
      ? ["no IAM document call sites found in components/, stacks/, lib/"]
      : iamCallSiteProblems(found);
  for (const problem of problems) process.stdout.write(`IAM document not checked: ${problem}\n`);
  return problems.length;
}

async function main(): Promise<number> {
  const { program, errors } = typeCheck();
  const ruleErrors = programRules(program);
  const lintErrors = await lint(program);
  return errors > 0 || ruleErrors > 0 || lintErrors > 0 ? 1 : 0;
}

void main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
