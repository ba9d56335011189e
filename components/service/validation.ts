/**
 * The checks HeliumService runs on its arguments before it registers anything: the service's own rules, its
 * fit with the foundation, and the policy pack's IAM rules on its roles' statements.
 */
import { isDeepStrictEqual } from "node:util";
import { permissionProblems } from "../../lib/iam";
import type { Problem } from "../../lib/input-error";
import { serviceProblems } from "../../model/service";
import type { HeliumServiceArgs } from "./args";
import { executionPolicyName, roleStatements, taskPolicyName } from "./roles";

/**
 * The rules of {@link serviceProblems}, the fit between the service and its foundation, and, when `name` (the
 * component's) is given, the policy pack's IAM rules on the roles' statements (lib/iam-rules.ts), so a
 * statement that breaks one registers nothing, at a first preview too.
 */
export function heliumServiceProblems(args: HeliumServiceArgs, name?: string): Problem[] {
  const { model, foundation } = args;
  const problems = serviceProblems(model, foundation.secretKeys).map((p) => ({ ...p, key: `model.${p.key}` }));
  if (model.region !== foundation.region || model.environment !== foundation.environment) {
    problems.push({
      key: "foundation",
      value: `${foundation.environment}/${foundation.region}`,
      allowed: `the region of the service (${model.environment}/${model.region})`,
    });
  }
  if (model.consumes.includes("database") && foundation.database === undefined) {
    problems.push({
      key: "model.consumes",
      value: model.consumes,
      allowed: 'no "database": the foundation has no database (helium:database is not set)',
    });
  }
  // The foundation opened network paths (ports, cache, peers) for the services of its model: this one must be
  // among them as it was then, or its target group, ports or connections would not match what is open.
  const built = foundation.model.services.find((s) => s.name === model.name);
  if (built !== undefined && !isDeepStrictEqual(built, model)) {
    for (const field of ["port", "consumes", "routes"] as const) {
      // A field already reported by the service's own rules is not reported twice.
      const reported = problems.some((p) => p.key === `model.${field}` || p.key.startsWith(`model.${field}[`));
      if (!reported && !isDeepStrictEqual(built[field], model[field])) {
        problems.push({
          key: `model.${field}`,
          value: model[field],
          allowed: `the ${field} the foundation opened paths for: ${JSON.stringify(built[field])} (rebuild the region with this service)`,
        });
      }
    }
  }
  if (foundation.logGroups[model.name] === undefined || foundation.serviceSecurityGroupIds[model.name] === undefined) {
    problems.push({
      key: "model.name",
      value: model.name,
      allowed: `a service the foundation was built for (${Object.keys(foundation.logGroups).join(", ") || "none"})`,
    });
  }
  if (model.serviceConnect !== undefined && foundation.serviceConnectNamespaceArn === undefined) {
    problems.push({
      key: "foundation.serviceConnectNamespaceArn",
      value: undefined,
      allowed: `the region's Service Connect namespace (${model.serviceConnect.namespace}): the service joins it`,
    });
  }
  if (model.exec && foundation.execSessionLogGroupArn === undefined) {
    problems.push({
      key: "foundation.execSessionLogGroupArn",
      value: undefined,
      allowed: "the region's ECS Exec session log group: the service opts in to ECS Exec",
    });
  }
  const statements = roleStatements(args);
  if (name !== undefined && statements !== undefined) {
    problems.push(
      ...permissionProblems(executionPolicyName(name), statements.execution),
      ...permissionProblems(taskPolicyName(name), statements.task),
    );
  }
  return problems;
}
