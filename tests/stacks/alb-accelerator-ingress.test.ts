/**
 * `helium:alb.acceptOnlyFromAccelerator` (docs/security.md, "ALB ingress from the accelerator only"): each
 * region's ALB group loses its 0.0.0.0/0 ingress and is opened on 80/443 to the `GlobalAccelerator` group GA
 * creates in that VPC, looked up once the endpoint group exists. At a first preview the lookup cannot run:
 * the rules are still planned (nothing is created inside an apply), with an unknown source.
 */
import assert from "node:assert/strict";
import { ACCELERATOR_SECURITY_GROUP_NAME, globalEdgeProblems } from "../../components/edge/GlobalEdge";
import { evaluateStack } from "../../offline/evaluate";
import { previewGap } from "../../offline/first-preview";
import { mockCallResult } from "../../offline/mock-outputs";
import type { RecordedResource, StackEvaluation } from "../../offline/types";
import { UNKNOWN } from "../../offline/unknowns";
import { runPolicyPack } from "../../policy-pack/engine";
import { environmentModel } from "../fixtures/models";
import { startEvaluations } from "../harness/prefetch";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const ENDPOINT_GROUP = "aws:globalaccelerator/endpointGroup:EndpointGroup";
const ON = { "helium:alb": JSON.stringify({ acceptOnlyFromAccelerator: true }) };

const albGroups = (e: StackEvaluation) =>
  e.resources.filter((r) => r.type === SECURITY_GROUP && /-alb-sg$/.test(r.name));
const rulesInto = (e: StackEvaluation, group: RecordedResource) =>
  e.resources.filter((r) => r.type === INGRESS && (r.propertyDependencies.securityGroupId ?? []).includes(group.urn));

describe("ALB ingress from Global Accelerator only (helium:alb.acceptOnlyFromAccelerator)", function () {
  this.timeout(300_000);
  startEvaluations(
    ["staging", "production"].flatMap((stack) => [
      [stack, { configOverrides: ON }],
      [stack, { configOverrides: ON, mode: "preview" }],
    ]),
  );

  it("is off in the committed stacks: the ALB accepts 80/443 from 0.0.0.0/0", async () => {
    const production = await evaluateStack("production");
    for (const group of albGroups(production)) {
      const rules = rulesInto(production, group);
      assert.deepEqual(
        rules.map((r) => [r.inputs.fromPort, r.inputs.cidrIpv4]),
        [
          [80, "0.0.0.0/0"],
          [443, "0.0.0.0/0"],
        ],
        group.name,
      );
    }
  });

  for (const stack of ["staging", "production"]) {
    it(`${stack}, update: each ALB group accepts 80/443 only from its VPC's GlobalAccelerator group`, async () => {
      const evaluation = await evaluateStack(stack, { configOverrides: ON });
      const groups = albGroups(evaluation);
      assert.ok(groups.length > 0);
      for (const group of groups) {
        const vpcId = String(group.inputs.vpcId);
        const accelerator = mockCallResult(
          "aws:ec2/getSecurityGroup:getSecurityGroup",
          { region: group.region, vpcId, name: ACCELERATOR_SECURITY_GROUP_NAME },
          "ap-south-1",
        );
        const rules = rulesInto(evaluation, group);
        assert.deepEqual(
          rules.map((r) => [
            r.inputs.fromPort,
            r.inputs.toPort,
            r.inputs.ipProtocol,
            r.inputs.referencedSecurityGroupId,
            r.inputs.cidrIpv4,
          ]),
          [
            [80, 80, "tcp", accelerator.id, undefined],
            [443, 443, "tcp", accelerator.id, undefined],
          ],
          group.name,
        );
        // The lookup waited for the region's endpoint group, and a destroy removes the rules first.
        const endpointGroup = evaluation.resources.find(
          (r) => r.type === ENDPOINT_GROUP && r.inputs.endpointGroupRegion === group.region,
        );
        assert.ok(endpointGroup);
        for (const rule of rules) assert.ok(rule.dependencies.includes(endpointGroup.urn), rule.name);
      }
      const report = runPolicyPack(evaluation.resources);
      assert.equal(report.mandatoryCount, 0);
    });

    it(`${stack}, first preview: the same rules are planned with an unknown source; nothing only at update`, async () => {
      const [update, preview, committed] = await Promise.all([
        evaluateStack(stack, { configOverrides: ON }),
        evaluateStack(stack, { configOverrides: ON, mode: "preview" }),
        evaluateStack(stack, { mode: "preview" }),
      ]);
      assert.deepEqual(previewGap(update, preview), { onlyAtUpdate: [], onlyAtPreview: [] });
      for (const group of albGroups(preview)) {
        const rules = rulesInto(preview, group);
        assert.deepEqual(
          rules.map((r) => [r.inputs.fromPort, r.inputs.referencedSecurityGroupId]),
          [
            [80, UNKNOWN],
            [443, UNKNOWN],
          ],
        );
      }
      const report = runPolicyPack(preview.resources);
      assert.equal(report.mandatoryCount, 0);
      assert.equal(
        report.skipped.length,
        runPolicyPack(committed.resources).skipped.length,
        "no check lost to the lookup",
      );
    });
  }

  it("GlobalEdge needs each region's VPC and ALB group when the option is on", () => {
    const { edge } = environmentModel({ alb: { acceptOnlyFromAccelerator: true } });
    assert.equal(edge.albIngressOnlyFromAccelerator, true);
    const problems = globalEdgeProblems({
      model: edge,
      regions: edge.endpointGroups.map((g) => ({
        region: g.region,
        albArn: `arn:aws:elasticloadbalancing:${g.region}:x`,
      })),
      account: "111122223333",
    });
    assert.deepEqual(
      problems.map((p) => p.key),
      edge.endpointGroups.flatMap((_, i) => [`regions[${i}].vpcId`, `regions[${i}].albSecurityGroupId`]),
    );
  });
});
