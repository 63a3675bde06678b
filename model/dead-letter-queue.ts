import { eventsDeadLetterQueuePolicy } from "./iam/queue-policy";
import type { PolicyDocument } from "./iam/document";
import * as names from "./names";

/**
 * Fourteen days, the longest SQS keeps a message (`MessageRetentionPeriod`, 60 to 1,209,600 seconds): an event a
 * target refused on a Friday is still there to redrive after a holiday.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
export const DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/** The environment's dead-letter queue for its EventBridge targets: name, planned ARN, retention and policy. */
export interface DeadLetterQueuePlan {
    readonly name: string;
    readonly arn: string;
    readonly retentionSeconds: number;
    readonly policy: PolicyDocument;
}

/**
 * One queue per environment, in its home region: every rule the stacks create (delivery metrics, source changes)
 * lives there, on the home provider, and a rule's dead-letter queue must be in the rule's region.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html#eb-dlq-considerations
 * It is a standard queue: EventBridge takes no FIFO queue as a dead-letter queue (same page). It is encrypted with
 * the environment's customer managed key, not an AWS owned one, which EventBridge cannot send to.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html#targets-specifics-sqs
 */
export function planEventsDeadLetterQueue(ctx: names.NameContext): DeadLetterQueuePlan {
    const name = names.eventsDeadLetterQueueName(ctx);
    const arn = names.sqsQueueArn(ctx, name);
    return {
        name,
        arn,
        retentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
        policy: eventsDeadLetterQueuePolicy(ctx, arn),
    };
}
