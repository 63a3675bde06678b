import { bucketArn, type NameContext } from "../names";
import { allow, type Statement } from "./document";

/**
 * Statements on the environment's artifact store that several roles share. Every S3 grant carries
 * `aws:ResourceAccount`, so a bucket of the same name in another account (bucket names are global) never matches.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourceaccount
 */
const inAccount = (ctx: NameContext) => ({ StringEquals: { "aws:ResourceAccount": ctx.accountId } });

/** Objects under one prefix (or several) of the artifact bucket (a pipeline's artifact folder, or its build cache). */
export const prefixObjects = (
    ctx: NameContext,
    sid: string,
    bucket: string,
    prefix: string | readonly string[],
    actions: readonly string[],
): Statement | undefined =>
    allow(
        sid,
        actions,
        (typeof prefix === "string" ? [prefix] : prefix).map((p) => `${bucketArn(ctx, bucket)}/${p}/*`),
        inAccount(ctx),
    );

/** Bucket-level reads services make before touching objects (location, versioning, ownership). */
export const bucketReads = (
    ctx: NameContext,
    sid: string,
    bucket: string,
    actions: readonly string[],
): Statement | undefined => allow(sid, actions, [bucketArn(ctx, bucket)], inAccount(ctx));

/** S3 encrypts artifacts with the environment key (SSE-KMS): writing needs GenerateDataKey, reading Decrypt. */
export const ARTIFACT_WRITE_KMS = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"] as const;

export const keyUsage = (sid: string, keyArn: string, actions: readonly string[]): Statement | undefined =>
    allow(sid, actions, [keyArn]);
