/**
 * Production pipelines deploy gradually: to few regions (region fan-out) and in few deployments at a time (count).
 * Region fan-out mirrors AWS Config `codepipeline-region-fanout-check`
 * (https://docs.aws.amazon.com/config/latest/developerguide/codepipeline-region-fanout-check.html): the first
 * deployment deploys to one region, and each later one to at most `regionFanoutFactor` (default 3) times the regions
 * deployed to before it. AWS Config counts stages; inside a stage, actions with a higher runOrder start only once the
 * lower ones succeeded (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-pipeline-structure.html),
 * so each runOrder of a stage's Deploy actions counts as one deployment step here. An action without `region` runs
 * in the pipeline's region (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_ActionDeclaration.html).
 */
import { StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { detectStackResourceProduction, ProductionConfig, productionConfigSchema } from "../lib/production";
import { asArray, asString, dig, isUnknown, plain } from "../lib/props";
import { deployAccounts, PIPELINE_TYPE } from "./codepipeline";

/** The pipeline's own region, where actions without `region` run. */
const HOME = "the pipeline's region";

interface Step {
    readonly stage: string;
    readonly runOrder: number;
    readonly regions: readonly string[];
    /** Deploy actions of the step (one per deployment, whatever their regions). */
    readonly actions: readonly string[];
    /** Some action's region is unknown in preview: its regions can't be counted, its actions can. */
    readonly regionUnknown: boolean;
}

/** Deploy actions grouped by stage, then runOrder; undefined when an order is unknown in preview. */
export function deploymentSteps(stages: unknown): Step[] | undefined {
    const steps: Step[] = [];
    for (const [index, stage] of (asArray(stages) ?? []).entries()) {
        const byOrder = new Map<number, { regions: Set<string>; actions: string[]; regionUnknown: boolean }>();
        for (const [position, action] of (asArray(dig(stage, "actions")) ?? []).entries()) {
            if (dig(action, "category") !== "Deploy") continue;
            const order = dig(action, "runOrder") ?? 1;
            const region = dig(action, "region") ?? HOME;
            if (typeof order !== "number") return undefined;
            const step = byOrder.get(order) ?? { regions: new Set<string>(), actions: [], regionUnknown: false };
            if (typeof region === "string" && !isUnknown(region)) step.regions.add(region);
            else step.regionUnknown = true;
            step.actions.push(asString(dig(action, "name")) ?? `#${position + 1}`);
            byOrder.set(order, step);
        }
        const name = asString(dig(stage, "name")) ?? `#${index + 1}`;
        for (const order of [...byOrder.keys()].sort((a, b) => a - b)) {
            const { regions, actions, regionUnknown } = byOrder.get(order)!;
            steps.push({ stage: name, runOrder: order, regions: [...regions].sort(), actions, regionUnknown });
        }
    }
    return steps;
}

/** The first step that fans out faster than the factor allows, as a sentence; undefined when none does. */
export function fanoutProblem(steps: readonly Step[], factor: number): string | undefined {
    if (steps.some((s) => s.regionUnknown)) return undefined;
    const before = new Set<string>();
    for (const [i, step] of steps.entries()) {
        const allowed = i === 0 ? 1 : factor * before.size;
        if (step.regions.length > allowed) {
            const where = `stage '${step.stage}', runOrder ${step.runOrder}`;
            const first = i === 0 ? "its first deployment step" : `deployment step ${i + 1}`;
            const limit =
                i === 0
                    ? "a first deployment proves a change in one region"
                    : `at most ${allowed} (regionFanoutFactor ${factor} × the ${before.size} region(s) deployed before)`;
            return (
                `deploys to ${step.regions.length} regions at once in ${first} (${where}: ${step.regions.join(", ")}); ` +
                `${limit}. Give the other regions' Deploy actions later runOrders or later stages, so fewer regions ` +
                `take the change at a time.`
            );
        }
        step.regions.forEach((r) => before.add(r));
    }
    return undefined;
}

interface FanoutConfig extends ProductionConfig {
    regionFanoutFactor?: number;
}

const fanoutSchema = {
    regionFanoutFactor: {
        type: "integer",
        minimum: 1,
        default: 3,
        description:
            "How many times the regions deployed before a deployment step that step may deploy to (AWS Config's parameter of the same name).",
    },
} as const;

/** Runs `judge` on the deployment steps of every production pipeline of the stack. */
function validateSteps<C extends ProductionConfig>(
    judge: (steps: readonly Step[], config: C) => string | undefined,
): StackValidationPolicy["validateStack"] {
    return (args: StackValidationArgs, report: (message: string, urn?: string) => void): void => {
        const config = args.getConfig<C>();
        for (const resource of args.resources.filter((r) => r.type === PIPELINE_TYPE)) {
            const props = plain(resource.props);
            const verdict = detectStackResourceProduction(resource, args, config, deployAccounts(props));
            if (!verdict.production) continue;
            const steps = deploymentSteps(dig(props, "stages"));
            const problem = steps && judge(steps, config);
            if (problem)
                report(
                    `CodePipeline '${resource.name}' in a production stack (${verdict.reason}) ${problem}`,
                    resource.urn,
                );
        }
    };
}

/**
 * In production, a pipeline's deployments fan out across regions gradually (see the file comment). Unknown run
 * orders or regions pass in preview.
 */
export const codepipelineRegionFanout: StackValidationPolicy = {
    name: "codepipeline-region-fanout",
    description:
        "In production, a pipeline deploys to one region first and then to at most regionFanoutFactor (default 3) times the regions deployed before each step.",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...productionConfigSchema, ...fanoutSchema } },
    validateStack: validateSteps<FanoutConfig>((steps, config) => fanoutProblem(steps, config.regionFanoutFactor ?? 3)),
};

