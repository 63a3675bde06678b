import { z } from "zod";
import { iamRoleArn } from "../primitives";

/** A path inside the build artifact: relative, no `..`. */
const artifactPath = (example: string) =>
    z.string().regex(/^(?!\/)(?!.*\.\.)[\w./-]+$/, {
        error: `must be a relative path inside the build artifact, like "${example}"`,
    });

/**
 * `cicd:services.<name>.deploy` for a CloudFormation stack, deployed through a change set (CodePipeline's `CloudFormation`
 * action): the change set is created from the build artifact's template, reviewed in production, then executed.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CloudFormation.html
 */
export const cloudFormationSchema = z.strictObject({
    kind: z
        .literal("cloudformation")
        .describe(
            "A CloudFormation stack deployed through a change set (CodePipeline's `CloudFormation` action), reviewed in production before it is executed.",
        ),
    stackName: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, {
            error: 'must be a CloudFormation stack name (letters, digits, hyphens; starts with a letter), like "orders-infra"',
        })
        .describe("Name of the stack (created by the first execution when it does not exist yet)."),
    templatePath: artifactPath("template.yaml").describe("Template file in the build artifact."),
    templateConfigurationPath: artifactPath("config/prod.json")
        .optional()
        .describe("Template configuration file (parameters, tags, stack policy) in the build artifact. Default: none."),
    capabilities: z
        .array(z.enum(["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]))
        .default([])
        .describe("Capabilities the template needs acknowledged. Default: none."),
    parameterOverrides: z
        .record(z.string().regex(/^[A-Za-z0-9]{1,255}$/), z.string())
        .default({})
        .describe("Parameter values that override the template configuration's. Default: none."),
    roleArn: iamRoleArn.describe(
        "The stack's execution role, which CloudFormation assumes to change the stack's resources: scoped to what the template manages, never an administrator role. The pipeline may pass only this role, and only to CloudFormation.",
    ),
});
