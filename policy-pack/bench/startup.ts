/**
 * Start-up of the policy pack: milliseconds from spawning it to its first answer (`getAnalyzerInfo`),
 * compiled (how the plan and audit run it) and from TypeScript (how `pulumi preview --policy-pack`
 * runs it), then `analyzeStack` time for generated stacks of growing size.
 *
 *     npm run build --prefix policy-pack && npx ts-node --transpile-only policy-pack/bench/startup.ts [runs]
 */
import * as path from "path";
import { AnalyzerResource, PackEntry, startPolicyPack } from "../harness";

const PACK_DIR = path.join(__dirname, "..");

async function startOnce(entry: PackEntry): Promise<number> {
    const started = process.hrtime.bigint();
    const pack = await startPolicyPack(PACK_DIR, { entry });
    await pack.info();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    await pack.close();
    return ms;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** One service's worth of resources: a bucket with its encryption, access block and policy, and a role. */
function service(i: number): AnalyzerResource[] {
    const urn = (type: string, name: string): string => `urn:pulumi:prod::bench::${type}::${name}`;
    const bucketUrn = urn("aws:s3/bucket:Bucket", `b${i}`);
    const fed = { bucket: [bucketUrn] };
    const document = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::b${i}/*`] }],
    });
    return [
        { type: "aws:s3/bucket:Bucket", name: `b${i}`, urn: bucketUrn, properties: { bucket: `b${i}`, id: `b${i}` } },
        {
            type: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            name: `p${i}`,
            urn: urn("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", `p${i}`),
            properties: { bucket: `b${i}`, blockPublicAcls: true },
            propertyDependencies: fed,
        },
        {
            type: "aws:iam/rolePolicy:RolePolicy",
            name: `r${i}`,
            urn: urn("aws:iam/rolePolicy:RolePolicy", `r${i}`),
            properties: { role: `role${i}`, policy: document },
        },
    ];
}

async function main(): Promise<void> {
    const runs = Number(process.argv[2] ?? 5);
    const compiled: number[] = [];
    for (let i = 0; i < runs; i++) compiled.push(await startOnce("compiled"));
    console.log(
        `compiled start-up (spawn → first getAnalyzerInfo): median ${median(compiled).toFixed(0)} ms of ${runs}`,
    );
    console.log(
        `typescript start-up (as pulumi preview --policy-pack): ${(await startOnce("typescript")).toFixed(0)} ms`,
    );
    const pack = await startPolicyPack(PACK_DIR);
    for (const services of [100, 1000, 3333]) {
        const resources = Array.from({ length: services }, (_, i) => service(i)).flat();
        const started = process.hrtime.bigint();
        await pack.analyzeStack(resources);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        console.log(`analyzeStack ${resources.length} resources: ${ms.toFixed(0)} ms`);
    }
    await pack.close();
}

main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
});
