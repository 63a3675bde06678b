import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { planEnvironment } from "../../model/environment";
import { ConfigError } from "../../stacks/config-error";
import { loadPlatformConfig } from "../../stacks/load";
import { configFromStackValues } from "../../stacks/platform-config";
import { mergePatch, mergeServices } from "../../stacks/service-layers";
import { loadStackConfig } from "../../tools/plan/stack-config";
import { CONNECTION, ecsBlueGreenDeploy, inAccount, rawEnvironment, rawProdEnvironment } from "../fixtures/config";

/** A service as Pulumi.yaml would define it for every environment (no deploy target of its own yet). */
const webDefaults = () => ({
    source: { kind: "codestar", repository: "acme/web" },
    build: { commands: { build: ["npm run build"] } },
    tests: { unit: { commands: ["npm test"] } },
    deploy: { kind: "ecs-blue-green", service: "web", targetGroups: ["web-blue", "web-green"] },
});

/** The environment's side of it. */
const webOverrides = () => ({
    source: { connectionArn: CONNECTION },
    deploy: {
        cluster: "apps",
        passRoleArns: ecsBlueGreenDeploy.passRoleArns,
        listenerArn: ecsBlueGreenDeploy.listenerArn,
        alarms: ["web-5xx"],
    },
});

/** Problem lines (without the header) for these layers, through validation and planning. */
function problems(defaults: unknown, overrides: unknown, stack = "dev", env = rawEnvironment()): string[] {
    try {
        const { layers, ...config } = configFromStackValues(
            { "cicd:environment": env, "cicd:serviceDefaults": defaults, "cicd:services": overrides },
            stack,
        );
        planEnvironment(config, { stackFile: `Pulumi.${stack}.yaml`, configSources: layers });
    } catch (err) {
        assert.ok(err instanceof ConfigError, String(err));
        return err.message
            .split("\n")
            .slice(1)
            .map((line) => line.replace(/^ {2}- /, ""));
    }
    return [];
}

