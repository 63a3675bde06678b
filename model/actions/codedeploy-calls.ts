import * as names from "../names";
import { allow, type Statement } from "../iam/document";
import type { NameContext } from "../names";

/**
 * What both CodeDeploy actions (`CodeDeploy`, `CodeDeployToECS`) call with the pipeline role: register the revision
 * on this pipeline's application, start and watch a deployment of its deployment group, and read the deployment
 * configuration the group uses. All three have resource types, so nothing is granted on `*`.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html
 */
export function codeDeployCalls(
    ctx: NameContext,
    application: string,
    group: string,
    deploymentConfigName: string | undefined,
): (Statement | undefined)[] {
    return [
        allow(
            "CodeDeployApplication",
            [
                "codedeploy:GetApplication",
                "codedeploy:GetApplicationRevision",
                "codedeploy:RegisterApplicationRevision",
            ],
            [names.codeDeployApplicationArn(ctx, application)],
        ),
        allow(
            "CodeDeployDeployment",
            ["codedeploy:CreateDeployment", "codedeploy:GetDeployment"],
            [names.codeDeployGroupArn(ctx, application, group)],
        ),
        deploymentConfigName
            ? allow(
                  "CodeDeployConfig",
                  ["codedeploy:GetDeploymentConfig"],
                  [names.deploymentConfigArn(ctx, deploymentConfigName)],
              )
            : undefined,
    ];
}
