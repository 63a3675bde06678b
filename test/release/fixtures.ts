import { planEnvironment, type EnvironmentPlan } from "../../model/environment";
import { environmentSchema, type EnvironmentConfig } from "../../stacks/environment-schema";
import { serviceSchema, type ServiceConfig } from "../../stacks/service-schema";
import { CONNECTION, ecsBlueGreenDeploy, lambdaDeploy } from "../fixtures/config";

/** A three-link chain in three accounts (none of them the example stacks'). */
export const DEV = { environment: "dev", accountId: "111111111111", region: "eu-west-1" };
export const STAGING = { environment: "staging", accountId: "222222222222", region: "eu-west-1" };
export const PROD = { environment: "prod", accountId: "333333333333", region: "eu-west-1" };

const base = (link: typeof DEV) => ({ name: link.environment, accountId: link.accountId, region: link.region });

export const devEnv: EnvironmentConfig = environmentSchema.parse({
    ...base(DEV),
    tier: "development",
    release: { promoteTo: STAGING },
});
export const stagingEnv: EnvironmentConfig = environmentSchema.parse({
    ...base(STAGING),
    tier: "staging",
    executionMode: "QUEUED",
    release: { from: DEV, promoteTo: PROD },
});
export const prodEnv: EnvironmentConfig = environmentSchema.parse({
    ...base(PROD),
    tier: "production",
    executionMode: "QUEUED",
    release: { from: STAGING },
});

const source = { kind: "codestar", connectionArn: CONNECTION, repository: "acme/web" };

/** The same two services in every environment (an image built for blue/green, and a Lambda package). */
export const chainServices = (suites: Record<string, unknown>): ServiceConfig[] => [
    serviceSchema.parse({
        name: "web",
        source,
        build: {
            commands: { build: ['docker build -t "$IMAGE_URI" .'] },
            containerImage: true,
            imageRepository: "acme/web",
            artifactFiles: ["imageDetail.json", "appspec.yaml", "taskdef.json"],
        },
        tests: suites,
        deploy: ecsBlueGreenDeploy,
    }),
    serviceSchema.parse({
        name: "orders-api",
        source,
        build: { commands: { build: ["npm run build"] } },
        tests: suites,
        deploy: lambdaDeploy,
    }),
];

const smoke = { smoke: { commands: ["curl -fsS https://example.com/"] } };
const plan = (environment: EnvironmentConfig, suites: Record<string, unknown>): EnvironmentPlan =>
    planEnvironment({ environment, services: chainServices(suites) }, { stackFile: `Pulumi.${environment.name}.yaml` });

export const devPlan = plan(devEnv, { unit: { commands: ["npm test"] }, ...smoke });
export const stagingPlan = plan(stagingEnv, { integration: { commands: ["npm run it"] }, ...smoke });
export const prodPlan = plan(prodEnv, smoke);
