import type * as pulumi from "@pulumi/pulumi";
import type { TranslationKey } from "../../model/deploy-kinds";
import { codeDeployResources, type DeployTranslationArgs } from "./codedeploy";

export type { DeployTranslationArgs } from "./codedeploy";

/**
 * One translation per key a deploy-kind record can name (`translation`). The mapped type makes a new key a compile
 * error until it has its case here. Kinds that are pipeline actions only (`none`) need no resource of their own.
 */
const TRANSLATIONS: { readonly [K in TranslationKey]: (args: DeployTranslationArgs) => pulumi.Resource[] } = {
    none: () => [],
    codedeploy: codeDeployResources,
};

/** Creates the deploy kind's own resources (CodeDeploy application and group, or nothing). */
export const deployResources = (key: TranslationKey, args: DeployTranslationArgs): pulumi.Resource[] =>
    TRANSLATIONS[key](args);
