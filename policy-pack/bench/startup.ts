/**
 * Start-up of the policy pack: milliseconds from spawning it to its first answer (`getAnalyzerInfo`),
 * compiled (how the plan and audit run it) and from TypeScript (how `pulumi preview --policy-pack`
 * runs it), then `analyzeStack` time for generated stacks of growing size.
 *
 *     npm run build --prefix policy-pack && npx ts-node --transpile-only policy-pack/bench/startup.ts [runs]
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { AnalyzerResource, COMPILED_ENTRY, PackEntry, startPolicyPack } from "../harness";

const PACK_DIR = path.join(__dirname, "..");

async function startOnce(entry: PackEntry): Promise<number> {
    const started = process.hrtime.bigint();
    const pack = await startPolicyPack(PACK_DIR, { entry });
    await pack.info();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    await pack.close();
    return ms;
}

/**
 * CPU time (user + system, ms) the compiled pack spends until it prints its port, read from
 * /proc/<pid>/stat: unlike wall time, it does not grow when other processes share the cores.
 */
function cpuToPort(): Promise<number | undefined> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [COMPILED_ENTRY], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "ignore"] });
        child.stdout.once("data", () => {
            let ms: number | undefined;
            try {
                const fields = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1].split(" ");
                ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, at USER_HZ 100
            } catch {
                ms = undefined; // not Linux
            }
            child.kill();
            resolve(ms);
        });
    });
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
    const cpu: number[] = [];
    for (let i = 0; i < runs; i++) cpu.push((await cpuToPort()) ?? NaN);
    console.log(`compiled start-up CPU time (user + system until the port): median ${median(cpu).toFixed(0)} ms`);
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
