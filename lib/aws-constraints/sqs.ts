/**
 * SQS constraints on values that come from config (CreateQueue attributes). Source:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html and
 * botocore `sqs/2012-11-05` CreateQueueRequest.Attributes (documented ranges; the model types them as
 * strings, so only the service checks them).
 */
import { integerInRange } from "./ranges";

/** `VisibilityTimeout`: 0-43,200 seconds (12 hours). */
export function sqsVisibilityTimeoutProblem(seconds: number): string | undefined {
  return integerInRange(seconds, 0, 43_200, "seconds");
}

/** `MessageRetentionPeriod`: 60-1,209,600 seconds (1 minute to 14 days). */
export function sqsMessageRetentionProblem(seconds: number): string | undefined {
  return integerInRange(seconds, 60, 1_209_600, "seconds");
}

/** `ReceiveMessageWaitTimeSeconds`: 0-20 seconds. */
export function sqsReceiveWaitTimeProblem(seconds: number): string | undefined {
  return integerInRange(seconds, 0, 20, "seconds");
}

/**
 * `RedrivePolicy.maxReceiveCount`: 1-1,000 (the console's range; the API says only "Default: 10", and AWS
 * advises against 1: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
 */
export function sqsMaxReceiveCountProblem(count: number): string | undefined {
  return integerInRange(count, 1, 1000);
}

/**
 * A dead-letter queue must keep messages longer than its source queue: a standard queue's message keeps
 * its original enqueue time when moved, so a DLQ with a shorter (or equal) retention drops it at once.
 * Source: https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html.
 * @returns what is allowed for the source queue's retention, or undefined.
 */
export function sqsDeadLetterRetentionProblem(
  queueRetentionSeconds: number,
  deadLetterRetentionSeconds: number,
): string | undefined {
  return queueRetentionSeconds < deadLetterRetentionSeconds
    ? undefined
    : `less than the dead-letter queue's retention (${deadLetterRetentionSeconds} s): a moved message keeps its enqueue time and would expire in the DLQ at once`;
}

/**
 * An `ApproximateAgeOfOldestMessage` alarm threshold must be below the queue's retention: no message gets
 * older than the retention period, so a higher threshold can never fire.
 * @returns what is allowed for the threshold, or undefined.
 */
export function sqsQueueAgeAlarmProblem(thresholdSeconds: number, queueRetentionSeconds: number): string | undefined {
  return thresholdSeconds < queueRetentionSeconds
    ? undefined
    : `less than the queue's message retention (${queueRetentionSeconds} s): no message gets older, so the alarm could never fire`;
}
