import { strict as assert } from "node:assert";
import { createValidatedPolicy, validateResourcePolicy } from "@cloud-copilot/iam-policy";
import { runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import * as names from "../../model/names";
import type { PolicyDocument } from "../../model/iam/document";
import { ACCOUNT, ctx, environmentPlan, KEY_ARN, OTHER_ACCOUNT, REGION } from "./fixtures";
import { decide, req, type Caller, type Decision } from "./sim";

const queue = environmentPlan.eventsDeadLetterQueue;
const keyPolicy = environmentPlan.artifactStore.keyPolicy;
const events: Caller = { principal: "events.amazonaws.com", identity: [] };
const METRICS_RULE = names.eventRuleArn(ctx, names.deliveryEventsRuleName(ctx));
const SOURCE_RULE = names.eventRuleArn(ctx, names.sourceChangeRuleName(ctx, "web"));
const VIA_SQS = `sqs.${REGION}.amazonaws.com`;

/** `sqs:SendMessage` on `queueArn` under the environment's queue policy, from `caller` with `context`. */
const send = (caller: Caller, context: Record<string, string>, queueArn = queue.arn) =>
    decide(caller, req("sqs:SendMessage", queueArn, context), queue.policy);
const fromRule = (rule: string, account = ACCOUNT) => ({ "aws:SourceAccount": account, "aws:SourceArn": rule });

/**
 * A request on the environment key under its key policy. The strict simulator drops `kms:EncryptionContext:aws:sqs:arn`
 * (a context key with colons in its variable part), which would prove only that the gate is closed; the evaluator's
 * unchecked entry point passes it through and evaluates the same policy logic, so the grant is proved both ways.
 */
function onKey(
    principal: string,
    action: string,
    context: Record<string, string>,
    identity: readonly PolicyDocument[] = [],
): Decision {
    const validated = createValidatedPolicy(keyPolicy, validateResourcePolicy, { name: "KeyPolicy" });
    if (validated.errors.length > 0) throw new Error(`invalid key policy: ${JSON.stringify(validated.errors)}`);
    return runUnsafeSimulation(
        {
            request: {
                principal,
                action,
                resource: { resource: KEY_ARN, accountId: ACCOUNT },
                contextVariables: { "aws:SecureTransport": "true", ...context },
            },
            identityPolicies: identity.map((policy, i) => ({ name: `policy${i}`, policy })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: validated as never,
        },
        {},
    ) as Decision;
}
const throughSqs = (queueArn = queue.arn) => ({
    "kms:ViaService": VIA_SQS,
    "kms:EncryptionContext:aws:sqs:arn": queueArn,
});

describe("events dead-letter queue policy (simulated)", () => {
    it("is the environment's queue, named from the catalogue, kept 14 days (the SQS maximum)", () => {
        assert.deepEqual(
            [queue.name, queue.arn, queue.retentionSeconds],
            ["cicd-prod-events-dlq", `arn:aws:sqs:${REGION}:${ACCOUNT}:cicd-prod-events-dlq`, 1209600],
        );
    });

    it("lets EventBridge of this account send for the environment's delivery-metrics and source-change rules", async () => {
        assert.equal(await send(events, fromRule(METRICS_RULE)), "Allowed");
        assert.equal(await send(events, fromRule(SOURCE_RULE)), "Allowed");
    });

    it("refuses other rules, other environments' rules, other accounts and a missing source", async () => {
        const staging = names.eventRuleArn(
            { ...ctx, environment: "staging" },
            names.sourceChangeRuleName({ ...ctx, environment: "staging" }, "web"),
        );
        const other = { ...ctx, accountId: OTHER_ACCOUNT };
        const contexts: Record<string, string>[] = [
            fromRule(names.eventRuleArn(ctx, "someone-elses-rule")),
            fromRule(staging),
            fromRule(names.eventRuleArn(ctx, names.deliveryEventsRuleName({ ...ctx, environment: "staging" }))),
            fromRule(names.eventRuleArn(other, names.deliveryEventsRuleName(ctx)), OTHER_ACCOUNT),
            fromRule(METRICS_RULE, OTHER_ACCOUNT),
            { "aws:SourceArn": METRICS_RULE },
            { "aws:SourceAccount": ACCOUNT },
        ];
        for (const context of contexts)
            assert.notEqual(await send(events, context), "Allowed", JSON.stringify(context));
    });

    it("grants nothing on another queue, and nothing to a principal other than EventBridge", async () => {
        assert.notEqual(await send(events, fromRule(METRICS_RULE), names.sqsQueueArn(ctx, "other-queue")), "Allowed");
        for (const principal of ["sns.amazonaws.com", "s3.amazonaws.com", names.roleArn(ctx, "web", "build")])
            assert.notEqual(await send({ principal, identity: [] }, fromRule(METRICS_RULE)), "Allowed", principal);
        assert.notEqual(
            await decide(events, req("sqs:ReceiveMessage", queue.arn, fromRule(METRICS_RULE)), queue.policy),
            "Allowed",
        );
    });

    it("denies every request without TLS, even EventBridge's and the account's own roles'", async () => {
        const operator: Caller = {
            principal: `arn:aws:iam::${ACCOUNT}:role/operator`,
            identity: [allow(["sqs:ReceiveMessage", "sqs:StartMessageMoveTask"], [queue.arn])],
        };
        assert.equal(await decide(operator, req("sqs:ReceiveMessage", queue.arn), queue.policy), "Allowed");
        const plain = { "aws:SecureTransport": "false" };
        assert.equal(
            await decide(operator, req("sqs:ReceiveMessage", queue.arn, plain), queue.policy),
            "ExplicitlyDenied",
        );
        assert.equal(await send(events, { ...fromRule(METRICS_RULE), ...plain }), "ExplicitlyDenied");
    });
});

describe("environment key: EventBridge and the dead-letter queue (simulated)", () => {
    it("lets EventBridge generate and decrypt data keys through SQS, for the environment's queue only", () => {
        assert.equal(onKey("events.amazonaws.com", "kms:GenerateDataKey", throughSqs()), "Allowed");
        assert.equal(onKey("events.amazonaws.com", "kms:Decrypt", throughSqs()), "Allowed");
        assert.notEqual(
            onKey("events.amazonaws.com", "kms:GenerateDataKey", throughSqs(names.sqsQueueArn(ctx, "other-queue"))),
            "Allowed",
        );
        assert.notEqual(
            onKey("events.amazonaws.com", "kms:GenerateDataKey", {
                ...throughSqs(),
                "kms:ViaService": `sns.${REGION}.amazonaws.com`,
            }),
            "Allowed",
        );
        assert.notEqual(onKey("events.amazonaws.com", "kms:GenerateDataKey", {}), "Allowed");
    });

    it("gives EventBridge no other use of the key, and the grant to no other service", () => {
        for (const action of [
            "kms:Encrypt",
            "kms:ReEncryptFrom",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:CreateGrant",
        ])
            assert.notEqual(onKey("events.amazonaws.com", action, throughSqs()), "Allowed", action);
        for (const principal of ["sns.amazonaws.com", "sqs.amazonaws.com", "codepipeline.amazonaws.com"])
            assert.notEqual(onKey(principal, "kms:GenerateDataKey", throughSqs()), "Allowed", principal);
    });

    it("lets the account's IAM policies grant decrypting the queue's messages, through SQS, and nothing else", () => {
        const operator = `arn:aws:iam::${ACCOUNT}:role/operator`;
        const granted = [allow(["kms:Decrypt", "kms:GenerateDataKey"], [KEY_ARN])];
        assert.equal(onKey(operator, "kms:Decrypt", throughSqs(), granted), "Allowed");
        assert.notEqual(onKey(operator, "kms:Decrypt", throughSqs()), "Allowed", "without an identity policy");
        assert.notEqual(
            onKey(operator, "kms:Decrypt", throughSqs(names.sqsQueueArn(ctx, "other-queue")), granted),
            "Allowed",
        );
        assert.notEqual(
            onKey(
                operator,
                "kms:Decrypt",
                { ...throughSqs(), "kms:ViaService": `s3.${REGION}.amazonaws.com` },
                granted,
            ),
            "Allowed",
        );
        assert.notEqual(onKey(operator, "kms:GenerateDataKey", throughSqs(), granted), "Allowed");
        const foreign = `arn:aws:iam::${OTHER_ACCOUNT}:role/operator`;
        assert.notEqual(onKey(foreign, "kms:Decrypt", throughSqs(), granted), "Allowed");
    });

    it("closes the gate in the strict simulator too, where the encryption context is dropped", async () => {
        assert.notEqual(
            await decide(events, req("kms:GenerateDataKey", KEY_ARN, { "kms:ViaService": VIA_SQS }), keyPolicy),
            "Allowed",
        );
    });
});

function allow(actions: string[], resources: string[]): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "Grant", Effect: "Allow", Action: actions, Resource: resources }],
    };
}
