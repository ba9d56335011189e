/**
 * What every part of a KubernetesApp needs to register its objects: the parent, the name prefix, the
 * namespace and the labels shared by every object. The parts are plain functions, not sub-components, so
 * each object stays a direct child of the KubernetesApp and keeps the URN it had before the split.
 */
import type * as pulumi from "@pulumi/pulumi";

export interface AppContext {
  /** The KubernetesApp; every object is registered with `parent: <it>` and inherits its provider. */
  readonly parent: pulumi.Resource;
  /** Prefix of every object name (`helium-backend`, `helium-redis`, …). */
  readonly prefix: string;
  /** Name of the namespace, an Output of the Namespace object so every object waits for it. */
  readonly namespace: pulumi.Output<string>;
  /** Labels on every object. */
  readonly partOf: Readonly<Record<string, string>>;
}

export type Labels = Record<string, string>;

export function childOf(ctx: AppContext): pulumi.CustomResourceOptions {
  return { parent: ctx.parent };
}

/** `helium-backend` for service `backend`. */
export function appName(ctx: AppContext, service: string): string {
  return `${ctx.prefix}-${service}`;
}

/** The immutable Deployment selector (and Service selector) of one app: its name within this prefix. */
export function selectorOf(ctx: AppContext, name: string): Labels {
  return { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": ctx.prefix };
}
