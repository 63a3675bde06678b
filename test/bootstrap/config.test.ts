import { strict as assert } from "node:assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BootstrapConfigError, readBootstrapConfig } from "../../bootstrap/config";

const FIXTURE = path.join(__dirname, "fixtures", "deployer-policy.json");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bootstrap-config-"));
fs.copyFileSync(FIXTURE, path.join(dir, "prod.json"));
fs.writeFileSync(path.join(dir, "broken.json"), "{");
fs.writeFileSync(
    path.join(dir, "wild.json"),
    JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
);

const valid = {
    accountId: "333333333333",
    githubRepository: "acme/pulumi-cicd-platform",
    environments: { prod: { deployerPolicyFile: "prod.json" } },
};

/** The problems `readBootstrapConfig` reports for `raw`, relative to the temp dir. */
function problems(raw: Record<string, unknown>): readonly string[] {
    try {
        readBootstrapConfig(raw, dir);
    } catch (e) {
        if (e instanceof BootstrapConfigError) return e.problems;
        throw e;
    }
    return [];
}

describe("bootstrap: configuration", () => {
    it("reads a valid configuration and each environment's deployer policy", () => {
        const config = readBootstrapConfig(valid, dir);
        assert.deepEqual(Object.keys(config.environments), ["prod"]);
        assert.deepEqual(config.environments.prod.deployerPolicy, JSON.parse(fs.readFileSync(FIXTURE, "utf8")));
        assert.equal(config.existingOidcProviderArn, undefined);
    });

    it("names the missing keys", () => {
        assert.deepEqual(problems({}), [
            '`cicd-bootstrap:accountId` is required: set it to the 12-digit account id as a quoted string, e.g. "123456789012".',
            "`cicd-bootstrap:githubRepository` is required: set it to `owner/name` of the repository, e.g. acme/pulumi-cicd-platform.",
            "`cicd-bootstrap:environments` is required: set it to a map from environment name to `{ deployerPolicyFile: <path> }`.",
        ]);
    });

    it("says to quote an account id written as a YAML number", () => {
        assert.deepEqual(problems({ ...valid, accountId: 333333333333 }), [
            '`cicd-bootstrap:accountId` is a YAML number; write it as a quoted string ("333333333333").',
        ]);
        assert.deepEqual(problems({ ...valid, accountId: "12345678901" }), [
            '`cicd-bootstrap:accountId` has 11 digits, not 12: an unquoted YAML number loses its leading zeros; quote it, e.g. "012345678901".',
        ]);
    });

    it("rejects a repository that is not owner/name and an unknown environment key", () => {
        assert.deepEqual(
            problems({
                ...valid,
                githubRepository: "https://github.com/acme/x",
                environments: { prod: { file: "x" } },
            }),
            [
                "`cicd-bootstrap:githubRepository` is invalid: set it to `owner/name` of the repository, e.g. acme/pulumi-cicd-platform.",
                "`cicd-bootstrap:environments.prod.deployerPolicyFile` is required: set it to the path (relative to bootstrap/) of the JSON `npm run deployer-policy -- --stack prod` prints.",
                "`cicd-bootstrap:environments.prod` has unknown key(s) `file`: the only key is `deployerPolicyFile`.",
            ],
        );
    });

    it("rejects no environments and an environment name GitHub subjects and role names cannot carry", () => {
        assert.deepEqual(problems({ ...valid, environments: {} }), [
            "`cicd-bootstrap:environments` is empty: list the environments deployed to this account.",
        ]);
        assert.deepEqual(problems({ ...valid, environments: { "Prod EU": { deployerPolicyFile: "prod.json" } } }), [
            '`cicd-bootstrap:environments.Prod EU`: "Prod EU" is not a usable GitHub environment name; use lower-case letters, digits and hyphens (at most 32).',
        ]);
    });

    it("says how to generate a missing, broken or too broad deployer policy file", () => {
        const got = problems({
            ...valid,
            environments: {
                dev: { deployerPolicyFile: "missing.json" },
                staging: { deployerPolicyFile: "broken.json" },
                prod: { deployerPolicyFile: "wild.json" },
            },
        });
        const rel = (f: string) => path.relative(process.cwd(), path.join(dir, f));
        assert.equal(got.length, 3);
        assert.equal(
            got[0],
            `\`cicd-bootstrap:environments.dev.deployerPolicyFile\`: ${path.join(dir, "missing.json")} does not exist; generate it with \`npm run --silent deployer-policy -- --stack dev > ${rel("missing.json")}\`.`,
        );
        assert.match(
            got[1],
            /^`cicd-bootstrap:environments\.staging\.deployerPolicyFile` \(.*broken\.json\): is not JSON \(.+\)\. Regenerate it with `npm run --silent deployer-policy -- --stack staging > .*broken\.json`\.$/,
        );
        assert.equal(
            got[2],
            `\`cicd-bootstrap:environments.prod.deployerPolicyFile\` (${path.join(dir, "wild.json")}): Statement[0] allows *: name each action instead of a wildcard. Regenerate it with \`npm run --silent deployer-policy -- --stack prod > ${rel("wild.json")}\`.`,
        );
    });

    it("takes the JSON array `deployer-policy` prints: its documents' statements, in order", () => {
        const doc = JSON.parse(fs.readFileSync(FIXTURE, "utf8"));
        const half = Math.ceil(doc.Statement.length / 2);
        const parts = [doc.Statement.slice(0, half), doc.Statement.slice(half)].map((Statement) => ({
            Version: "2012-10-17",
            Statement,
        }));
        fs.writeFileSync(path.join(dir, "split.json"), JSON.stringify(parts));
        const config = readBootstrapConfig(
            { ...valid, environments: { prod: { deployerPolicyFile: "split.json" } } },
            dir,
        );
        assert.deepEqual(config.environments.prod.deployerPolicy, doc);
    });

    it("names the document of the array that is wrong, and refuses an empty array", () => {
        const wild = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] };
        fs.writeFileSync(
            path.join(dir, "split-wild.json"),
            JSON.stringify([JSON.parse(fs.readFileSync(FIXTURE, "utf8")), wild]),
        );
        fs.writeFileSync(path.join(dir, "empty.json"), "[]");
        const rel = (f: string) => path.relative(process.cwd(), path.join(dir, f));
        assert.deepEqual(
            problems({
                ...valid,
                environments: {
                    dev: { deployerPolicyFile: "split-wild.json" },
                    prod: { deployerPolicyFile: "empty.json" },
                },
            }),
            [
                `\`cicd-bootstrap:environments.dev.deployerPolicyFile\` (${path.join(dir, "split-wild.json")}): [1] Statement[0] allows s3:*: name each action instead of a wildcard. Regenerate it with \`npm run --silent deployer-policy -- --stack dev > ${rel("split-wild.json")}\`.`,
                `\`cicd-bootstrap:environments.prod.deployerPolicyFile\` (${path.join(dir, "empty.json")}): is an empty list: expected the documents \`deployer-policy\` prints. Regenerate it with \`npm run --silent deployer-policy -- --stack prod > ${rel("empty.json")}\`.`,
            ],
        );
    });

    it("rejects an existing OIDC provider of another account", () => {
        assert.deepEqual(
            problems({
                ...valid,
                existingOidcProviderArn: "arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com",
            }),
            [
                "`cicd-bootstrap:existingOidcProviderArn` is in account 999999999999, not `cicd-bootstrap:accountId` 333333333333; use this account's provider.",
            ],
        );
    });
});
