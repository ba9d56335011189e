/**
 * How traffic finds the services: a ClusterIP Service per service with a port, and one Ingress holding
 * the services' ALB routes as Ingress paths. Who may send that traffic is network-policy.ts.
 *
 * A service that another service consumes also gets a Service named after it alone (`backend`), on its ECS
 * port: the name and port its consumers call on ECS through Service Connect (`http://backend:8000`), so one
 * image runs unchanged on both platforms.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { type IngressPath, type KubernetesServiceSpec, ingressPathFor } from "../../lib/kubernetes";
import { APP_PORT_NAME } from "../../lib/platform";
import { type AppContext, childOf } from "./context";
import type { Workload } from "./workloads";

type IngressRule = k8s.types.input.networking.v1.IngressRule;

/** One Ingress path to one Service. */
export interface IngressRoute {
  readonly host: string | undefined;
  readonly path: IngressPath;
  readonly serviceName: pulumi.Output<string>;
  readonly port: number;
}

/** The ClusterIP Service of a workload listening on `port`, named like its Deployment. */
export function createService(ctx: AppContext, workload: Workload, port: number): pulumi.Output<string> {
  const service = new k8s.core.v1.Service(
    workload.name,
    {
      metadata: { name: workload.name, namespace: ctx.namespace, labels: workload.labels },
      spec: {
        type: "ClusterIP",
        selector: workload.selector,
        ports: [{ name: "http", port, targetPort: "http", protocol: "TCP" }],
      },
    },
    childOf(ctx),
  );
  return service.metadata.name;
}

/**
 * The Service `<service>` (e.g. `backend`) on `port` (the ECS port consumers call), forwarding to the pods'
 * named container port: the Service Connect name of the service, resolvable in the app's namespace.
 */
export function createServiceAlias(
  ctx: AppContext,
  service: string,
  workload: Workload,
  port: number,
): pulumi.Output<string> {
  const alias = new k8s.core.v1.Service(
    `${workload.name}-alias`,
    {
      metadata: { name: service, namespace: ctx.namespace, labels: workload.labels },
      spec: {
        type: "ClusterIP",
        selector: workload.selector,
        ports: [{ name: APP_PORT_NAME, port, targetPort: APP_PORT_NAME, protocol: "TCP" }],
      },
    },
    childOf(ctx),
  );
  return alias.metadata.name;
}

/** The service's ALB routes as Ingress paths: one per path pattern and host (`ingressHost` when it names none). */
export function ingressRoutesFor(
  spec: KubernetesServiceSpec,
  serviceName: pulumi.Output<string>,
  port: number,
  defaultHost: string | undefined,
): IngressRoute[] {
  const routes: IngressRoute[] = [];
  for (const route of spec.routes) {
    const hosts = route.hostHeaders ?? [defaultHost];
    for (const pattern of route.pathPatterns ?? ["/*"]) {
      const path = ingressPathFor(pattern) as IngressPath; // validated in the KubernetesApp constructor
      for (const host of hosts) routes.push({ host, path, serviceName, port });
    }
  }
  return routes;
}

/** One Ingress with a rule per host; it waits for `dependsOn` (the controller, whose admission webhook must be up). */
export function createIngress(
  ctx: AppContext,
  routes: readonly IngressRoute[],
  ingressClassName: string,
  dependsOn: pulumi.Resource[],
): k8s.networking.v1.Ingress {
  const hosts = [...new Set(routes.map((p) => p.host))];
  const rules: IngressRule[] = hosts.map((host) => ({
    host,
    http: {
      paths: routes
        .filter((p) => p.host === host)
        .map((p) => ({
          path: p.path.path,
          pathType: p.path.pathType,
          backend: { service: { name: p.serviceName, port: { number: p.port } } },
        })),
    },
  }));
  return new k8s.networking.v1.Ingress(
    ctx.prefix,
    {
      metadata: { name: ctx.prefix, namespace: ctx.namespace, labels: ctx.partOf },
      spec: { ingressClassName, rules },
    },
    { ...childOf(ctx), dependsOn },
  );
}
