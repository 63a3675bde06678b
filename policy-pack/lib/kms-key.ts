/**
 * KMS key references in resource inputs. An `alias/aws/<service>` key is AWS-managed: its key
 * policy can't be edited, so it can't be shared across accounts or restricted to a pipeline
 * (https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key).
 */
import { asString } from "./props";

/** `alias/aws/s3`, `arn:aws:kms:...:alias/aws/codebuild`, ... (unknown values are not). */
export function isAwsManagedKeyAlias(value: unknown): boolean {
    const id = asString(value);
    return id !== undefined && /(^|:)alias\/aws\//.test(id);
}
