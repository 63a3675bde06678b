import { strict as assert } from "node:assert";
import {
    environmentSubject,
    githubTrustPolicy,
    oidcProviderArn,
    pullRequestSubject,
    STS_AUDIENCE,
} from "../../bootstrap/documents";
import { loadWorkflows } from "../workflows/workflow-checks";
import { ACCOUNT, trustDecision, type Decision } from "./sim";

const REPO = "acme/pulumi-cicd-platform";
const PROVIDER = oidcProviderArn(ACCOUNT);
const ENVIRONMENTS = ["dev", "staging", "prod"];
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/cicd/github/${name}`;

/** The decision for a token with `sub` (and the STS audience unless given) against the role's trust. */
const assume = (
    trustSubject: string,
    sub: string | undefined,
    extra: { aud?: string; provider?: string } = {},
): Decision =>
    trustDecision(role("r"), githubTrustPolicy(PROVIDER, trustSubject), {
        provider: extra.provider ?? PROVIDER,
        sub,
        aud: "aud" in extra ? extra.aud : STS_AUDIENCE,
    });

describe("bootstrap: GitHub OIDC trust (IAM simulator)", () => {
    it("pins aud to sts.amazonaws.com and sub to one subject with StringEquals", () => {
        assert.deepEqual(githubTrustPolicy(PROVIDER, pullRequestSubject(REPO)).Statement[0].Condition, {
            StringEquals: {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": "repo:acme/pulumi-cicd-platform:pull_request",
            },
        });
    });

    describe("each deploy role is assumable only from its own GitHub environment", () => {
        for (const env of ENVIRONMENTS) {
            it(env, () => {
                const trust = environmentSubject(REPO, env);
                assert.equal(assume(trust, `repo:${REPO}:environment:${env}`), "Allowed");
                const denied: Record<string, Decision> = {};
                const attempts = [
                    pullRequestSubject(REPO),
                    `repo:${REPO}:ref:refs/heads/main`,
                    ...ENVIRONMENTS.filter((e) => e !== env).map((e) => environmentSubject(REPO, e)),
                    `repo:acme/other-repo:environment:${env}`,
                    `repo:${REPO}:environment:${env.toUpperCase()}x`,
                    `repo:${REPO}:environment:${env}:extra`,
                ];
                for (const sub of attempts) denied[sub] = assume(trust, sub);
                assert.deepEqual(
                    Object.entries(denied).filter(([, d]) => d !== "ImplicitlyDenied"),
                    [],
                );
            });
        }
    });

    it("the preview role is assumable only from this repository's pull requests", () => {
        const trust = pullRequestSubject(REPO);
        assert.equal(assume(trust, `repo:${REPO}:pull_request`), "Allowed");
        for (const sub of [
            environmentSubject(REPO, "prod"),
            `repo:${REPO}:ref:refs/heads/main`,
            "repo:acme/other-repo:pull_request",
            "repo:evil/pulumi-cicd-platform:pull_request",
        ])
            assert.equal(assume(trust, sub), "ImplicitlyDenied", sub);
    });

    it("rejects another repository, a wrong or missing audience, a missing subject and another provider", () => {
        const trust = environmentSubject(REPO, "prod");
        const sub = environmentSubject(REPO, "prod");
        assert.equal(assume(trust, "repo:acme/fork:environment:prod"), "ImplicitlyDenied");
        assert.equal(assume(trust, sub, { aud: "https://github.com/acme" }), "ImplicitlyDenied");
        assert.equal(assume(trust, sub, { aud: undefined }), "ImplicitlyDenied");
        assert.equal(assume(trust, undefined), "ImplicitlyDenied");
        assert.equal(assume(trust, sub, { provider: oidcProviderArn("999999999999") }), "ImplicitlyDenied");
    });

    it("the subjects trusted are the ones our workflows' jobs present", () => {
        const jobs = loadWorkflows().flatMap((w) => Object.values(w.jobs));
        const upEnvironments = jobs.map((j) => j.environment).filter((e) => ENVIRONMENTS.includes(String(e)));
        assert.deepEqual(upEnvironments, ENVIRONMENTS, "deploy.yml binds one job to each environment");
        const preview = loadWorkflows().find((w) => w.file === "pull-request.yml")!;
        assert.ok("pull_request" in preview.on && preview.jobs.preview.environment === undefined);
    });
});
