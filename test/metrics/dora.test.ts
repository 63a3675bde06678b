import { strict as assert } from "node:assert";
import {
    countAttempt,
    deployAttempts,
    leadTimeSeconds,
    median,
    outages,
    restoreSeconds,
    summarise,
    type DeployAttempt,
} from "../../model/metrics/dora";

const t = (hhmm: string, day = 20) => new Date(`2026-11-${String(day).padStart(2, "0")}T${hhmm}:00Z`);

const attempt = (over: Partial<DeployAttempt> & Pick<DeployAttempt, "outcome" | "finishedAt">): DeployAttempt => ({
    service: "web",
    executionId: `e-${over.finishedAt.toISOString()}`,
    executionType: "STANDARD",
    commitTimes: [],
    ...over,
});

describe("DORA calculations", () => {
    describe("countAttempt", () => {
        it("counts a successful standard execution as one deployment and nothing else", () => {
            assert.deepEqual(countAttempt(attempt({ outcome: "succeeded", finishedAt: t("10:00") })), {
                deployments: 1,
                failedDeployments: 0,
                rollbacks: 0,
                changeFailures: 0,
            });
        });
        it("counts a failed standard deploy as a failed deployment and a change failure", () => {
            assert.deepEqual(countAttempt(attempt({ outcome: "failed", finishedAt: t("10:00") })), {
                deployments: 0,
                failedDeployments: 1,
                rollbacks: 0,
                changeFailures: 1,
            });
        });
        it("counts a manual rollback as a rollback and a change failure (the undone change had succeeded)", () => {
            const a = attempt({
                outcome: "succeeded",
                finishedAt: t("10:00"),
                executionType: "ROLLBACK",
                triggerType: "ManualRollback",
            });
            assert.deepEqual(countAttempt(a), {
                deployments: 0,
                failedDeployments: 0,
                rollbacks: 1,
                changeFailures: 1,
            });
        });
        it("counts an automated rollback as a rollback only: its failed deploy already counted", () => {
            const a = attempt({
                outcome: "succeeded",
                finishedAt: t("10:00"),
                executionType: "ROLLBACK",
                triggerType: "AutomatedRollback",
            });
            assert.deepEqual(countAttempt(a), {
                deployments: 0,
                failedDeployments: 0,
                rollbacks: 1,
                changeFailures: 0,
            });
        });
        it("counts nothing for a failed rollback", () => {
            const a = attempt({ outcome: "failed", finishedAt: t("10:00"), executionType: "ROLLBACK" });
            assert.deepEqual(countAttempt(a), {
                deployments: 0,
                failedDeployments: 0,
                rollbacks: 0,
                changeFailures: 0,
            });
        });
    });

    describe("leadTimeSeconds", () => {
        it("measures from the newest commit of the release to the deployment", () => {
            const a = attempt({ outcome: "succeeded", finishedAt: t("10:00"), commitTimes: [t("08:00"), t("09:30")] });
            assert.equal(leadTimeSeconds(a), 30 * 60);
        });
        it("has no value without a commit time, for failures, for rollbacks, or when the commit is in the future", () => {
            assert.equal(leadTimeSeconds(attempt({ outcome: "succeeded", finishedAt: t("10:00") })), undefined);
            assert.equal(
                leadTimeSeconds(attempt({ outcome: "failed", finishedAt: t("10:00"), commitTimes: [t("09:00")] })),
                undefined,
            );
            assert.equal(
                leadTimeSeconds(
                    attempt({
                        outcome: "succeeded",
                        finishedAt: t("10:00"),
                        commitTimes: [t("09:00")],
                        executionType: "ROLLBACK",
                    }),
                ),
                undefined,
            );
            assert.equal(
                leadTimeSeconds(attempt({ outcome: "succeeded", finishedAt: t("10:00"), commitTimes: [t("10:01")] })),
                undefined,
            );
        });
    });

    describe("restoreSeconds", () => {
        const history = [
            attempt({ outcome: "succeeded", finishedAt: t("08:00") }),
            attempt({ outcome: "failed", finishedAt: t("09:00") }),
            attempt({ outcome: "failed", finishedAt: t("09:40") }),
            attempt({ service: "api", outcome: "succeeded", finishedAt: t("09:50") }),
        ];
        it("spans from the first failure after the last success, across several failures", () => {
            const restored = attempt({ outcome: "succeeded", finishedAt: t("10:00"), executionId: "fix" });
            assert.equal(restoreSeconds([...history, restored], restored), 60 * 60);
        });
        it("counts a successful rollback as the restore", () => {
            const rollback = attempt({ outcome: "succeeded", finishedAt: t("09:45"), executionType: "ROLLBACK" });
            assert.equal(restoreSeconds(history, rollback), 45 * 60);
        });
        it("is undefined for a success after a success, and for a failure", () => {
            assert.equal(
                restoreSeconds(history.slice(0, 1), attempt({ outcome: "succeeded", finishedAt: t("10:00") })),
                undefined,
            );
            assert.equal(restoreSeconds(history, attempt({ outcome: "failed", finishedAt: t("10:00") })), undefined);
        });
        it("includes an earlier failed attempt of the same execution (a retried Deploy stage)", () => {
            const failed = attempt({ outcome: "failed", finishedAt: t("09:00"), executionId: "x" });
            const retried = attempt({ outcome: "succeeded", finishedAt: t("09:20"), executionId: "x" });
            assert.equal(restoreSeconds([failed, retried], retried), 20 * 60);
        });
        it("ignores history after the restoring success", () => {
            const restored = attempt({ outcome: "succeeded", finishedAt: t("08:30") });
            assert.equal(restoreSeconds(history, restored), undefined);
        });
    });

    describe("outages", () => {
        it("opens at the first failure, closes at the next success, and leaves a still-failing service open", () => {
            const found = outages([
                attempt({ outcome: "failed", finishedAt: t("09:00") }),
                attempt({ outcome: "failed", finishedAt: t("09:30") }),
                attempt({ outcome: "succeeded", finishedAt: t("10:00") }),
                attempt({ service: "api", outcome: "failed", finishedAt: t("11:00") }),
            ]);
            assert.deepEqual(found, [
                { service: "web", failedAt: t("09:00"), restoredAt: t("10:00") },
                { service: "api", failedAt: t("11:00") },
            ]);
        });
    });

    describe("deployAttempts", () => {
        const run = (executionId: string, stage: string, status: string, start: string, end: string) => ({
            executionId,
            stage,
            status,
            startTime: t(start),
            lastUpdateTime: t(end),
        });
        it("keeps only the deploy stage, splits a retried stage at each failure, and skips runs in progress", () => {
            const attempts = deployAttempts(
                "web",
                "Deploy",
                [
                    run("a", "Build", "Failed", "08:00", "08:05"),
                    run("b", "Deploy", "Failed", "09:00", "09:10"),
                    run("b", "Deploy", "Succeeded", "09:20", "09:30"),
                    run("c", "Deploy", "Succeeded", "10:00", "10:05"),
                    run("c", "Deploy", "InProgress", "10:06", "10:07"),
                ],
                (id) => (id === "b" ? { executionType: "STANDARD", commitTimes: [t("07:00")] } : undefined),
            );
            assert.deepEqual(
                attempts.map((a) => [a.executionId, a.outcome, a.finishedAt.toISOString(), a.commitTimes.length]),
                [
                    ["b", "failed", t("09:10").toISOString(), 1],
                    ["b", "succeeded", t("09:30").toISOString(), 1],
                ],
            );
        });
        it("takes a deploy stage's outcome at its last action when it has several", () => {
            const attempts = deployAttempts(
                "web",
                "Deploy",
                [run("d", "Deploy", "Succeeded", "09:00", "09:05"), run("d", "Deploy", "Succeeded", "09:05", "09:15")],
                () => ({ executionType: "ROLLBACK", triggerType: "ManualRollback", commitTimes: [] }),
            );
            assert.equal(attempts.length, 1);
            assert.equal(attempts[0].finishedAt.toISOString(), t("09:15").toISOString());
            assert.equal(attempts[0].triggerType, "ManualRollback");
        });
    });

    describe("summarise", () => {
        const attempts = [
            attempt({ outcome: "succeeded", finishedAt: t("08:00", 1), commitTimes: [t("07:00", 1)] }),
            attempt({ outcome: "failed", finishedAt: t("09:00", 2) }),
            attempt({
                outcome: "succeeded",
                finishedAt: t("09:30", 2),
                executionType: "ROLLBACK",
                triggerType: "AutomatedRollback",
            }),
            attempt({ outcome: "succeeded", finishedAt: t("12:00", 3), commitTimes: [t("09:00", 3)] }),
            attempt({
                outcome: "succeeded",
                finishedAt: t("12:00", 4),
                executionType: "ROLLBACK",
                triggerType: "ManualRollback",
            }),
            attempt({ service: "api", outcome: "succeeded", finishedAt: t("12:00", 5), commitTimes: [t("11:00", 5)] }),
        ];
        it("computes the four measures per service and for all services", () => {
            const [api, web, all] = summarise(attempts, 10);
            assert.deepEqual(web, {
                service: "web",
                deployments: 2,
                deploymentsPerDay: 0.2,
                failedDeployments: 1,
                rollbacks: 2,
                // one failed deploy + one manual rollback over three attempts
                changeFailureRate: 2 / 3,
                medianLeadTimeSeconds: (3600 + 3 * 3600) / 2,
                meanTimeToRestoreSeconds: 30 * 60,
                failing: false,
            });
            assert.equal(api.deployments, 1);
            assert.equal(api.changeFailureRate, 0);
            assert.equal(all.service, "*");
            assert.equal(all.deployments, 3);
            assert.equal(all.changeFailureRate, 2 / 4);
            assert.equal(all.medianLeadTimeSeconds, 3600);
        });
        it("leaves rates undefined without attempts and reports a service still failing", () => {
            const [web] = summarise(
                [attempt({ outcome: "failed", executionType: "ROLLBACK", finishedAt: t("09:00") })],
                1,
            );
            assert.equal(web.changeFailureRate, undefined);
            assert.equal(web.meanTimeToRestoreSeconds, undefined);
            assert.equal(web.failing, true);
        });
        it("rejects a window that is not a positive number of days", () => {
            assert.throws(() => summarise([], 0), { message: "`days` must be a positive number of days, got 0." });
        });
        it("takes the median of an even and an odd count", () => {
            assert.equal(median([3, 1, 2]), 2);
            assert.equal(median([4, 1, 3, 2]), 2.5);
        });
    });
});
