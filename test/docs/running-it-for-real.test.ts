import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseDocument, parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { main as plan } from "../../tools/plan";
import { copyRepo, ensurePackBuilt, REPO_ROOT } from "../support/repo-copy";
import { extractShellBlocks, runBlock, type ShellBlock } from "./shell-blocks";

/**
 * README "Running it for real", step 1, followed offline for every environment: the README's own commands write
 * bootstrap/policies/<env>.json and Pulumi.<env>-account.yaml in a throwaway copy, the keys the README's comment
 * names are set, and the bootstrap program is evaluated under Pulumi's mocks and the policy pack (`npm run plan
 * --dir bootstrap`, the offline stand-in for the block's `pulumi up`) with exactly those files.
 */
const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
const README = "README.md";
const PICKED_REGION = "eu-west-1"; // what bootstrap/Pulumi.example.yaml sets
const ENV_REGION = "us-west-2"; // what the environment says: the stack's aws:region must win

/** The README's bootstrap block, with `prod` (its example environment) replaced by `env` in the lines that run. */
function bootstrapBlockFor(env: string): ShellBlock {
    const blocks = extractShellBlocks(README, fs.readFileSync(path.join(REPO_ROOT, README), "utf8")).filter((b) =>
        b.lines.some((l) => /deployer-policy .*> bootstrap\/policies\//.test(l.text)),
    );
    assert.equal(blocks.length, 1, "README.md has one block that writes bootstrap/policies/<env>.json");
    const lines = blocks[0].lines.map((l) =>
        l.needs.length > 0 ? l : { ...l, text: l.text.replace(/\bprod\b/g, env) },
    );
    const changed = lines.filter((l, i) => l.text !== blocks[0].lines[i].text).map((l) => l.text);
    if (env !== "prod")
        assert.ok(
            changed.some((t) => t.includes(`> bootstrap/policies/${env}.json`)) &&
                changed.some((t) => t.includes(`Pulumi.${env}-account.yaml`)),
            `README.md:${blocks[0].line}: the bootstrap block no longer writes bootstrap/policies/prod.json and Pulumi.prod-account.yaml; update this test with it`,
        );
    return { ...blocks[0], lines };
}

const accountOf = (env: string): string =>
    parseYaml(fs.readFileSync(path.join(REPO_ROOT, `Pulumi.${env}.yaml`), "utf8")).config["cicd:environment"].accountId;

const statements = (documents: readonly { Statement: unknown[] }[]) =>
    documents.flatMap((d) => d.Statement.map((s) => JSON.stringify(s))).sort();

describe("docs: README 'Running it for real' step 1, offline, for dev, staging and prod", function () {
    // Three deployer-policy evaluations and one plan of three bootstrap stacks with the pack.
    this.timeout(600_000);
    let copy: string;
    let out: string;
    before(() => {
        copy = copyRepo("running-it-for-real-");
        out = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-plans-"));
    });
    after(() => {
        fs.rmSync(copy, { recursive: true, force: true });
        fs.rmSync(out, { recursive: true, force: true });
    });

    for (const env of ENVIRONMENTS) {
        it(`${env}: the README's commands write bootstrap/policies/${env}.json and bootstrap/Pulumi.${env}-account.yaml`, async () => {
            const failure = await runBlock(bootstrapBlockFor(env), copy);
            assert.equal(failure, undefined, failure);
            const documents = JSON.parse(
                fs.readFileSync(path.join(copy, "bootstrap", "policies", `${env}.json`), "utf8"),
            );
            assert.ok(
                Array.isArray(documents) && documents.length > 0,
                "deployer-policy wrote a JSON array of documents",
            );
            // The keys the README's comment names: accountId, githubRepository, environments.
            const file = path.join(copy, "bootstrap", `Pulumi.${env}-account.yaml`);
            const yaml = parseDocument(fs.readFileSync(file, "utf8"));
            yaml.setIn(["config", "cicd-bootstrap:accountId"], accountOf(env));
            yaml.setIn(["config", "cicd-bootstrap:githubRepository"], "acme/pulumi-cicd-platform");
            yaml.setIn(["config", "cicd-bootstrap:environments"], {
                [env]: { deployerPolicyFile: `policies/${env}.json` },
            });
            fs.writeFileSync(file, yaml.toString());
        });
    }

    it("the bootstrap stacks evaluate with those files, pass the pack, and give each deploy role its whole policy", async () => {
        const log: string[] = [];
        const saved = process.env.AWS_REGION;
        process.env.AWS_REGION = ENV_REGION;
        let code: number;
        try {
            code = await plan(
                [
                    "--dir",
                    path.join(copy, "bootstrap"),
                    "--stack",
                    ENVIRONMENTS.map((e) => `${e}-account`).join(","),
                    "--policy-pack",
                    path.join(copy, "policy-pack"), // built by the block's `npm ci` stand-in if it was missing
                    "--out",
                    out,
                    "--json",
                ],
                (l) => log.push(l),
                (l) => log.push(l),
            );
        } finally {
            if (saved === undefined) delete process.env.AWS_REGION;
            else process.env.AWS_REGION = saved;
        }
        assert.equal(code, 0, log.join("\n"));
        const summaries = JSON.parse(log.join("\n"));
        assert.deepEqual(
            summaries.map((s: any) => [s.stack, s.policy]),
            ENVIRONMENTS.map((e) => [`${e}-account`, { ran: true, violations: [], mandatory: 0 }]),
        );
        for (const env of ENVIRONMENTS) {
            const { resources } = JSON.parse(
                fs.readFileSync(path.join(out, `${env}-account`, "resources.json"), "utf8"),
            );
            const provider = resources.find((r: any) => r.type === "pulumi:providers:aws");
            assert.equal(provider.inputs.allowedAccountIds, JSON.stringify([accountOf(env)]), env);
            assert.equal(provider.inputs.region, PICKED_REGION, `${env}: the stack's aws:region, not AWS_REGION`);
            const roles = resources.filter((r: any) => r.type === "aws:iam/role:Role").map((r: any) => r.inputs.name);
            assert.deepEqual(roles.sort(), [`cicd-github-deploy-${env}`, "cicd-github-preview"], env);
            const policies = resources
                .filter((r: any) => r.type === "aws:iam/policy:Policy")
                .map((r: any) => JSON.parse(r.inputs.policy));
            const attachments = resources.filter(
                (r: any) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            );
            assert.equal(attachments.length, policies.length, env);
            for (const a of attachments) assert.equal(a.inputs.role, `cicd-github-deploy-${env}`, env);
            const written = JSON.parse(
                fs.readFileSync(path.join(copy, "bootstrap", "policies", `${env}.json`), "utf8"),
            );
            assert.deepEqual(
                statements(policies),
                statements(written),
                `${env}: every statement deployer-policy wrote`,
            );
        }
    });
});

/** The README's deploy-target block, read as the stack it makes: `cd`, `pulumi stack init`, `pulumi config set`. */
function deployTargetStack(): { dir: string; stack: string; config: Record<string, string>; up: number } {
    const blocks = extractShellBlocks(README, fs.readFileSync(path.join(REPO_ROOT, README), "utf8")).filter((b) =>
        b.lines.some((l) => l.text.trim() === "cd deploy-target"),
    );
    assert.equal(blocks.length, 1, "README.md has one block that starts with `cd deploy-target`");
    const result = { dir: "", stack: "", config: {} as Record<string, string>, up: 0 };
    for (const line of blocks[0].lines) {
        const command = line.text.replace(/(^|\s)#.*$/, "").trim();
        let m: RegExpExecArray | null;
        if (command === "") continue;
        else if ((m = /^cd (\S+)$/.exec(command))) result.dir = m[1];
        else if ((m = /^pulumi stack init (\S+)$/.exec(command))) result.stack = m[1];
        else if ((m = /^pulumi config set (\S+) (\S+)$/.exec(command))) result.config[m[1]] = m[2];
        else if (command === "pulumi up") result.up = line.line;
        else assert.fail(`README.md:${line.line}: \`${command}\` has no offline stand-in in this test; add one`);
    }
    return result;
}

describe("docs: README 'Deploying across accounts', offline: the target account's stack", function () {
    this.timeout(600_000);
    let copy: string;
    before(() => {
        copy = copyRepo("deploy-target-doc-");
        ensurePackBuilt(copy);
    });
    after(() => fs.rmSync(copy, { recursive: true, force: true }));

    it("the stack the README's `pulumi stack init`/`pulumi config set` lines make evaluates and passes the pack", async () => {
        const { dir, stack, config, up } = deployTargetStack();
        assert.ok(dir && stack && up > 0, "the block changes directory, inits a stack and runs pulumi up");
        // Exactly the README's values: the example stack file of the same name is replaced.
        fs.writeFileSync(path.join(copy, dir, `Pulumi.${stack}.yaml`), stringifyYaml({ config }));
        const log: string[] = [];
        const code = await plan(
            [
                ...["--dir", path.join(copy, dir), "--stack", stack],
                ...["--policy-pack", path.join(copy, "policy-pack"), "--out", path.join(copy, ".plan"), "--json"],
            ],
            (l) => log.push(l),
            (l) => log.push(l),
        );
        assert.equal(code, 0, `README.md:${up}: the offline stand-in for \`pulumi up\` failed\n${log.join("\n")}`);
        assert.deepEqual(JSON.parse(log.join("\n")).policy, { ran: true, violations: [], mandatory: 0 });
        const { resources } = JSON.parse(fs.readFileSync(path.join(copy, ".plan", stack, "resources.json"), "utf8"));
        const provider = resources.find((r: any) => r.type === "pulumi:providers:aws");
        assert.equal(provider.inputs.allowedAccountIds, JSON.stringify([config["cicd-deploy-target:accountId"]]));
        assert.equal(resources.filter((r: any) => r.type === "aws:iam/role:Role").length, 1, "one deploy role");

        // The README's inline command for the identity that runs this stack's `pulumi up`.
        const readme = fs.readFileSync(path.join(REPO_ROOT, README), "utf8");
        const inline = /`(npm run -s deployer-policy -- --dir deploy-target --stack \S+)`/.exec(readme);
        assert.ok(inline, "README.md names the deployer-policy command of a target account's stack");
        assert.ok(inline[1].endsWith(`--stack ${stack}`), `the command names the block's stack ${stack}`);
        const line = readme.slice(0, inline.index).split("\n").length;
        const failure = await runBlock(
            {
                file: README,
                line,
                needs: [],
                lines: [{ line, text: `${inline[1]} > target-deployer-policy.json`, needs: [] }],
            },
            copy,
        );
        assert.equal(failure, undefined, failure);
        const documents = JSON.parse(fs.readFileSync(path.join(copy, "target-deployer-policy.json"), "utf8"));
        assert.ok(Array.isArray(documents) && documents.length > 0, "a JSON array of policy documents");
    });
});
