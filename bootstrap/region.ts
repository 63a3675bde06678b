import { BootstrapConfigError } from "./config";

// A commercial, GovCloud or China region name, e.g. eu-west-1, us-gov-west-1, cn-north-1.
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * The region the bootstrap's provider calls AWS in: the stack's `aws:region`, required. An explicit
 * `aws.Provider` does not read `aws:region` itself (only AWS_REGION/AWS_DEFAULT_REGION from the environment), so
 * without this a laptop's or runner's environment would choose it. IAM is global, but the provider checks
 * `allowedAccountIds` through STS, and AWS recommends Regional STS endpoints, whose session tokens are valid in all
 * Regions (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_enable-regions.html).
 */
export function stackRegion(value: unknown): string {
    if (value === undefined || value === "")
        throw new BootstrapConfigError([
            "`aws:region` is required: set it to the region the provider uses, e.g. `pulumi config set aws:region eu-west-1` (Pulumi.example.yaml sets it).",
        ]);
    if (typeof value !== "string" || !REGION.test(value))
        throw new BootstrapConfigError([
            `\`aws:region\` is ${JSON.stringify(value)}, which is not a region name: set it to one like eu-west-1.`,
        ]);
    return value;
}
