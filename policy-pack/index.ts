/**
 * cicd-guardrails: CrossGuard policies for AWS CI/CD stacks.
 * Run with `pulumi preview --policy-pack policy-pack`; see README.md for config and exemptions.
 * The policy list lives in pack-policies.ts.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, packPolicies } from "./pack-policies";

new PolicyPack(PACK_NAME, {
    description: "Encryption, least privilege and production approval rules for AWS CI/CD pipelines.",
    provider: "aws",
    tags: ["aws", "cicd", "codepipeline", "iam", "encryption"],
    policies: packPolicies,
});
