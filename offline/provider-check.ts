/**
 * What the provider's Check does to a resource's inputs before the engine hands them to the policy pack,
 * where it changes what a policy can read. pulumi-aws maps IAM policy documents with the bridge's
 * `TransformJSONDocument` (provider/resources.go; pulumi-terraform-bridge pkg/tfbridge/transforms.go):
 * a document given as an object becomes its JSON text, and a document with ANY unknown leaf becomes one
 * unknown string, so at preview no part of it can be read (research notes §2).
 */
import { UNKNOWN, containsUnknownValue } from "./unknowns";

/** Resource type → its inputs that are JSON documents transformed by Check. */
const JSON_DOCUMENT_INPUTS: Readonly<Record<string, readonly string[]>> = {
  "aws:iam/policy:Policy": ["policy"],
  "aws:iam/rolePolicy:RolePolicy": ["policy"],
  "aws:iam/role:Role": ["assumeRolePolicy"],
  "aws:iam/groupPolicy:GroupPolicy": ["policy"],
  "aws:iam/userPolicy:UserPolicy": ["policy"],
};

function jsonDocument(value: unknown): unknown {
  if (containsUnknownValue(value)) return UNKNOWN;
  return typeof value === "object" && value !== null ? JSON.stringify(value) : value;
}

/** The inputs as Check returns them, for the fields above; every other input unchanged. */
export function checkedInputs(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const fields = JSON_DOCUMENT_INPUTS[type];
  if (fields === undefined) return inputs;
  const checked = { ...inputs };
  for (const field of fields) if (field in checked) checked[field] = jsonDocument(checked[field]);
  return checked;
}
