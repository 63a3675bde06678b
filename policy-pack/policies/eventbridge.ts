/**
 * EventBridge rule targets keep the events they fail to deliver: a target without a dead-letter queue drops an
 * event once its retry policy is exhausted.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 * EventTarget inputs: https://www.pulumi.com/registry/packages/aws/api-docs/cloudwatch/eventtarget/
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { asArray, dig, isPresent, plain } from "../lib/props";

export const EVENT_TARGET_TYPE = "aws:cloudwatch/eventTarget:EventTarget";

/** Advisory: every target sets `deadLetterConfig.arn` (an SQS queue); an unknown block or ARN passes. */
export const eventbridgeTargetDeadLetterQueue: ResourceValidationPolicy = {
    name: "eventbridge-target-dead-letter-queue",
    description: "EventBridge rule targets should send undeliverable events to a dead-letter queue (deadLetterConfig).",
    enforcementLevel: "advisory",
    validateResource: (args, report) => {
        if (args.type !== EVENT_TARGET_TYPE) return;
        const raw = dig(plain(args.props), "deadLetterConfig");
        const config = asArray(raw)?.[0] ?? raw;
        if (isPresent(config) && (typeof config !== "object" || isPresent(dig(config, "arn")))) return;
        report(
            `EventBridge target '${args.name}' has no deadLetterConfig, so an event it cannot deliver after its ` +
                `retries is dropped. Set deadLetterConfig.arn to an SQS queue (encrypted, with a queue policy letting ` +
                `events.amazonaws.com send to it for this rule) and keep retryPolicy.`,
        );
    },
};
