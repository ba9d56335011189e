/**
 * One alert topic per region. A CloudWatch alarm's actions can only target an SNS topic in the alarm's own
 * region, so a home-region topic would leave every other region silent (and an outage of the home region
 * would silence them all). Each topic is encrypted with its region's customer-managed key (alarms cannot
 * publish to a topic under the AWS-managed SNS key), accepts `sns:Publish` only from this account's
 * CloudWatch alarms in that region, and only over TLS. The cost: each address confirms one subscription per
 * region.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import { denyInsecureTransport, policyDocument } from "../../lib/iam";
import { regionInfo } from "../../lib/regions";
import { type ObservabilityScope, alertTopicName, regionPrefix } from "./names";

/**
 * Topic policy: only this account's CloudWatch alarms of this region may publish (confused-deputy
 * protection with `aws:SourceAccount` and `aws:SourceArn`), and nothing reaches the topic without TLS
 * (AWS's documented SNS statement, on `sns:Publish`).
 */
export function alertTopicPolicy(
  topicArn: pulumi.Input<string>,
  region: string,
  account: pulumi.Input<string>,
): pulumi.Output<string> {
  return policyDocument([
    {
      Sid: "CloudWatchAlarmsOfThisAccountPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: {
        StringEquals: { "aws:SourceAccount": account },
        ArnLike: { "aws:SourceArn": pulumi.interpolate`arn:aws:cloudwatch:${region}:${account}:alarm:*` },
      },
    },
    denyInsecureTransport("sns:Publish", [topicArn]),
  ]);
}

/** The region's encrypted alert topic, its policy and one e-mail subscription per address; returns its ARN. */
export function alertTopic(
  scope: ObservabilityScope,
  region: string,
  kmsKeyArn: pulumi.Input<string>,
  emails: readonly string[],
): pulumi.Output<string> {
  const prefix = regionPrefix(scope, region);
  const child: pulumi.CustomResourceOptions = { parent: scope.parent };
  const topic = new aws.sns.Topic(
    `${prefix}-alerts`,
    {
      region,
      name: alertTopicName(scope.environment, region),
      displayName: `Helium ${scope.environment} alerts (${regionInfo(region).displayName})`,
      kmsMasterKeyId: kmsKeyArn,
    },
    child,
  );
  new aws.sns.TopicPolicy(
    `${prefix}-alerts-policy`,
    { region, arn: topic.arn, policy: alertTopicPolicy(topic.arn, region, scope.account) },
    child,
  );
  for (const address of emails) {
    // Keyed by address, not position: removing one address must not re-create (and re-confirm) the others.
    new aws.sns.TopicSubscription(
      `${prefix}-alerts-${address.toLowerCase()}`,
      { region, topic: topic.arn, protocol: "email", endpoint: address },
      child,
    );
  }
  return topic.arn;
}
