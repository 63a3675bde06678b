import { z } from "zod";
import { iamRoleArn } from "../primitives";

/** A path inside the build artifact: relative, no `..`. */
const artifactPath = (example: string) =>
    z.string().regex(/^(?!\/)(?!.*\.\.)[\w./-]+$/, {
        error: `must be a relative path inside the build artifact, like "${example}"`,
    });

/**
 * `cicd:services[i].deploy` for a CloudFormation stack, deployed through a change set (CodePipeline's `CloudFormation`
 * action): the change set is created from the build artifact's template, reviewed in production, then executed.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html
 */
export const cloudFormationSchema = z.strictObject({
    kind: z.literal("cloudformation"),
    /** Name of the stack (created by the first execution when it does not exist yet). */
    stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, {
        error: 'must be a CloudFormation stack name (letters, digits, hyphens; starts with a letter), like "orders-infra"',
    }),
    /** Template file in the build artifact. */
    templatePath: artifactPath("template.yaml"),
    /**
     * Template configuration file (parameters, tags, stack policy) in the build artifact.
     * @default none
     */
    templateConfigurationPath: artifactPath("config/prod.json").optional(),
    /**
     * Capabilities the template needs acknowledged.
     * @default []
     */
    capabilities: z.array(z.enum(["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"])).default([]),
    /**
     * Parameter values that override the template configuration's.
     * @default {}
     */
    parameterOverrides: z.record(z.string().regex(/^[A-Za-z0-9]{1,255}$/), z.string()).default({}),
    /**
     * The stack's execution role, which CloudFormation assumes to change the stack's resources: scoped to what the
     * template manages, never an administrator role. The pipeline may pass only this role, and only to CloudFormation.
     */
    roleArn: iamRoleArn,
});
