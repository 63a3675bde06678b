/**
 * Stacks that make the program register every resource type it can: every deploy kind (and its variants), every
 * source kind, checks before and after the deploy, every test suite, waves, a cross-account deploy, approvals and
 * notifications, in each tier and each release role. Built from the enumerations of the schemas and the model, so a
 * kind, source or role added there without a sample here fails (`coverageGaps`), and written as stack files of the
 * repository's program (the same evaluation `npm run deployer-policy` makes). None of it is an example stack.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { planStack, type PlannedStack } from "../../tools/deployer-policy/plan-source";
import { DEPLOY_KINDS } from "../../model/deploy-kinds";
import type { DeployKindName } from "../../stacks/deploy-kinds";
import { RELEASE_ROLES, WAVE_KINDS, type ReleaseRole } from "../../stacks/release-schema";
import { sourceSchema, testsSchema } from "../../stacks/service-schema";
import { checksSchema } from "../../stacks/checks";
import { cloudFormationDeploy, ec2BlueGreenDeploy, ec2Deploy, ratingsCheck } from "../kinds/fixtures";
import {
    CONNECTION,
    ecsBlueGreenDeploy,
    ecsRollingDeploy,
    inAccount,
    keyed,
    lambdaDeploy,
    rawService,
} from "../fixtures/config";

export const REGION = "eu-west-1";
/** Waves deploy here too (an artifact store of its own). */
export const WAVE_REGION = "eu-central-1";
/** A target account with a deploy role (cross-account deploys). */
export const TARGET_ACCOUNT = "444444444444";
export const TARGET_ROLE = `arn:aws:iam::${TARGET_ACCOUNT}:role/cicd/deployer`;

export interface ChainStack {
    readonly stack: string;
    readonly tier: "development" | "staging" | "production";
    readonly role: ReleaseRole;
    readonly accountId: string;
}

/** The chain dev → staging → prod, one link per release role, in accounts of no example stack. */
export const CHAIN: readonly ChainStack[] = [
    { stack: "dev", tier: "development", role: "build", accountId: "111111111111" },
    { stack: "staging", tier: "staging", role: "verify", accountId: "222222222222" },
    { stack: "prod", tier: "production", role: "release", accountId: "333333333333" },
];

const link = (s: ChainStack) => ({ environment: s.stack, accountId: s.accountId, region: REGION });

/** A sample deploy of each kind, variants of a kind as extra entries. Typed by kind: a new kind must add one. */
const DEPLOYS: { readonly [K in DeployKindName]: readonly Record<string, unknown>[] } = {
    "ecs-rolling": [ecsRollingDeploy],
    "ecs-blue-green": [
        ecsBlueGreenDeploy,
        {
            ...ecsBlueGreenDeploy,
            testListenerArn: ecsBlueGreenDeploy.listenerArn.replace(/\/[0-9a-f]+$/, "/9f8e7d6c5b4a3f2e"),
        },
    ],
    lambda: [lambdaDeploy],
    "s3-site": [{ kind: "s3-site", bucket: "www-example-com" }],
    "ec2-codedeploy": [
        ec2Deploy,
        ec2BlueGreenDeploy,
        { ...ec2Deploy, deploymentConfig: { minimumHealthyHostsPercent: 50 } },
    ],
    cloudformation: [cloudFormationDeploy],
};

/** A sample source of each kind (the S3 one also with its own KMS key). */
const SOURCES: Record<string, readonly Record<string, unknown>[]> = {
    codestar: [{ kind: "codestar", connectionArn: CONNECTION, repository: "acme/app" }],
    codecommit: [{ kind: "codecommit", repository: "app" }],
    s3: [
        { kind: "s3", bucket: "acme-source", objectKey: "app/source.zip", eventBridgeEnabled: true },
        {
            kind: "s3",
            bucket: "acme-source",
            objectKey: "app/keyed.zip",
            eventBridgeEnabled: true,
            kmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e",
        },
    ],
};

const suite = (command: string) => ({ commands: [command], reports: ["reports/junit.xml"] });

/** Suites a link may run: pre-deploy ones only where releases are built (release rules). */
const suitesFor = (role: ReleaseRole): Record<string, unknown> =>
    role === "build"
        ? {
              unit: suite("npm test"),
              security: suite("npm audit"),
              integration: suite("npm run it"),
              smoke: suite("curl -fsS https://example.com/"),
          }
        : { integration: suite("npm run it"), smoke: suite("curl -fsS https://example.com/") };

/** Every service of one link: each deploy variant, each source variant, checks, waves and a cross-account deploy. */
function services(s: ChainStack): Record<string, unknown>[] {
    const tests = suitesFor(s.role);
    const out: Record<string, unknown>[] = [];
    (Object.keys(DEPLOYS) as DeployKindName[]).forEach((kind) =>
        DEPLOYS[kind].forEach((deploy, i) => out.push(rawService({ name: `${kind}-${i}`, tests, deploy }))),
    );
    // Where releases feed the pipelines, the release location is the source: git and S3 sources matter where
    // releases are built.
    if (s.role === "build")
        Object.entries(SOURCES).forEach(([kind, sources]) =>
            sources.forEach((source, i) => out.push(rawService({ name: `src-${kind}-${i}`, source, tests }))),
        );
    out.push(
        rawService({
            name: "image-build",
            tests,
            build: {
                commands: { build: ['docker build -t "$IMAGE_URI" .'] },
                containerImage: true,
                imageRepository: "acme/image-build",
                cache: "s3",
                cachePaths: ["/root/.npm/**/*"],
                secrets: { NPM_TOKEN: { parameter: "/ci/npm-token" } },
            },
            deploy: ecsRollingDeploy,
        }),
        rawService({
            name: "checked",
            tests,
            deploy: lambdaDeploy,
            checks: [ratingsCheck("before-deploy"), { ...ratingsCheck("after-deploy"), name: "RatingsAfter" }],
        }),
        ...WAVE_KINDS.map((kind) =>
            rawService({
                name: `wave-${kind}`,
                tests,
                deploy: DEPLOYS[kind][0],
                regions: [REGION, WAVE_REGION],
            }),
        ),
        rawService({
            name: "cross-account",
            tests,
            deploy: { kind: "s3-site", bucket: "cross-example-com", accountId: TARGET_ACCOUNT },
        }),
        rawService({
            name: "cross-rolling",
            tests,
            deploy: {
                ...ecsRollingDeploy,
                accountId: TARGET_ACCOUNT,
                passRoleArns: [`arn:aws:iam::${TARGET_ACCOUNT}:role/worker-task`],
            },
        }),
    );
    // The samples' ARNs name the dev account; each link's are its own account's (stacks/arn-rules.ts).
    return out.map((service) => inAccount(service, s.accountId));
}