describe("one service definition: Pulumi.yaml defaults merged with the stack's overrides", () => {
    describe("merge rules (JSON Merge Patch, RFC 7386)", () => {
        it("merges objects key by key, at every depth", () => {
            assert.deepEqual(mergePatch({ a: { b: 1, c: { d: 2 } } }, { a: { c: { e: 3 } } }), {
                a: { b: 1, c: { d: 2, e: 3 } },
            });
        });

        it("replaces lists and scalars whole", () => {
            assert.deepEqual(mergePatch({ alarms: ["a", "b"], n: 1 }, { alarms: ["c"], n: 2 }), {
                alarms: ["c"],
                n: 2,
            });
        });

        it("removes a key set to null, and ignores null for a key that is not there", () => {
            assert.deepEqual(mergePatch({ a: 1, b: { c: 2, d: 3 } }, { a: null, b: { d: null }, x: null }), {
                b: { c: 2 },
            });
        });

        it("replaces a list or scalar default with an object override, and the reverse", () => {
            assert.deepEqual(mergePatch({ a: [1], b: { c: 1 } }, { a: { x: 1 }, b: "s" }), { a: { x: 1 }, b: "s" });
        });

        it("does not change its inputs", () => {
            const target = { a: { b: 1 } };
            mergePatch(target, { a: { b: 2 } });
            assert.deepEqual(target, { a: { b: 1 } });
        });
    });

    describe("services", () => {
        it("defines each service once and completes it per environment", () => {
            const config = configFromStackValues(
                {
                    "cicd:environment": rawEnvironment(),
                    "cicd:serviceDefaults": { web: webDefaults() },
                    "cicd:services": { web: webOverrides() },
                },
                "dev",
            );
            const [web] = config.services;
            assert.equal(web.name, "web");
            assert.ok(web.source.kind === "codestar" && web.source.repository === "acme/web");
            assert.ok(web.source.kind === "codestar" && web.source.connectionArn === CONNECTION);
            assert.ok(web.deploy.kind === "ecs-blue-green" && web.deploy.cluster === "apps");
        });

        it("keeps the defaults' order, then adds services only the stack defines", () => {
            const merged = mergeServices({ b: {}, a: {} }, { c: {}, a: {} }, "Pulumi.dev.yaml");
            assert.deepEqual(
                merged.services.map((s) => s.name),
                ["b", "a", "c"],
            );
        });

        it("leaves a service out of an environment whose stack sets it to null", () => {
            const merged = mergeServices({ web: {}, api: {} }, { web: null }, "Pulumi.dev.yaml");
            assert.deepEqual(
                merged.services.map((s) => s.name),
                ["api"],
            );
        });

        it("says which file each value came from", () => {
            const { originOf } = mergeServices(
                { web: { build: { image: "x", commands: { build: ["a"] } }, tests: ["t"] } },
                { web: { build: { image: "y", cache: "none" }, tests: ["u"] } },
                "Pulumi.dev.yaml",
            );
            assert.equal(originOf(["web", "build", "image"]), "both");
            assert.equal(originOf(["web", "build"]), "merged");
            assert.equal(originOf(["web", "build", "cache"]), "stack");
            assert.equal(originOf(["web", "build", "commands", "build", 0]), "project");
            // A list in the stack replaces the default whole: its items are the stack's.
            assert.equal(originOf(["web", "tests", 0]), "both");
            assert.equal(originOf(["web", "deploy"]), "none");
        });
    });

    describe("errors name the key by service name and the file(s) that set it", () => {
        it("names both files when an override breaks a rule", () => {
            const overrides = webOverrides();
            overrides.deploy.cluster = "arn:aws:ecs:eu-west-1:111111111111:cluster/apps";
            assert.deepEqual(
                problems(
                    { web: { ...webDefaults(), deploy: { ...webDefaults().deploy, cluster: "apps" } } },
                    { web: overrides },
                    "prod",
                    rawProdEnvironment(),
                ),
                [
                    '`cicd:services.web.deploy.cluster` in Pulumi.prod.yaml (overriding `cicd:serviceDefaults.web.deploy.cluster` in Pulumi.yaml) must be a plain resource name (no ARN, no wildcard), like "web-cluster" (found "arn:aws:ecs:eu-west-1:111111111111:cluster/apps").',
                ],
            );
        });

        it("names Pulumi.yaml's key when the default is the problem", () => {
            const defaults = { ...webDefaults(), source: { kind: "codestar", repository: "acme" } };
            assert.deepEqual(problems({ web: defaults }, { web: webOverrides() }), [
                '`cicd:serviceDefaults.web.source.repository` in Pulumi.yaml must be a repository id in the form owner/name, like "acme/checkout" (found "acme").',
            ]);
        });

        it("names the stack file alone for a value only the stack sets", () => {
            const overrides = { ...webOverrides(), approval: { timeoutMinutes: 2 } };
            assert.deepEqual(problems({ web: webDefaults() }, { web: overrides }), [
                "`cicd:services.web.approval.timeoutMinutes` in Pulumi.dev.yaml must be at least 5 minutes (CodePipeline's minimum for a manual approval) (found 2).",
            ]);
        });

        it("says a mapping set in both files was merged, for a rule across its keys", () => {
            const overrides = { ...webOverrides(), build: { buildspecFile: "buildspec.yml" } };
            assert.deepEqual(problems({ web: webDefaults() }, { web: overrides }), [
                "`cicd:services.web.build` in Pulumi.dev.yaml (merged with `cicd:serviceDefaults.web.build` in Pulumi.yaml) needs exactly one of `commands` (an inline buildspec) or `buildspecFile` (a buildspec in the repository).",
            ]);
        });

        it("says where a missing key can go: this environment or every one", () => {
            const { alarms: _alarms, ...deploy } = webOverrides().deploy;
            assert.deepEqual(problems({ web: webDefaults() }, { web: { ...webOverrides(), deploy } }), [
                "`cicd:services.web.deploy.alarms` is required. Add it to `cicd:services.web` in Pulumi.dev.yaml, or to `cicd:serviceDefaults.web` in Pulumi.yaml for every environment.",
            ]);
        });

        it("names the files in the errors the model raises too", () => {
            const defaults = {
                ...webDefaults(),
                build: {
                    containerImage: true,
                    imageRepository: "acme/web",
                    commands: { build: ['docker build -t "$IMAGE_URI" .'] },
                    artifactFiles: ["taskdef.json", "appspec.yaml", "imageDetail.json"],
                },
            };
            const overrides = { ...webOverrides(), build: { artifactFiles: ["taskdef.json", "appspec.yaml"] } };
            assert.deepEqual(problems({ web: defaults }, { web: overrides }), [
                '`cicd:services.web.build.artifactFiles` in Pulumi.dev.yaml (overriding `cicd:serviceDefaults.web.build.artifactFiles` in Pulumi.yaml) leaves out "imageDetail.json", which the build writes for the ecs-blue-green deploy to read. Add "imageDetail.json" to the list.',
            ]);
        });

        it("names a bad service name by its key", () => {
            assert.deepEqual(problems({}, { Web_1: mergePatch(webDefaults(), webOverrides()) }), [
                '`cicd:services.Web_1` in Pulumi.dev.yaml has a key (the service name) that must be 2-30 lowercase letters, digits or hyphens, starting with a letter, like "checkout-api" (found "Web_1").',
            ]);
        });
    });

    describe("keys an environment does not read", () => {
        const { source: _connection, ...unconnected } = webOverrides();
        const prodWeb = (overrides: Record<string, unknown>) => ({
            ...inAccount(unconnected, "333333333333"),
            tests: { unit: null, smoke: { commands: ["curl -fsS https://www.example.com/"] } },
            approval: { reviewUrl: "https://dashboards.example.com/web" },
            ...overrides,
        });
        const inProd = (overrides: Record<string, unknown>) =>
            problems({ web: webDefaults() }, { web: prodWeb(overrides) }, "prod", rawProdEnvironment());

        it("plans a release environment that sets no git source of its own", () => {
            assert.deepEqual(inProd({}), []);
        });

        it("rejects a source, trigger or packaging key set in the stack file of an environment fed by releases", () => {
            const ignored =
                'is ignored here: prod deploys the releases staging promotes (release role "release"), so its pipelines start from the release bucket and never build: they read neither the git source, its triggers, nor how the build compiles and packages. Remove it from this stack file.';
            assert.deepEqual(
                inProd({
                    source: { connectionArn: CONNECTION, repository: "acme/web-fork" },
                    build: { artifactFiles: ["dist/**/*"], commands: { build: ["make release"] } },
                }),
                [
                    `\`cicd:services.web.source.connectionArn\` in Pulumi.prod.yaml ${ignored}`,
                    `\`cicd:services.web.source.repository\` in Pulumi.prod.yaml (overriding \`cicd:serviceDefaults.web.source.repository\` in Pulumi.yaml) ${ignored}`,
                    `\`cicd:services.web.build.artifactFiles\` in Pulumi.prod.yaml ${ignored}`,
                    `\`cicd:services.web.build.commands.build\` in Pulumi.prod.yaml (overriding \`cicd:serviceDefaults.web.build.commands.build\` in Pulumi.yaml) ${ignored}`,
                ],
            );
        });

        it("requires the connection only where the pipeline builds from git", () => {
            assert.deepEqual(problems({ web: webDefaults() }, { web: unconnected }), [
                '`cicd:services.web.source.connectionArn` is required: web builds from git here ("build"), and its Source action reads acme/web through this CodeConnections connection. Set it in this environment\'s stack file, like "arn:aws:codeconnections:eu-west-1:111122223333:connection/0f6c1c5e-6b7a-4a8e-9d0a-2f4a9b1c3d5e".',
            ]);
        });
    });

    describe("the shape of the two keys", () => {
        it("rejects services written as a list, the old layout", () => {
            assert.deepEqual(problems(undefined, [{ name: "web" }]), [
                "`cicd:services` in Pulumi.dev.yaml must be a mapping of service name to settings, like `web: { deploy: { cluster: apps } }` (services are keyed by name, not listed).",
            ]);
        });

        it("rejects a service that is not a mapping, and says null leaves it out", () => {
            assert.deepEqual(problems({ web: "yes" }, { api: 3 }), [
                "`cicd:serviceDefaults.web` in Pulumi.yaml must be the service's settings (a mapping).",
                "`cicd:services.api` in Pulumi.dev.yaml must be the service's settings (a mapping), or null to leave the service out of this environment.",
            ]);
        });

        it("rejects a `name` inside a service: the key is the name", () => {
            assert.deepEqual(problems({ web: { name: "web" } }, {}), [
                "`cicd:serviceDefaults.web.name` in Pulumi.yaml is not a setting: the key above it (`web`) is the service's name. Remove it.",
            ]);
        });

        it("rejects a misspelt `cicd:` key alone, naming the key it should be", () => {
            const values = {
                "cicd:environment": rawEnvironment(),
                "cicd:serviceDefaults": { web: webDefaults() },
                "cicd:servics": { web: webOverrides() },
                "cicd:enviroment": {},
                "cicd:pipelines": {},
            };
            assert.throws(() => configFromStackValues(values, "dev"), {
                message: [
                    "Invalid configuration in Pulumi.dev.yaml (3 problems):",
                    "  - `cicd:enviroment` is not a key the platform reads, so its value would be ignored. Did you mean `cicd:environment`? Rename it. The `cicd:` keys are `cicd:environment` and `cicd:services` (in Pulumi.dev.yaml) and `cicd:serviceDefaults` (in Pulumi.yaml).",
                    "  - `cicd:pipelines` is not a key the platform reads, so its value would be ignored. Rename or remove it. The `cicd:` keys are `cicd:environment` and `cicd:services` (in Pulumi.dev.yaml) and `cicd:serviceDefaults` (in Pulumi.yaml).",
                    "  - `cicd:servics` is not a key the platform reads, so its value would be ignored. Did you mean `cicd:services`? Rename it. The `cicd:` keys are `cicd:environment` and `cicd:services` (in Pulumi.dev.yaml) and `cicd:serviceDefaults` (in Pulumi.yaml).",
                ].join("\n"),
            });
        });

        it("requires a service in one of the two keys", () => {
            assert.deepEqual(problems(undefined, { web: null }), [
                "`cicd:services` must define at least one service: add one, keyed by its name, under `cicd:serviceDefaults` in Pulumi.yaml or under `cicd:services` in the stack file.",
            ]);
        });
    });

    describe("how the program receives the two keys", () => {
        const project = (dir: string) => {
            fs.writeFileSync(
                path.join(dir, "Pulumi.yaml"),
                YAML.stringify({
                    name: "cicd-platform",
                    runtime: "nodejs",
                    config: { "cicd:serviceDefaults": { value: { web: webDefaults() } } },
                }),
            );
            fs.writeFileSync(
                path.join(dir, "Pulumi.dev.yaml"),
                YAML.stringify({
                    config: { "cicd:environment": rawEnvironment(), "cicd:services": { web: webOverrides() } },
                }),
            );
        };

        it("`npm run plan` passes Pulumi.yaml's `value:` as project-level config, as the CLI does", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svc-layers-"));
            project(dir);
            const { env } = loadStackConfig(dir, "dev");
            const passed = JSON.parse(env.PULUMI_CONFIG) as Record<string, string>;
            assert.deepEqual(JSON.parse(passed["cicd:serviceDefaults"]), { web: webDefaults() });
            assert.deepEqual(JSON.parse(passed["cicd:services"]), { web: webOverrides() });
        });

        it("the loader sees every `cicd:` key of the stack, so a misspelt one in a stack file is reported", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svc-layers-"));
            project(dir);
            const file = path.join(dir, "Pulumi.dev.yaml");
            fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("cicd:services:", "cicd:servics:"));
            const passed = JSON.parse(loadStackConfig(dir, "dev").env.PULUMI_CONFIG) as Record<string, string>;
            const saved = pulumi.runtime.allConfig();
            pulumi.runtime.setAllConfig(passed);
            try {
                assert.throws(() => loadPlatformConfig(), /^ {2}- `cicd:servics` .* Did you mean `cicd:services`\?/m);
            } finally {
                pulumi.runtime.setAllConfig(saved);
            }
        });

        it("the loader reads both through pulumi.Config and merges them", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "svc-layers-"));
            project(dir);
            const passed = JSON.parse(loadStackConfig(dir, "dev").env.PULUMI_CONFIG) as Record<string, string>;
            const saved = pulumi.runtime.allConfig();
            pulumi.runtime.setAllConfig(passed);
            try {
                const config = loadPlatformConfig();
                const [web] = config.services;
                assert.ok(web.source.kind === "codestar" && web.source.repository === "acme/web");
                assert.ok(web.deploy.kind === "ecs-blue-green" && web.deploy.cluster === "apps");
                assert.equal(config.configSources.originOf?.(["web", "deploy", "cluster"]), "stack");
            } finally {
                pulumi.runtime.setAllConfig(saved);
            }
        });
    });
});
