/**
 * npm run bench:analyze [-- --sizes 1000,2500,5000,10000 --samples 2000]
 *
 * Generates a stack of pipelines (11 resources each: KMS key, CodeBuild project with an inline buildspec, bucket with SSE / public access
 * block / TLS policy joined through propertyDependencies, role + inline policy, topic, log group,
 * pipeline), starts the policy pack as the engine does, and prints:
 * - per-resource `analyze` latency (sequential calls: p50, p95, mean);
 * - `analyzeStack` time at each size, with time per resource, to show whether growth is linear.
 * Not a test: figures depend on the machine.
 */
import * as path from "path";
import { parseArgs } from "util";
import { AnalyzerResource, startPolicyPack, UNKNOWN } from "../policy-pack/harness";

// A production stack name: the production-only stack policies (approval gates over every pipeline's CodeBuild
// projects) run too, as they do on a platform's prod stack.
const STACK = "prod";
const urn = (type: string, name: string): string => `urn:pulumi:${STACK}::bench::${type}::${name}`;

function res(
    type: string,
    name: string,
    properties: Record<string, unknown>,
    deps: Record<string, string[]> = {},
): AnalyzerResource {
    const dependencies = [...new Set(Object.values(deps).flat())];
    return { type, name, urn: urn(type, name), properties, dependencies, propertyDependencies: deps };
}

function pipelineGroup(i: number): AnalyzerResource[] {
    const key = res("aws:kms/key:Key", `key-${i}`, { enableKeyRotation: true, arn: UNKNOWN });
    const bucket = res("aws:s3/bucket:Bucket", `artifacts-${i}`, { bucket: `artifacts-${i}`, arn: UNKNOWN });
    const onBucket = { bucket: [bucket.urn] };
    const role = res("aws:iam/role:Role", `role-${i}`, {
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "codepipeline.amazonaws.com" } },
            ],
        }),
    });
    const statement = {
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject"],
        Resource: `arn:aws:s3:::artifacts-${i}/*`,
    };
    const project = res("aws:codebuild/project:Project", `build-${i}`, {
        name: `build-${i}`,
        encryptionKey: UNKNOWN,
        source: {
            type: "CODEPIPELINE",
            buildspec: `version: 0.2\nphases:\n  build:\n    commands:\n      - npm ci\n      - npm run build -- --service s${i}\n`,
        },
    });
    return [
        key,
        bucket,
        res(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            `sse-${i}`,
            {
                bucket: UNKNOWN,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN } }],
            },
            { ...onBucket, rules: [key.urn] },
        ),
        res(
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            `pab-${i}`,
            {
                bucket: UNKNOWN,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            onBucket,
        ),
        res("aws:s3/bucketPolicy:BucketPolicy", `tls-${i}`, { bucket: UNKNOWN, policy: UNKNOWN }, onBucket),
        role,
        res(
            "aws:iam/rolePolicy:RolePolicy",
            `role-policy-${i}`,
            {
                role: UNKNOWN,
                policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }),
            },
            { role: [role.urn] },
        ),
        res("aws:sns/topic:Topic", `topic-${i}`, { kmsMasterKeyId: UNKNOWN }, { kmsMasterKeyId: [key.urn] }),
        res("aws:cloudwatch/logGroup:LogGroup", `logs-${i}`, { retentionInDays: 90, kmsKeyId: UNKNOWN }),
        project,
        res(
            "aws:codepipeline/pipeline:Pipeline",
            `pipeline-${i}`,
            {
                pipelineType: "V2",
                roleArn: UNKNOWN,
                artifactStores: [{ location: UNKNOWN, type: "S3", encryptionKey: { id: UNKNOWN, type: "KMS" } }],
                stages: [
                    {
                        name: "Source",
                        actions: [{ name: "Src", category: "Source", owner: "AWS", provider: "S3", version: "1" }],
                    },
                    {
                        name: "Build",
                        actions: [
                            {
                                name: "Build",
                                category: "Build",
                                owner: "AWS",
                                provider: "CodeBuild",
                                version: "1",
                                configuration: { ProjectName: `build-${i}` },
                            },
                        ],
                    },
                ],
            },
            { artifactStores: [bucket.urn, key.urn], roleArn: [role.urn], stages: [project.urn] },
        ),
    ];
}

/** A stack of `size` resources, 11 per pipeline. */
export function generateStack(size: number): AnalyzerResource[] {
    return Array.from({ length: Math.ceil(size / 11) }, (_, i) => pipelineGroup(i))
        .flat()
        .slice(0, size);
}

function percentile(sorted: number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            sizes: { type: "string", default: "1000,2500,5000,10000" },
            samples: { type: "string", default: "2000" },
        },
    });
    const sizes = String(values.sizes).split(",").map(Number);
    const stack = generateStack(Math.max(...sizes));
    const started = Date.now();
    const pack = await startPolicyPack(path.join(__dirname, "..", "policy-pack"));
    console.log(`pack started in ${Date.now() - started} ms`);
    try {
        await pack.configureStack({ stack: STACK, project: "bench", dryRun: true });
        const samples = stack.slice(0, Number(values.samples));
        const latencies: number[] = [];
        for (const resource of samples) {
            const t0 = process.hrtime.bigint();
            await pack.analyze(resource);
            latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        latencies.sort((a, b) => a - b);
        const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
        console.log(
            `analyze x${latencies.length} (sequential): p50 ${percentile(latencies, 50).toFixed(2)} ms, ` +
                `p95 ${percentile(latencies, 95).toFixed(2)} ms, mean ${mean.toFixed(2)} ms`,
        );
        // One small call first, so JIT warm-up does not inflate the first size.
        await pack.analyzeStack(stack.slice(0, 200));
        for (const size of sizes) {
            const t0 = Date.now();
            const { diagnostics } = await pack.analyzeStack(stack.slice(0, size));
            const ms = Date.now() - t0;
            console.log(
                `analyzeStack ${String(size).padStart(6)} resources: ${String(ms).padStart(6)} ms ` +
                    `(${((ms / size) * 1000).toFixed(0)} µs/resource, ${diagnostics.length} findings)`,
            );
        }
    } finally {
        await pack.close();
    }
}

if (require.main === module) {
    main().catch((e: Error) => {
        console.error(e.message);
        process.exitCode = 1;
    });
}
