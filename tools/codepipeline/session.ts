/**
 * Checks before reading a stack's pipelines: there are credentials, and they are for the stack's account. Errors
 * say what is wrong and how to fix it; they never print credentials.
 */
import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import type { StackTargets } from "./stack";

/** A problem the user can fix; printed without a stack trace. */
export class CliError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CliError";
    }
}

/**
 * GetCallerIdentity needs no permission, so it tells "no or expired credentials" from "wrong account"
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
 */
export async function checkAccount(sts: STSClient, targets: StackTargets): Promise<string> {
    let account: string | undefined;
    try {
        account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
    } catch (err) {
        const name = (err as Error).name;
        if (name === "CredentialsProviderError" || name === "ProviderError")
            throw new CliError(
                `no AWS credentials found. Sign in to account ${targets.accountId} (e.g. \`aws sso login\` or set ` +
                    "`AWS_PROFILE`), then run the command again.",
            );
        if (name === "ExpiredToken" || name === "ExpiredTokenException" || name === "InvalidClientTokenId")
            throw new CliError(`your AWS credentials were rejected (${name}). Refresh them and run the command again.`);
        throw err;
    }
    if (account !== targets.accountId)
        throw new CliError(
            `your AWS credentials are for account ${account}, but stack \`${targets.stack}\` runs its pipelines in ` +
                `account ${targets.accountId} (\`cicd:environment.accountId\`). Use credentials for ${targets.accountId}.`,
        );
    return account;
}

/**
 * True when the error says the pipeline does not exist
 * (https://docs.aws.amazon.com/codepipeline/latest/APIReference/API_GetPipelineState.html#API_GetPipelineState_Errors).
 */
export const isPipelineNotFound = (err: unknown): boolean => (err as Error)?.name === "PipelineNotFoundException";

export const notDeployedYet = (targets: StackTargets, pipelineName: string): string =>
    `pipeline \`${pipelineName}\` does not exist yet in account ${targets.accountId} (${targets.region}): ` +
    `run \`pulumi up --stack ${targets.stack}\` to create it.`;
