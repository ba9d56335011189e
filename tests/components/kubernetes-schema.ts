/**
 * Validates recorded Kubernetes objects against the official OpenAPI schemas (kubernetes-models), so a
 * misspelt or misplaced field fails a test even though the mock engine accepts anything.
 *
 * kubernetes-models checks types, formats and required fields but, like the OpenAPI schemas, lets unknown
 * fields through (`spec.replica: 2` would pass). The API server drops such fields silently, so we also
 * reject them: the data is validated through a Proxy that records every property the compiled schema
 * reads; a key the schema never read is not part of the schema.
 */
import * as pulumi from "@pulumi/pulumi";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import type { RecordedResource } from "../../offline/types";

type ModelClass = { prototype: { validate(): void } };

/** Pulumi type token → the kubernetes-models class for that apiVersion/kind. */
export const KUBERNETES_MODELS: Readonly<Record<string, ModelClass>> = {
  "kubernetes:core/v1:Namespace": Namespace,
  "kubernetes:core/v1:Secret": Secret,
  "kubernetes:core/v1:Service": Service,
  "kubernetes:apps/v1:Deployment": Deployment,
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "kubernetes:policy/v1:PodDisruptionBudget": PodDisruptionBudget,
  "kubernetes:networking.k8s.io/v1:Ingress": Ingress,
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": NetworkPolicy,
};

/** Types that are Pulumi constructs rather than Kubernetes API objects: nothing to validate. */
const NOT_API_OBJECTS = new Set(["kubernetes:helm.sh/v3:Release"]);

/** True for a value the runtime serialised as a secret (`{ <sig>: <secret sig>, value }`). */
export function isSecretEnvelope(value: unknown): value is { value: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig
  );
}

/** The value with every secret envelope replaced by its content. */
export function revealSecrets(value: unknown): unknown {
  if (isSecretEnvelope(value)) return revealSecrets(value.value);
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealSecrets(v)]));
  }
  return value;
}

/** Kubernetes API objects among `resources` (custom resources of the kubernetes package, not providers). */
export function kubernetesObjects(resources: readonly RecordedResource[]): RecordedResource[] {
  return resources.filter((r) => r.type.startsWith("kubernetes:") && !NOT_API_OBJECTS.has(r.type));
}

/** Wraps `value` so that every own property read (at any depth) is added to `read` as a JSON pointer. */
function recordingReads(value: unknown, pointer: string, read: Set<string>): unknown {
  if (typeof value !== "object" || value === null) return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === "string" && Object.prototype.hasOwnProperty.call(target, key)) {
        read.add(`${pointer}/${key}`);
        return recordingReads((target as Record<string, unknown>)[key], `${pointer}/${key}`, read);
      }
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

function allPointers(value: unknown, pointer: string, out: string[]): string[] {
  if (typeof value === "object" && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      out.push(`${pointer}/${key}`);
      allPointers(child, `${pointer}/${key}`, out);
    }
  }
  return out;
}

/** Drops undefined members, as the engine does when it serialises inputs. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, withoutUndefined(v)]),
    );
  }
  return value;
}

/** Validates one object (apiVersion, kind, metadata, spec, …) of a Pulumi type token; throws naming every problem. */
export function validateObject(type: string, object: Record<string, unknown>, label = type): void {
  const Model = KUBERNETES_MODELS[type];
  if (Model === undefined)
    throw new Error(`no kubernetes-models class registered for ${type} (${label}); add it to KUBERNETES_MODELS`);
  const data = withoutUndefined(object);
  const read = new Set<string>();
  try {
    // The compiled validator reads the fields off `this`; hand it the recording proxy instead of a model copy.
    Model.prototype.validate.call(recordingReads(data, "", read));
  } catch (error) {
    throw new Error(`${label} violates the Kubernetes schema: ${(error as Error).message}`, { cause: error });
  }
  // Report only the outermost unread key: the children of an unknown field are unread too.
  const unknown = allPointers(data, "", []).filter((p) => {
    const parent = p.slice(0, p.lastIndexOf("/"));
    return !read.has(p) && (parent === "" || read.has(parent));
  });
  if (unknown.length > 0)
    throw new Error(`${label} has fields the Kubernetes schema does not define: ${unknown.join(", ")}`);
}

/** Throws, naming the resource, when its inputs violate the official schema or its type has no model. */
export function validateAgainstSchema(resource: RecordedResource): void {
  validateObject(
    resource.type,
    revealSecrets(resource.inputs) as Record<string, unknown>,
    `${resource.type} ${resource.name}`,
  );
}
