/**
 * Production pipelines deploy to their regions gradually. Mirrors AWS Config `codepipeline-region-fanout-check`
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
}

/** Deploy actions grouped by stage, then runOrder; undefined when an order or region is unknown in preview. */
export function deploymentSteps(stages: unknown): Step[] | undefined {
    const steps: Step[] = [];
    for (const [index, stage] of (asArray(stages) ?? []).entries()) {
        const byOrder = new Map<number, Set<string>>();
        for (const action of asArray(dig(stage, "actions")) ?? []) {
            if (dig(action, "category") !== "Deploy") continue;
            const order = dig(action, "runOrder") ?? 1;
            const region = dig(action, "region") ?? HOME;
            if (typeof order !== "number" || isUnknown(region) || typeof region !== "string") return undefined;
            byOrder.set(order, (byOrder.get(order) ?? new Set()).add(region));
        }
        const name = asString(dig(stage, "name")) ?? `#${index + 1}`;
        for (const order of [...byOrder.keys()].sort((a, b) => a - b))
            steps.push({ stage: name, runOrder: order, regions: [...byOrder.get(order)!].sort() });
    }
    return steps;
}

/** The first step that fans out faster than the factor allows, as a sentence; undefined when none does. */
export function fanoutProblem(steps: readonly Step[], factor: number): string | undefined {
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

function validate(args: StackValidationArgs, report: (message: string, urn?: string) => void): void {
    const config = args.getConfig<FanoutConfig>();
    for (const resource of args.resources.filter((r) => r.type === PIPELINE_TYPE)) {
        const props = plain(resource.props);
        const verdict = detectStackResourceProduction(resource, args, config, deployAccounts(props));
        if (!verdict.production) continue;
        const steps = deploymentSteps(dig(props, "stages"));
        const problem = steps && fanoutProblem(steps, config.regionFanoutFactor ?? 3);
        if (problem)
            report(
                `CodePipeline '${resource.name}' in a production stack (${verdict.reason}) ${problem}`,
                resource.urn,
            );
    }
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
    validateStack: validate,
};
