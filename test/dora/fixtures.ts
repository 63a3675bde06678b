import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { STSClient } from "@aws-sdk/client-sts";
import { keyed, rawEnvironment, rawService } from "../fixtures/config";

export const ACCOUNT = "111111111111";

/** A project directory with its own stack `test` of two services; tests never read the example stacks. */
export function stackDir(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dora-stack-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), YAML.stringify({ name: "cicd-platform", runtime: "nodejs" }));
    fs.writeFileSync(
        path.join(dir, "Pulumi.test.yaml"),
        YAML.stringify({
            config: {
                "aws:region": "eu-west-1",
                "cicd:environment": rawEnvironment({ name: "test", accountId: ACCOUNT }),
                "cicd:services": keyed(rawService({ name: "web" }), rawService({ name: "api" })),
            },
        }),
    );
    return dir;
}

export const clients = () => ({
    codepipeline: new CodePipelineClient({ region: "eu-west-1" }),
    sts: new STSClient({ region: "eu-west-1" }),
});

type Main = (
    argv: string[],
    options: { dir: string; clients: typeof clients; now?: Date; out: (s: string) => void; err: (s: string) => void },
) => Promise<number>;

export async function run(main: Main, argv: string[], dir: string, now?: Date) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, { dir, clients, now, out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join("\n"), err: err.join("\n") };
}
