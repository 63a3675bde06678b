/**
 * The deployer policy's only coupling to the offline plan tool: evaluate one stack of the program under Pulumi
 * mocks (the same evaluation `npm run plan` writes to `.plan/<stack>/resources.json`) and hand back the planned
 * resources with the stack's account, region and partition. When `tools/plan` changes shape, only this file moves.
 */
import * as path from "path";
import { evaluateStack } from "../plan/evaluate";
import { loadStackConfig } from "../plan/stack-config";
import type { Resource } from "../shared/resource";

/** A resource as the offline plan records it. */
export type PlannedResource = Resource;

export interface StackFacts {
    readonly stack: string;
    readonly account: string;
    readonly region: string;
    readonly partition: string;
}

export interface PlannedStack extends StackFacts {
    readonly resources: readonly PlannedResource[];
}

/** Partition of a region: `aws-cn` in China, `aws-us-gov` in GovCloud, `aws` elsewhere. */
export const partitionOf = (region: string): string =>
    region.startsWith("cn-") ? "aws-cn" : region.includes("-gov-") ? "aws-us-gov" : "aws";

/** The account the stack deploys into: the main program's environment, or a deploy-target stack's own account. */
function accountOf(values: Record<string, unknown>): string | undefined {
    const environment = values["cicd:environment"] as { accountId?: unknown } | undefined;
    const candidate = environment?.accountId ?? values["cicd-deploy-target:accountId"];
    return typeof candidate === "string" ? candidate : undefined;
}

/** Evaluates `<dir>/Pulumi.<stack>.yaml` (or `stackFile`) with physical names known (not in preview mode). */
export async function planStack(dir: string, stack: string, stackFile?: string): Promise<PlannedStack> {
    if (stackFile && path.basename(stackFile) !== `Pulumi.${stack}.yaml`)
        throw new Error(`\`--stack-file\` must be named Pulumi.${stack}.yaml for stack ${stack}, not ${stackFile}.`);
    const config = loadStackConfig(dir, stack, stackFile ? path.dirname(stackFile) : dir);
    const account = accountOf(config.values);
    const region = typeof config.values["aws:region"] === "string" ? config.values["aws:region"] : undefined;
    if (!account || !/^\d{12}$/.test(account))
        throw new Error(
            `\`cicd:environment.accountId\` (or \`cicd-deploy-target:accountId\`) of stack ${stack} must be a quoted 12-digit account id: the policy's ARNs are in that account.`,
        );
    if (!region) throw new Error(`\`aws:region\` of stack ${stack} is not set: the policy's ARNs are in that region.`);
    const { resources } = await evaluateStack(dir, config, false);
    return { stack, account, region, partition: partitionOf(region), resources };
}
