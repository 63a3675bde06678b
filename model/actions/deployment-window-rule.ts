/**
 * The `DeploymentWindow` stage-condition rule (V2): it succeeds while the time matches `Cron` (in `TimeZone`), so an
 * entry condition with it lets a run into the stage only inside the window.
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-DeploymentWindow.html
 * https://docs.aws.amazon.com/codepipeline/latest/userguide/stage-conditions.html
 */
export const deploymentWindowRule = {
    reference: "https://docs.aws.amazon.com/codepipeline/latest/userguide/rule-reference-DeploymentWindow.html",
    category: "Rule",
    owner: "AWS",
    provider: "DeploymentWindow",
    version: "1",
    requiredKeys: ["Cron"],
    optionalKeys: ["TimeZone"],
    /**
     * The rule page lists no service-role permissions and the rule reads only the clock, so none are granted; were
     * one needed, the rule would fail and the stage not be entered (fail closed).
     */
    permissions: () => [],
} as const;
