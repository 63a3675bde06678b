/**
 * The pipelines of one stack, from its config through the project's own loader and model: the same names the
 * program gives them, so the commands read exactly what `pulumi up` created.
 */
import { buildPipelineModel } from "../../model/pipeline";
import { deployStageName } from "../../model/metrics";
import { configFromStackValues } from "../../stacks/platform-config";
import { loadStackConfig } from "../plan/stack-config";

export interface StackPipeline {
    readonly service: string;
    readonly pipelineName: string;
    readonly deployStage: string;
}

export interface StackTargets {
    readonly stack: string;
    readonly environment: string;
    readonly accountId: string;
    readonly region: string;
    readonly pipelines: readonly StackPipeline[];
}

export function stackTargets(dir: string, stack: string): StackTargets {
    const { values } = loadStackConfig(dir, stack);
    const config = configFromStackValues(values, stack);
    const { environment } = config;
    return {
        stack,
        environment: environment.name,
        accountId: environment.accountId,
        region: environment.region,
        pipelines: config.services.map((service) => {
            const model = buildPipelineModel(environment, service);
            return { service: service.name, pipelineName: model.pipelineName, deployStage: deployStageName(model) };
        }),
    };
}
