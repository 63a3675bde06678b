import { strict as assert } from "assert";
import type { PolicyDocument } from "../../model/iam/document";
import * as names from "../../model/names";
import { ACCOUNT, BUCKET, environmentPlan as plan, KEY_ARN } from "../iam/fixtures";

const refs = { keyArn: KEY_ARN, bucketName: BUCKET };
const ctx = plan.ctx;

/** Every policy document the plan generates: role, approver, events, topic, key and bucket policies. */
const documents: [string, PolicyDocument][] = [
    ...plan.pipelines.flatMap((p) => [
        ...p.roleDefinitions.flatMap((r): [string, PolicyDocument][] => {
            const doc = r.policy(refs);
            return doc ? [[`${p.service} ${r.kind} role`, doc]] : [];
        }),
        ...(p.approvalPlan
            ? ([
                  [`${p.service} approver`, p.approvalPlan.approverPolicy],
                  [`${p.service} approval topic`, p.approvalPlan.topic.policy],
              ] as [string, PolicyDocument][])
            : []),
    ]),
    ["source events role", plan.sourceEvents!.policy],
    ["notifications topic", plan.notifications.policy],
    ["key policy", plan.artifactStore.keyPolicy],
    ["bucket policy", plan.artifactStore.bucketPolicy(KEY_ARN)],
    ["events dead-letter queue policy", plan.eventsDeadLetterQueue.policy],
];

/** The ARN of every resource the plan creates (and the sub-resources policies are written on), from the plan. */
function plannedArns(): Set<string> {
    const bucket = names.bucketArn(ctx, plan.artifactStore.bucketName);
    const arns = [
        bucket,
        `${bucket}/*`,
        plan.notifications.arn,
        plan.eventsDeadLetterQueue.arn,
        ...(plan.sourceEvents ? [plan.sourceEvents.roleArn] : []),
        ...plan.pipelines.flatMap((p) => [
            p.pipelineArn,
            `${bucket}/${p.artifactFolder}/*`,
            // Each output artifact's folder inside the pipeline's, by the name the plan gives the artifact.
            ...p.stages.flatMap((st) =>
                st.actions.flatMap((a) =>
                    a.outputArtifacts.map((o) => `${bucket}/${names.artifactPrefix(p.artifactFolder, o)}/*`),
                ),
            ),
            `${bucket}/${names.buildCachePrefix(ctx, p.service)}/*`,
            ...p.roleDefinitions.map((r) => r.arn),
            ...(p.approvalPlan
                ? [
                      p.approvalPlan.topic.arn,
                      names.approvalActionArn(ctx, p.service, p.approval!.stageName, p.approval!.actionName),
                  ]
                : []),
            ...p.projects.flatMap((proj) => [
                names.projectArn(ctx, proj.name),
                names.reportGroupArn(ctx, proj.name),
                `${names.logGroupArn(ctx, names.logGroupName(ctx, proj.name))}:*`,
            ]),
            // The log group CodePipeline's Lambda deploy action creates and writes, by its catalogued name.
            ...(p.stages.some((s) => s.actions.some((a) => a.record === "lambdaDeploy"))
                ? ((lg: string) => [lg, `${lg}:*`, `${lg}:log-stream:*`])(
                      names.lambdaDeployLogGroupArn(ctx, p.pipelineName),
                  )
                : []),
            ...(p.codeDeploy
                ? [
                      names.codeDeployApplicationArn(ctx, p.codeDeploy.applicationName),
                      names.codeDeployGroupArn(ctx, p.codeDeploy.applicationName, p.codeDeploy.deploymentGroupName),
                      // AWS's predefined configuration the group uses, by the name the kind's record plans.
                      names.deploymentConfigArn(ctx, p.codeDeploy.deploymentConfigName),
                  ]
                : []),
        ]),
    ];
    return new Set(arns);
}

/** Resource ARNs of the services whose resources the platform creates, in its own account. */
const OURS =
    /^arn:aws:(codepipeline|codebuild|sns|sqs|logs|codedeploy):[a-z0-9-]+:(\d{12}):|^arn:aws:iam::(\d{12}):role\/cicd\//;
const isOurs = (arn: string): boolean => {
    if (arn.startsWith(names.bucketArn(ctx, plan.artifactStore.bucketName))) return true;
    const m = OURS.exec(arn);
    return m !== null && (m[2] ?? m[3]) === ACCOUNT;
};

describe("names and ARNs", () => {
    it("every ARN a generated policy grants on our own resources is the planned ARN of one of them", () => {
        const planned = plannedArns();
        const granted = documents.flatMap(([name, doc]) =>
            doc.Statement.flatMap((s) => (s.Resource ?? []).filter(isOurs).map((arn) => ({ name, sid: s.Sid, arn }))),
        );
        assert.ok(granted.length > 50, `the documents grant on our resources (${granted.length})`);
        assert.deepEqual(
            granted.filter((g) => !planned.has(g.arn)).map((g) => `${g.name} ${g.sid}: ${g.arn}`),
            [],
        );
    });

    it("names rules and queues within EventBridge's 64 and SQS's 80 characters at the longest config names", () => {
        // Service names are at most 30 characters and environment names 10 (stacks/*-schema.ts).
        const longest = { ...ctx, environment: "e".repeat(10) };
        const rule = names.sourceChangeRuleName(longest, `s${"-".repeat(28)}t`);
        assert.equal(rule.length, 55);
        assert.ok(names.eventsDeadLetterQueueName(longest).length <= 80);
        assert.match(rule, /^[.\-_A-Za-z0-9]+$/);
    });

    it("matches each source-change rule of the environment, and none of another environment", () => {
        const rule = (environment: string, service: string) =>
            names.eventRuleArn({ ...ctx, environment }, names.sourceChangeRuleName({ ...ctx, environment }, service));
        const pattern = new RegExp(
            `^${names.sourceChangeRuleArnPattern(ctx).replace(/[.]/g, "\\.").replace("*", ".*")}$`,
        );
        assert.ok(pattern.test(rule(ctx.environment, "web")));
        assert.ok(!pattern.test(rule(`${ctx.environment}2`, "web")));
        assert.ok(!pattern.test(rule("dev", `web-${ctx.environment}`)));
    });

    it("plans one name per resource, with no role doubled in it", () => {
        const all = [
            plan.notifications.name,
            plan.eventsDeadLetterQueue.name,
            ...plan.pipelines.flatMap((p) => [
                p.pipelineName,
                ...(p.approvalPlan ? [p.approvalPlan.topic.name, p.approvalPlan.approverPolicyName] : []),
            ]),
        ];
        assert.equal(new Set(all).size, all.length);
        assert.deepEqual(
            all.filter((n) => /(\b|-)(\w+)-\2(\b|-|$)/.test(n)),
            [],
        );
    });
});
