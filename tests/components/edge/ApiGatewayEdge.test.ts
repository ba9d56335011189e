import { recorder, resourcesOfType, settle } from "../../harness/component";
import assert from "node:assert/strict";
import { ApiGatewayEdge, type ApiGatewayEdgeArgs } from "../../../components/edge/ApiGatewayEdge";
import { RegionalHttpApi, type HttpApiFoundation } from "../../../components/edge/RegionalHttpApi";
import { InputError } from "../../../lib/input-error";
import type { ApiGatewayModel } from "../../../model/types/edge";
import { environmentModel } from "../../fixtures/models";

/** A region's foundation as HeliumRegion exposes it, as plain values. */
function foundation(region: string, overrides: Partial<HttpApiFoundation> = {}): HttpApiFoundation {
  return {
    region,
    vpcId: `vpc-${region}`,
    privateSubnetIds: [`subnet-${region}-a`, `subnet-${region}-b`],
    albSecurityGroupId: `sg-alb-${region}`,
    httpsListenerArn: `arn:aws:elasticloadbalancing:${region}:123456789012:listener/app/x/1/2`,
    certificateArn: `arn:aws:acm:${region}:123456789012:certificate/c`,
    kmsKeyArn: `arn:aws:kms:${region}:123456789012:key/k`,
    loadBalancerInternal: true,
    ...overrides,
  };
}

function gatewayModel(overrides: Record<string, unknown> = {}): ApiGatewayModel {
  const model = environmentModel({
    entry: "apiGateway",
    regions: [{ region: "ap-south-1" }, { region: "ap-southeast-1" }],
    ...overrides,
  }).apiGateway;
  assert.ok(model);
  return model;
}

async function rejects(build: () => unknown): Promise<InputError> {
  recorder.reset();
  let caught: unknown;
  try {
    build();
  } catch (error) {
    caught = error;
  }
  await settle();
  assert.ok(caught instanceof InputError, String(caught));
  assert.deepEqual(recorder.resources, [], "nothing registered");
  return caught;
}

describe("ApiGatewayEdge and RegionalHttpApi", () => {
  const args = (overrides: Partial<ApiGatewayEdgeArgs> = {}): ApiGatewayEdgeArgs => ({
    environment: "staging",
    model: gatewayModel(),
    regions: [foundation("ap-south-1"), foundation("ap-southeast-1")],
    ...overrides,
  });

  it("builds one RegionalHttpApi per region under the edge", async () => {
    recorder.reset();
    const edge = new ApiGatewayEdge("stg-api", args());
    await settle();
    assert.deepEqual(Object.keys(edge.regions), ["ap-south-1", "ap-southeast-1"]);
    assert.equal(resourcesOfType("helium:edge:RegionalHttpApi").length, 2);
    assert.equal(resourcesOfType("aws:apigatewayv2/api:Api").length, 2);
    assert.equal(resourcesOfType("aws:route53/healthCheck:HealthCheck").length, 2);
  });

  it("refuses an internet-facing load balancer behind the API, registering nothing", async () => {
    const error = await rejects(
      () =>
        new ApiGatewayEdge(
          "stg-api",
          args({ regions: [foundation("ap-south-1"), foundation("ap-southeast-1", { loadBalancerInternal: false })] }),
        ),
    );
    const problem = error.problems.find((p) => p.key === "regions[1].foundation.loadBalancerInternal");
    assert.ok(problem, error.message);
    assert.equal(problem.value, false);
    assert.match(problem.allowed, /only way in/);
  });

  it("refuses foundations that do not match the model's regions, registering nothing", async () => {
    const error = await rejects(() => new ApiGatewayEdge("stg-api", args({ regions: [foundation("ap-south-1")] })));
    assert.deepEqual(
      error.problems.map((p) => [p.key, p.value]),
      [["regions", ["ap-south-1"]]],
    );
  });

  it("RegionalHttpApi built directly holds its args to the same rules (throttle beyond the account quota)", async () => {
    const model = { ...gatewayModel(), throttling: { rateLimit: 20_000, burstLimit: 0 } };
    const error = await rejects(
      () =>
        new RegionalHttpApi("stg-api-mum", {
          environment: "staging",
          model,
          region: model.regions[0],
          foundation: foundation("ap-south-1", { privateSubnetIds: ["subnet-a"] }),
        }),
    );
    assert.deepEqual(
      error.problems.map((p) => [p.key, p.value]),
      [
        ["foundation.privateSubnetIds", 1],
        ["model.throttling.rateLimit", 20_000],
        ["model.throttling.burstLimit", 0],
      ],
    );
  });
});