/** `config:` of a link's stack file, as YAML would give it. */
export function stackValues(s: ChainStack): Record<string, unknown> {
    const i = CHAIN.indexOf(s);
    const from = i > 0 ? { from: link(CHAIN[i - 1]) } : {};
    const promoteTo = i < CHAIN.length - 1 ? { promoteTo: link(CHAIN[i + 1]) } : {};
    return {
        "aws:region": REGION,
        "cicd:environment": {
            name: s.stack,
            tier: s.tier,
            accountId: s.accountId,
            region: REGION,
            ...(s.tier === "development" ? {} : { executionMode: "QUEUED" }),
            approval: { required: true, emails: ["approvers@example.com"] },
            notifications: { emails: ["team@example.com"] },
            deployRoleArns: { [TARGET_ACCOUNT]: TARGET_ROLE },
            release: { role: s.role, ...from, ...promoteTo },
            gates: { deploymentWindow: { cron: "* * 9-16 ? * MON-THU", timeZone: "Europe/Dublin" }, bakeMinutes: 15 },
        },
        // A stack key replaces the project key whole: `{}` keeps Pulumi.yaml's example services out.
        "cicd:serviceDefaults": {},
        "cicd:services": keyed(...services(s)),
    };
}

const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface PlannedChain {
    /** Each link's stack of the main program, by stack name. */
    readonly main: ReadonlyMap<string, PlannedStack>;
    /** The deploy-target stack of TARGET_ACCOUNT for each link's cross-account deploys, by the link's stack name. */
    readonly targets: ReadonlyMap<string, PlannedStack>;
}

let planned: Promise<PlannedChain> | undefined;

/**
 * Writes the chain's stack files (and, for the deploy-target program, a main project holding them) into a new
 * temporary directory and evaluates each, as `npm run deployer-policy` does. Evaluated once per test process.
 */
export function planChain(): Promise<PlannedChain> {
    planned ??= (async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "every-type-"));
        // The main project as the deploy-target program reads it: no project-level services.
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), stringify({ name: "cicd-platform", runtime: "nodejs" }));
        const main = new Map<string, PlannedStack>();
        const targets = new Map<string, PlannedStack>();
        for (const s of CHAIN) {
            const file = path.join(dir, `Pulumi.${s.stack}.yaml`);
            fs.writeFileSync(file, stringify({ config: stackValues(s) }));
            main.set(s.stack, await planStack(REPO_ROOT, s.stack, file));
            const target = `target-${s.stack}`;
            const targetFile = path.join(dir, `Pulumi.${target}.yaml`);
            const targetConfig = {
                "aws:region": REGION,
                "cicd-deploy-target:pipelineStack": s.stack,
                "cicd-deploy-target:accountId": TARGET_ACCOUNT,
                "cicd-deploy-target:pipelineProject": dir,
            };
            fs.writeFileSync(targetFile, stringify({ config: targetConfig }));
            targets.set(s.stack, await planStack(path.join(REPO_ROOT, "deploy-target"), target, targetFile));
        }
        return { main, targets };
    })();
    return planned;
}

/**
 * What the samples leave out of the enumerations they claim to cover (empty when complete): deploy kinds, source
 * kinds, check kinds, test suites and release roles.
 */
export function coverageGaps(): string[] {
    const values = CHAIN.map(stackValues);
    const used = (pick: (svc: Record<string, any>) => unknown[]) =>
        new Set(values.flatMap((v) => Object.values(v["cicd:services"] as Record<string, any>).flatMap(pick)));
    const deploys = used((svc) => [svc.deploy.kind]);
    const sources = used((svc) => [svc.source.kind]);
    const checks = used((svc) => (svc.checks ?? []).map((c: { kind: string }) => c.kind));
    const suites = used((svc) => Object.keys(svc.tests ?? {}));
    const roles = new Set(values.map((v) => (v["cicd:environment"] as { release: { role: string } }).release.role));
    const missing = (what: string, all: readonly string[], got: Set<unknown>) =>
        all.filter((k) => !got.has(k)).map((k) => `${what} ${k}`);
    return [
        ...missing("deploy kind", Object.keys(DEPLOY_KINDS), deploys),
        ...missing(
            "source kind",
            sourceSchema.options.map((o) => o.shape.kind.value),
            sources,
        ),
        ...missing(
            "check kind",
            checksSchema.unwrap().element.options.map((o) => o.shape.kind.value),
            checks,
        ),
        ...missing("test suite", Object.keys(testsSchema.shape), suites),
        ...missing("release role", RELEASE_ROLES, roles),
    ];
}