/** The first step with more deployments than allowed, as a sentence; undefined when none has. */
export function deploymentCountProblem(steps: readonly Step[], limit: number | undefined): string | undefined {
    for (const [i, step] of steps.entries()) {
        const allowed = i === 0 ? 1 : limit;
        if (allowed === undefined || step.actions.length <= allowed) continue;
        const where = `stage '${step.stage}', runOrder ${step.runOrder}`;
        const names = step.actions.map((a) => `'${a}'`).join(", ");
        const rule =
            i === 0
                ? "a first deployment step performs one deployment, so a bad change stops there"
                : `at most ${allowed} (deploymentLimit) per later step`;
        return (
            `performs ${step.actions.length} deployments at once in ${i === 0 ? "its first deployment step" : `deployment step ${i + 1}`} ` +
            `(${where}: ${names}); ${rule}. Give the other Deploy actions later runOrders or later stages.`
        );
    }
    return undefined;
}

interface CountConfig extends ProductionConfig {
    deploymentLimit?: number;
}

const countSchema = {
    deploymentLimit: {
        type: "integer",
        minimum: 1,
        description:
            "The most Deploy actions each deployment step after the first may run at once (AWS Config's optional parameter of the same name; unset: no limit).",
    },
} as const;

/**
 * In production, a pipeline's first deployment step runs one Deploy action, and each later step at most
 * `deploymentLimit` when it is set. Mirrors AWS Config `codepipeline-deployment-count-check`
 * (https://docs.aws.amazon.com/config/latest/developerguide/codepipeline-deployment-count-check.html: the first
 * deployment stage performs at most one deployment; optionally each later stage at most `deploymentLimit`). As for
 * the region fan-out, each runOrder of a stage's Deploy actions is one step, since actions at one runOrder run in
 * parallel (https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-pipeline-structure.html). Unknown
 * run orders pass in preview; unknown regions do not matter here.
 */
export const codepipelineDeploymentCount: StackValidationPolicy = {
    name: "codepipeline-deployment-count",
    description:
        "In production, a pipeline's first deployment step runs one Deploy action, and each later step at most deploymentLimit (when set).",
    enforcementLevel: "mandatory",
    configSchema: { properties: { ...productionConfigSchema, ...countSchema } },
    validateStack: validateSteps<CountConfig>((steps, config) => deploymentCountProblem(steps, config.deploymentLimit)),
};
