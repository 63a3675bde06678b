/**
 * SNS topics accept publishes only over TLS: a topic policy (aws.sns.TopicPolicy joined through `arn`, or the
 * topic's own `policy`) denies sns:Publish to every principal when aws:SecureTransport is false.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit
 */
import { StackValidationPolicy } from "@pulumi/policy";
import { grantsAction, parsePolicyDocument, Statement, stringList } from "../lib/iam-document";
import { asBag, dig, isUnknown, plain } from "../lib/props";
import { joinIndex, joinedTo } from "../lib/stack-join";

export const TOPIC_TYPE = "aws:sns/topic:Topic";
export const TOPIC_POLICY_TYPE = "aws:sns/topicPolicy:TopicPolicy";

function isFalseOrUnknown(value: unknown): boolean {
    const list = Array.isArray(value) ? value : [value];
    return list.some((v) => v === false || isUnknown(v) || (typeof v === "string" && v.toLowerCase() === "false"));
}

/** Deny, for every principal, of sns:Publish (directly or by wildcard) when aws:SecureTransport is false. */
function deniesPlainPublish(statement: Statement): boolean {
    const principal = statement.principal;
    const everyone = principal === "*" || isUnknown(principal) || stringList(dig(principal, "AWS")).includes("*");
    const bool = { ...asBag(dig(statement.condition, "Bool")), ...asBag(dig(statement.condition, "BoolIfExists")) };
    const secure = Object.entries(bool).find(([key]) => key.toLowerCase() === "aws:securetransport");
    return (
        statement.isDeny &&
        everyone &&
        grantsAction(statement, "sns:Publish") &&
        secure !== undefined &&
        isFalseOrUnknown(secure[1])
    );
}

/** A computed document (preview) can't be read: its presence is what is checked. */
function enforcesTls(document: unknown): boolean {
    const parsed = parsePolicyDocument(document);
    return parsed.kind === "unknown" || (parsed.kind === "ok" && parsed.statements.some(deniesPlainPublish));
}

const STATEMENT =
    "a Deny statement for Principal '*' and Action 'sns:Publish' on the topic with Condition " +
    "{ Bool: { 'aws:SecureTransport': 'false' } }.";

/**
 * Every topic has a policy that denies sns:Publish without TLS. A computed policy (preview) passes; a topic with no
 * policy at all fails even in preview.
 */
export const snsTopicTlsPublish: StackValidationPolicy = {
    name: "sns-topic-tls-publish",
    description: "SNS topics must have a topic policy denying sns:Publish when aws:SecureTransport is false.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const index = joinIndex(args.resources, [TOPIC_POLICY_TYPE], "arn");
        for (const topic of args.resources.filter((r) => r.type === TOPIC_TYPE)) {
            const policies = joinedTo(topic, index, ["arn"]);
            const documents = [
                dig(plain(topic.props), "policy"),
                ...policies.map((p) => dig(plain(p.props), "policy")),
            ];
            if (documents.some((d) => d !== undefined && d !== null && d !== "" && enforcesTls(d))) continue;
            const message =
                policies.length > 0
                    ? `SNS topic '${topic.name}' has a topic policy ('${policies[0].name}') that does not deny ` +
                      `publishing without TLS. Add ${STATEMENT}`
                    : `SNS topic '${topic.name}' has no topic policy denying publishing without TLS. Add an ` +
                      `aws.sns.TopicPolicy for it with ${STATEMENT}`;
            report(message, topic.urn);
        }
    },
};
