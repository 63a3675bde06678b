import { strict as assert } from "assert";
import * as path from "path";
import { DeadLetterQueue } from "../../components/dead-letter-queue";
import { evaluateStack } from "../../tools/plan/evaluate";
import { listStacks, loadStackConfig } from "../../tools/plan/stack-config";
import { environment, planOf, service } from "../fixtures/config";
import { childrenOf, find, withMocks } from "../support/mock-runtime";

const ROOT = path.join(__dirname, "..", "..");
const KEY = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const QUEUE = "aws:sqs/queue:Queue";
const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";

describe("DeadLetterQueue", () => {
    const plan = planOf(environment(), service()).eventsDeadLetterQueue;

    it("creates the planned queue, encrypted with the environment key for 14 days, with the planned policy", async () => {
        const resources = await withMocks("dev", () => {
            new DeadLetterQueue("events-dlq", { plan, keyArn: KEY, tags: { team: "platform" } });
        });
        const component = find(resources, "cicd:events:DeadLetterQueue", "events-dlq");
        assert.deepEqual(
            childrenOf(resources, component)
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
            [`${QUEUE} events-dlq-queue`, `${QUEUE_POLICY} events-dlq-policy`],
        );
        const queue = find(resources, QUEUE, "events-dlq-queue");
        assert.deepEqual(queue.inputs, {
            name: "cicd-dev-events-dlq",
            kmsMasterKeyId: KEY,
            messageRetentionSeconds: 1209600,
            tags: { team: "platform" },
        });
        const policy = find(resources, QUEUE_POLICY, "events-dlq-policy");
        assert.deepEqual(JSON.parse(String(policy.inputs.policy)), plan.policy);
        assert.deepEqual(policy.propertyDependencies.queueUrl, [queue.urn]);
    });
});

/**
 * The program as `pulumi preview` runs it, for whatever stacks the repository has: each EventBridge target sends
 * what it cannot deliver to the stack's one dead-letter queue, after that queue's policy exists.
 */
describe("every EventBridge target of the program has the environment's dead-letter queue", function () {
    this.timeout(300_000);
    for (const stack of listStacks(ROOT)) {
        it(stack, async () => {
            const config = loadStackConfig(ROOT, stack);
            const { resources } = await evaluateStack(ROOT, config, false);
            const queues = resources.filter((r) => r.type === QUEUE);
            assert.equal(queues.length, 1, "one dead-letter queue per environment");
            const [queue] = queues;
            const queueArn = `arn:aws:sqs:${config.region}:${config.account}:${String(queue.inputs.name)}`;
            const policy = resources.find((r) => r.type === QUEUE_POLICY && r.parent === queue.parent)!;
            const targets = resources.filter((r) => r.type === TARGET);
            assert.ok(targets.length > 0, "the program creates EventBridge targets (delivery metrics at least)");
            const undelivered = targets
                .filter(
                    (t) =>
                        (t.inputs.deadLetterConfig as { arn?: string } | undefined)?.arn !== queueArn ||
                        !(t.propertyDependencies.deadLetterConfig ?? []).includes(queue.urn) ||
                        !t.dependencies.includes(policy.urn),
                )
                .map((t) => t.name);
            assert.deepEqual(undelivered, []);
        });
    }
});
