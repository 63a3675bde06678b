/**
 * Test and audit harness: runs a CrossGuard policy pack over the analyzer gRPC protocol, the way
 * `pulumi preview --policy-pack <dir>` does, and exchanges plain JavaScript objects.
 *
 * ```ts
 * import { startPolicyPack, UNKNOWN, secret } from "./policy-pack/harness";
 * const pack = await startPolicyPack("policy-pack"); // compiled; { entry: "typescript" } as the CLI runs it
 * await pack.configureStack({ stack: "prod", project: "cicd-platform", dryRun: true, tags: {} });
 * const { diagnostics } = await pack.analyze({ type: "aws:s3/bucket:Bucket", name: "b", urn, properties: { arn: UNKNOWN } });
 * const stack = await pack.analyzeStack(resources); // with parent / dependencies / propertyDependencies
 * await pack.close();
 * ```
 * Property bags may contain `UNKNOWN` (a value computed during preview) and `secret(value)`.
 * A policy that throws surfaces as a rejected call (gRPC error), not as a diagnostic.
 */
export { PolicyPackClient, startPolicyPack } from "./client";
export { isSecret, secret, SecretValue, UNKNOWN } from "./codec";
export { expandAll, PolicyPackConfigError, policyPackConfigProblems, validatePolicyPackConfig } from "./config";
export { COMPILED_ENTRY, PackEntry, SpawnOptions } from "./process";
export * from "./types";
