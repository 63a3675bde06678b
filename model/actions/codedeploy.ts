import * as names from "../names";
import { allow } from "../iam/document";
import type { ActionRecord } from "./types";

/**
 * CodeDeploy to EC2/on-premises instances (Server compute platform): CodePipeline registers the input artifact as a
 * revision of the application and starts a deployment of the deployment group, whose own service role reaches the
 * instances. The input artifact holds `appspec.yml` at its root. The pipeline role calls CodeDeploy on this
 * pipeline's application, deployment group and deployment configuration only (all three have resource types:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html).
 */
export const codeDeploy: ActionRecord = {
    reference: "https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeDeploy.html",
    category: "Deploy",
    owner: "AWS",
    provider: "CodeDeploy",
    version: "1",
    v2Only: false,
    requiredKeys: ["ApplicationName", "DeploymentGroupName"],
    optionalKeys: [],
    inputArtifacts: { min: 1, max: 1 },
    outputArtifacts: { min: 0, max: 0 },
    permissions: ({ ctx, configuration, deploymentConfigName }) => {
        const application = configuration.ApplicationName;
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
                [names.codeDeployGroupArn(ctx, application, configuration.DeploymentGroupName)],
            ),
            deploymentConfigName
                ? allow(
                      "CodeDeployConfig",
                      ["codedeploy:GetDeploymentConfig"],
                      [names.deploymentConfigArn(ctx, deploymentConfigName)],
                  )
                : undefined,
        ];
    },
};
