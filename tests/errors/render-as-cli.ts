/**
 * What an operator sees when the program fails: the Node runtime's handler for an uncaught error or unhandled
 * rejection (`@pulumi/pulumi` cmd/run/run.js `uncaughtHandler`, see /work/notes/research-policy-preview.md §5),
 * reproduced branch by branch. The last branch calls the SDK's own `defaultErrorMessage`, so an error that is
 * not a RunError is rendered exactly as the CLI renders it (util.inspect: stack trace and own fields).
 */
import * as assert from "node:assert/strict";
import { stripVTControlCharacters } from "node:util";
import * as pulumi from "@pulumi/pulumi";

interface RunErrorModule {
  /** `@internal` in the SDK, so not in its typings; the CLI calls it for every error that is not a RunError. */
  readonly defaultErrorMessage: (err: unknown) => string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the typings omit this @internal module's export
const { defaultErrorMessage } = require("@pulumi/pulumi/cmd/run/error") as RunErrorModule;

/** The program path the CLI names in "Running program '…' failed"; any path will do for the tests. */
export const PROGRAM = "/work/helium";

/**
 * The text the CLI prints for `err` as an `error:` diagnostic, without colours. Mirrors the handler's branches:
 * RunError → its message; TSError/SyntaxError → the program line and the message with its location;
 * ResourceError → its message when `hideStack`, else `defaultErrorMessage`; anything else → the program line
 * and `defaultErrorMessage(err)`.
 */
export function renderAsCli(err: unknown, program: string = PROGRAM): string {
  return stripVTControlCharacters(render(err, program));
}

function render(err: unknown, program: string): string {
  if (pulumi.RunError.isInstance(err)) return err.message;
  const error = err as { name?: unknown; message?: unknown; stack?: unknown } | null | undefined;
  if (error?.name === "TSError" || error?.name === SyntaxError.name) {
    const message = String(error.message);
    const parts = (typeof error.stack === "string" ? error.stack : "").split(message);
    const located = parts.length === 2 ? parts[0] + message : message;
    return `Running program '${program}' failed with an unhandled exception:\n${located}`;
  }
  if (pulumi.ResourceError.isInstance(err)) return err.hideStack ? err.message : defaultErrorMessage(err);
  return `Running program '${program}' failed with an unhandled exception:\n${defaultErrorMessage(err)}`;
}

/** A line of a stack trace, as util.inspect prints it: `    at fn (file:line:col)`. */
const STACK_TRACE_LINE = /^\s+at .+/m;

/**
 * Asserts that the CLI's text for `err` is readable: it contains `headline` and, for each `[key, value]`, a
 * line naming the key with that value; it has no object dumps (`[Object]`, `[object Object]`), no stack trace
 * and no "Running program … failed with an unhandled exception" preamble. Returns the rendered text.
 */
export function assertReadableAsCli(
  err: unknown,
  headline: string,
  problems: ReadonlyArray<readonly [key: string, value: string]>,
): string {
  const text = renderAsCli(err);
  assert.ok(text.includes(headline), `the headline "${headline}" is printed:\n${text}`);
  const lines = text.split("\n");
  for (const [key, value] of problems) {
    assert.ok(
      lines.some((line) => line.includes(`${key}: ${value}`)),
      `a line names ${key} with its value ${value}:\n${text}`,
    );
  }
  assert.ok(!text.includes("[Object]"), `no nested object dump:\n${text}`);
  assert.ok(!text.includes("[object Object]"), `no stringified object:\n${text}`);
  assert.doesNotMatch(text, STACK_TRACE_LINE, `no stack trace`);
  assert.ok(!text.includes("failed with an unhandled exception"), `not printed as an unhandled exception:\n${text}`);
  return text;
}
