/**
 * The reviewed IAM allow-lists live in lib/iam-allowlists.ts, beside the rules (lib/iam-rules.ts) that the
 * pack and the program both apply; this module keeps the pack's import path.
 */
export * from "../../lib/iam-allowlists";
