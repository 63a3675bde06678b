import type { EnvironmentPlan, PipelinePlan } from "../../model/environment";
import { BUILD_ARTIFACT, SOURCE_ARTIFACT } from "../../model/pipeline";
import type { DeployKindName } from "../../stacks/deploy-kinds";
import { serviceSchema, type ServiceConfig } from "../../stacks/service-schema";
import { CONNECTION, ecsBlueGreenDeploy, ecsRollingDeploy, lambdaDeploy, planOf } from "../fixtures/config";
import { cloudFormationDeploy, ec2Deploy } from "../kinds/fixtures";
import { devEnv, prodEnv, stagingEnv } from "../release/fixtures";

/** A deploy config of every kind: a kind added to `DEPLOY_KINDS` without one here is a compile error. */
export const DEPLOYS: { readonly [K in DeployKindName]: Record<string, unknown> } = {
    "ecs-rolling": ecsRollingDeploy,
    "ecs-blue-green": ecsBlueGreenDeploy,
    lambda: lambdaDeploy,
    "s3-site": { kind: "s3-site", bucket: "www-example-com" },
    "ec2-codedeploy": ec2Deploy,
    cloudformation: cloudFormationDeploy,
};

export const KINDS = Object.keys(DEPLOYS) as DeployKindName[];

/** Kinds that deploy a container image, so the build pushes one and writes the file the deploy reads. */
export const IMAGE_KINDS: readonly DeployKindName[] = ["ecs-rolling", "ecs-blue-green"];

/** What each kind's build leaves in the artifact (besides the platform's image file), relative to its root. */
const ARTIFACTS: { readonly [K in DeployKindName]: { files: string[]; baseDirectory?: string } } = {
    "ecs-rolling": { files: ["imagedefinitions.json"] },
    "ecs-blue-green": { files: ["imageDetail.json", "appspec.yaml", "taskdef.json"] },
    lambda: { files: ["dist/**/*"] },
    "s3-site": { files: ["**/*"], baseDirectory: "dist" },
    "ec2-codedeploy": { files: ["appspec.yml", "scripts/*", "dist/**/*"] },
    cloudformation: { files: ["network.yaml", "config/*.json"] },
};

/** Every suite, with commands that read what the platform gives them. */
const SUITES = {
    unit: { commands: ['echo "suite=$TEST_SUITE"', "npm test"], reports: ["reports/junit.xml"] },
    security: { install: ["npm ci --ignore-scripts"], commands: ["npx --yes audit-ci --moderate"] },
    integration: { commands: ["npm run it"] },
    smoke: {
        commands: ['curl -fsS "$SMOKE_URL"'],
        environment: { SMOKE_URL: "https://web.example.com/health" },
    },
};

const SUITE_IDS = Object.keys(SUITES) as (keyof typeof SUITES)[];

export const serviceName = (kind: DeployKindName): string => `svc-${kind}`;

/** The service of a kind: image kinds build and push an image; the others build files into `dist`. */
export function kindService(kind: DeployKindName, suites: readonly (keyof typeof SUITES)[] = SUITE_IDS): ServiceConfig {
    const image = IMAGE_KINDS.includes(kind);
    const { files, baseDirectory } = ARTIFACTS[kind];
    return serviceSchema.parse({
        name: serviceName(kind),
        source: { kind: "codestar", connectionArn: CONNECTION, repository: "acme/app" },
        build: {
            commands: {
                install: ["npm ci"],
                build: [
                    "npm run build",
                    ...(image ? ['docker build -t "$IMAGE_URI" .'] : ["mkdir -p dist && cp index.js dist/"]),
                ],
                postBuild: ['echo "build succeeding: $CODEBUILD_BUILD_SUCCEEDING"'],
            },
            ...(image ? { containerImage: true, imageRepository: `acme/${kind}` } : {}),
            artifactFiles: files,
            ...(baseDirectory ? { artifactBaseDirectory: baseDirectory } : {}),
            environment: { NODE_ENV: "production" },
        },
        tests: Object.fromEntries(suites.map((id) => [id, SUITES[id]])),
        deploy: DEPLOYS[kind],
    });
}

/** The repository as the source action hands it over (a zip of the files, no `.git`). */
export const SOURCE_FILES: Readonly<Record<string, string>> = {
    "package.json": JSON.stringify({ scripts: { build: "tsc", test: "mocha", it: "mocha it" } }),
    "package-lock.json": "{}",
    Dockerfile: "FROM public.ecr.aws/docker/library/node:20\n",
    "index.js": "exports.handler = async () => 'ok';\n",
    "appspec.yaml": "version: 0.0\n",
    "appspec.yml": "version: 0.0\n",
    "taskdef.json": '{"family":"web"}',
    "scripts/start.sh": "#!/bin/sh\n",
    "network.yaml": "Resources: {}\n",
    "config/dev.json": "{}",
};

export { BUILD_ARTIFACT, SOURCE_ARTIFACT };

/**
 * The three links of the release chain, each with one service of every kind. Environments fed by releases run only
 * the post-deploy suites (the release rules reject the others there).
 */
export const chainPlans = (): { dev: EnvironmentPlan; staging: EnvironmentPlan; prod: EnvironmentPlan } => {
    const released = (env: typeof stagingEnv) =>
        planOf(env, ...KINDS.map((kind) => kindService(kind, ["integration", "smoke"])));
    return {
        dev: planOf(devEnv, ...KINDS.map((kind) => kindService(kind))),
        staging: released(stagingEnv),
        prod: released(prodEnv),
    };
};

export const pipelineOf = (plan: EnvironmentPlan, kind: DeployKindName): PipelinePlan =>
    plan.pipelines.find((p) => p.service === serviceName(kind))!;

/** A dev plan of one service with the given build and deploy, for build options beyond the kinds' defaults. */
export const variantPlan = (
    name: string,
    build: Record<string, unknown>,
    deploy: Record<string, unknown> = ecsRollingDeploy,
): { env: EnvironmentPlan; pipeline: PipelinePlan } => {
    const env = planOf(
        devEnv,
        serviceSchema.parse({
            name,
            source: { kind: "codestar", connectionArn: CONNECTION, repository: "acme/app" },
            build,
            tests: { smoke: { commands: ["true"] } },
            deploy,
        }),
    );
    return { env, pipeline: env.pipelines[0] };
};

/** The variants the tests execute, for the checks that run over every generated buildspec. */
export const VARIANTS: readonly [string, Record<string, unknown>, Record<string, unknown>][] = [
    [
        "worker",
        {
            commands: { build: ['docker build -t "$IMAGE_URI" .'] },
            containerImage: true,
            imageRepository: "acme/worker",
            containerName: "app",
            artifactBaseDirectory: "out",
            artifactFiles: ["deploy/images.json"],
            cachePaths: ["/root/.npm/**/*"],
        },
        { ...ecsRollingDeploy, imageDefinitionsFile: "deploy/images.json" },
    ],
    [
        "api",
        {
            commands: { build: ['test "$NODE_ENV" = production', 'test -n "$NPM_TOKEN"', "echo built > out.txt"] },
            environment: { NODE_ENV: "production" },
            secrets: { NPM_TOKEN: { parameter: "/ci/npm-token" } },
            artifactFiles: ["out.txt"],
            cache: "s3",
            cachePaths: ["node_modules/**/*"],
        },
        DEPLOYS.lambda,
    ],
];
