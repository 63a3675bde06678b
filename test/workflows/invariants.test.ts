import { strict as assert } from "node:assert";
import {
    ancestors,
    checkMutatingJobs,
    checkOidcOnly,
    checkPermissions,
    checkPinnedActions,
    checkPolicyPack,
    checkPromotion,
    checkPullRequests,
    checkPulumiVersion,
    loadWorkflows,
    mutate,
    mutatingJobs,
    type Workflow,
} from "./workflow-checks";

const all = loadWorkflows();
const wf = (file: string): Workflow => all.find((w) => w.file === file)!;
const ENVIRONMENTS = ["dev", "staging", "prod"];
/** The @pulumi/pulumi SDK the program is locked to. */
const SDK_VERSION: string = require("../../package-lock.json").packages["node_modules/@pulumi/pulumi"].version;

describe("workflow invariants", () => {
    describe("hold on every workflow we ship", () => {
        for (const w of all)
            it(w.file, () => {
                assert.deepEqual(
                    [
                        ...checkOidcOnly(w),
                        ...checkPermissions(w),
                        ...checkPolicyPack(w),
                        ...checkMutatingJobs(w, all),
                        ...checkPullRequests(w, all),
                        ...checkPinnedActions(w),
                        ...checkPulumiVersion(w, SDK_VERSION),
                    ],
                    [],
                );
            });
    });

    it("deploy.yml runs up on dev, staging and prod in that order, and only on pushes to main", () => {
        const deploy = wf("deploy.yml");
        assert.deepEqual(mutatingJobs(deploy, all), ENVIRONMENTS);
        assert.deepEqual(checkPromotion(deploy, ENVIRONMENTS), []);
        assert.deepEqual(deploy.on, { push: { branches: ["main"] } });
        assert.ok(ancestors(deploy, "prod").has("test"), "prod waits for the tests");
    });

    it("pull-request.yml previews every stack with the pack, from a job with no environment (OIDC subject pull_request)", () => {
        const pr = wf("pull-request.yml");
        const preview = pr.jobs.preview as any;
        assert.deepEqual(preview.strategy.matrix.stack, ENVIRONMENTS);
        assert.equal(preview.environment, undefined);
        const run = preview.steps.find((s: any) => /pulumi preview/.test(s.run ?? "")).run as string;
        assert.match(run, /--policy-pack policy-pack /);
        assert.deepEqual(mutatingJobs(pr, all), []);
    });

    it("pull-request.yml fails the check when the preview (a mandatory violation) failed, after posting it", () => {
        const steps = (wf("pull-request.yml").jobs.preview as any).steps as any[];
        const post = steps.findIndex((s) => /Post the preview/.test(s.name ?? ""));
        const fail = steps.findIndex((s) => /Fail on a policy violation/.test(s.name ?? ""));
        assert.ok(post > 0 && fail > post, "the comment is posted before the job fails");
        assert.match(steps[post].if, /always\(\)/);
        assert.match(steps[fail].run, /exit 1/);
    });

    it("policy-check.yml is a reusable workflow that previews with the released pack and fails on a violation", () => {
        const check = wf("policy-check.yml");
        assert.deepEqual(Object.keys(check.on), ["workflow_call"]);
        const run = check.jobs["policy-check"].steps!.find((s) => /pulumi preview/.test(s.run ?? ""))!.run!;
        assert.match(run, /--policy-pack "\$PACK"/);
        assert.match(run, /exit "\$status"/);
        assert.deepEqual(mutatingJobs(check, all), []);
    });

    it("policy-pack-release.yml publishes on a policy-pack-v* tag after the tests, checking the version", () => {
        const release = wf("policy-pack-release.yml");
        assert.deepEqual(release.on, { push: { tags: ["policy-pack-v*"] } });
        const runs = release.jobs.publish.steps!.map((s) => s.run ?? "");
        const test = runs.indexOf("npm test");
        const publish = runs.findIndex((r) => r.includes("pulumi policy publish"));
        assert.ok(test >= 0 && publish > test);
        assert.ok(runs.some((r) => r.includes('"policy-pack-v$version"')));
    });

    describe("catch what they are meant to catch", () => {
        const deploy = wf("deploy.yml");
        const pr = wf("pull-request.yml");

        it("an access key input, a key variable and a secret", () => {
            const broken = mutate(deploy, (d) => {
                d.jobs.dev.steps[4].with["aws-access-key-id"] = "${{ secrets.KEY }}";
                d.jobs.prod.env = { AWS_SECRET_ACCESS_KEY: "x" };
            });
            assert.deepEqual(checkOidcOnly(broken), [
                "deploy.yml: job prod sets AWS_SECRET_ACCESS_KEY; use OIDC instead",
                "deploy.yml: job dev passes aws-access-key-id; use role-to-assume",
                "deploy.yml: reads a secret; credentials come from OIDC only",
            ]);
        });

        it("AWS credentials without role-to-assume or without id-token: write", () => {
            const broken = mutate(deploy, (d) => {
                delete d.jobs.staging.steps[4].with["role-to-assume"];
                d.jobs.prod.permissions = { contents: "read" };
            });
            assert.deepEqual(checkOidcOnly(broken), [
                "deploy.yml: job staging configures AWS credentials without role-to-assume",
                "deploy.yml: job prod uses pulumi/auth-actions without permissions id-token: write",
                "deploy.yml: job prod uses aws-actions/configure-aws-credentials without permissions id-token: write",
            ]);
        });

        it("broad permissions", () => {
            const broken = mutate(pr, (d) => {
                d.permissions = "write-all";
                d.jobs.test.permissions = { contents: "write", "id-token": "write" };
                delete d.jobs.plan.permissions;
            });
            assert.deepEqual(checkPermissions(broken), [
                "pull-request.yml: top-level permissions must be {} (each job asks for its own)",
                "pull-request.yml: job test must not write contents",
                "pull-request.yml: job test asks for id-token: write but reaches no OIDC audience",
                "pull-request.yml: job plan must list its permissions",
            ]);
        });

        it("a preview or an up without the pack", () => {
            const noPackUp = mutate(deploy, (d) => delete d.jobs.staging.steps[5].with.policyPacks);
            assert.deepEqual(checkPolicyPack(noPackUp), [
                "deploy.yml: job staging runs pulumi up without the policy pack",
            ]);
            const noPackPreview = mutate(pr, (d) => {
                const step = d.jobs.preview.steps.find((s: any) => /pulumi preview/.test(s.run ?? ""));
                step.run = step.run.replace("--policy-pack policy-pack ", "");
            });
            assert.deepEqual(checkPolicyPack(noPackPreview), [
                "pull-request.yml: job preview runs pulumi preview without the policy pack",
            ]);
        });

        it("an up without an environment, with a shared or cancellable concurrency group", () => {
            const broken = mutate(deploy, (d) => {
                delete d.jobs.dev.environment;
                d.jobs.staging.concurrency = { group: "pulumi-up", "cancel-in-progress": false };
                d.jobs.prod.concurrency["cancel-in-progress"] = true;
            });
            assert.deepEqual(checkMutatingJobs(broken, all), [
                "deploy.yml: job dev changes a stack without a GitHub environment",
                'deploy.yml: job staging needs a concurrency group naming its stack "staging"',
                "deploy.yml: job prod must set cancel-in-progress: false",
            ]);
        });

        it("an up reachable from a pull request, directly or through a local reusable workflow", () => {
            const direct = mutate(deploy, (d) => (d.on = { pull_request: null }));
            assert.deepEqual(checkPullRequests(direct, all), [
                "deploy.yml: job dev changes a stack on a pull request",
                "deploy.yml: job staging changes a stack on a pull request",
                "deploy.yml: job prod changes a stack on a pull request",
            ]);
            const throughCall = mutate(pr, (d) => (d.jobs.sneaky = { uses: "./.github/workflows/deploy.yml" }));
            assert.deepEqual(checkPullRequests(throughCall, all), [
                "pull-request.yml: job sneaky changes a stack on a pull request",
            ]);
            const target = mutate(pr, (d) => (d.on = { pull_request_target: null }));
            assert.deepEqual(checkPullRequests(target, all), [
                "pull-request.yml: pull_request_target runs fork code with the base repository's rights",
            ]);
        });

        it("a Pulumi CLI range, or another version than the locked SDK's", () => {
            const broken = mutate(deploy, (d) => (d.jobs.dev.steps[5].with["pulumi-version"] = "^3"));
            assert.deepEqual(checkPulumiVersion(broken, SDK_VERSION), [
                `deploy.yml: job dev installs Pulumi CLI "^3", not ${SDK_VERSION}`,
            ]);
            const check = wf("policy-check.yml");
            const stale = mutate(check, (d) => (d.on.workflow_call.inputs["pulumi-version"].default = "3.100.0"));
            assert.deepEqual(checkPulumiVersion(stale, SDK_VERSION), [
                `policy-check.yml: job policy-check installs Pulumi CLI "3.100.0", not ${SDK_VERSION}`,
            ]);
        });

        it("prod not waiting for staging", () => {
            const broken = mutate(deploy, (d) => (d.jobs.prod.needs = "dev"));
            assert.deepEqual(checkPromotion(broken, ENVIRONMENTS), ["deploy.yml: prod must need staging"]);
        });

        it("an action on a tag, an unknown action, and a misspelled input", () => {
            const broken = mutate(pr, (d) => {
                d.jobs.test.steps[0].uses = "actions/checkout@v7";
                d.jobs.test.steps[1].with["node-versoin"] = 20;
                d.jobs.plan.steps[0].uses = "someone/else@3d3c42e5aac5ba805825da76410c181273ba90b1";
            });
            assert.deepEqual(checkPinnedActions(broken), [
                "pull-request.yml: job test must pin actions/checkout to 3d3c42e5aac5ba805825da76410c181273ba90b1 (v7.0.1), not v7",
                'pull-request.yml: job test: actions/checkout@v7 must end with "# v7.0.1"',
                'pull-request.yml: job test: actions/setup-node has no input "node-versoin"',
                "pull-request.yml: job plan uses someone/else, which is not in PINNED_ACTIONS",
            ]);
        });
    });
});
