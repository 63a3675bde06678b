import * as assert from "assert";
import { detectProduction, isProductionStack, stackNameFromUrn } from "../../lib/production";

const urn = (stack: string): string => `urn:pulumi:${stack}::cicd::aws:s3/bucket:Bucket::artifacts`;

describe("production detection", () => {
    describe("default stack-name pattern", () => {
        for (const stack of ["prod", "production", "prod-eu", "acme-prod", "PROD", "eu.prod.1", "team_prod"]) {
            it(`treats "${stack}" as production`, () => {
                assert.strictEqual(isProductionStack({ urn: urn(stack) }), true);
            });
        }
        for (const stack of ["preprod", "nonprod", "product", "pre-prod", "non_prod", "dev", "staging", "prodx"]) {
            it(`treats "${stack}" as not production`, () => {
                assert.strictEqual(isProductionStack({ urn: urn(stack) }), false);
            });
        }
    });

    it("explains a name match", () => {
        assert.deepStrictEqual(detectProduction({ stackName: "prod-eu" }, { productionStackPattern: "^prod" }), {
            production: true,
            reason: 'stack name "prod-eu" matches /^prod/i',
        });
    });

    it("uses a configured pattern instead of the default", () => {
        assert.strictEqual(isProductionStack({ stackName: "live" }, { productionStackPattern: "^live$" }), true);
        const only = { productionStackPattern: "^live$", productionStackNames: [] };
        assert.strictEqual(isProductionStack({ stackName: "prod" }, only), false);
    });

    it("marks production from a stack tag in the SDK's map form", () => {
        const stackTags = new Map([["environment", "Production"]]);
        assert.deepStrictEqual(detectProduction({ urn: urn("eu-main"), stackTags }), {
            production: true,
            reason: "stack tag environment=Production",
        });
    });

    it("honours a configured tag key and values", () => {
        const config = { productionTagKey: "tier", productionTagValues: ["live"] };
        assert.strictEqual(isProductionStack({ stackName: "x", stackTags: { tier: "live" } }, config), true);
        assert.strictEqual(
            isProductionStack({ stackName: "x", stackTags: { environment: "production" } }, config),
            false,
        );
    });

    it("falls back to the resource's own tag", () => {
        assert.deepStrictEqual(detectProduction({ stackName: "main", resourceTags: { environment: "prod" } }), {
            production: true,
            reason: "resource tag environment=prod",
        });
    });

    it("survives unknown, throwing or malformed resource tags", () => {
        const throwing = new Proxy(
            {},
            {
                get: () => {
                    throw new Error("unknown during preview");
                },
            },
        );
        for (const resourceTags of [throwing, "04da6b54-80e4-46f7-96ec-b56ff0331ba9", 42, null, ["prod"]]) {
            assert.strictEqual(isProductionStack({ stackName: "main", resourceTags }), false);
        }
    });

    it("says why a stack is not production", () => {
        assert.deepStrictEqual(detectProduction({ urn: urn("staging") }), {
            production: false,
            reason: 'stack "staging" matches neither the name pattern nor tag environment=production|prod nor cicd:tier=production',
        });
        assert.strictEqual(
            detectProduction({}).reason,
            "unknown stack matches neither the name pattern nor tag environment=production|prod nor cicd:tier=production",
        );
    });

    it("names the config key when the pattern is not a regular expression", () => {
        assert.throws(
            () => detectProduction({ stackName: "prod" }, { productionStackPattern: "(" }),
            /^Error: productionStackPattern "\(" is not a valid regular expression \(.*\); fix it in the policy pack config\.$/,
        );
    });

    it("treats prd, prod-*, production*, live and live-* as production by default, and lets the list be replaced", () => {
        for (const stackName of ["prd", "PRD", "prod-eu", "production", "production2", "live", "live-us"]) {
            assert.strictEqual(isProductionStack({ stackName }), true, stackName);
        }
        for (const stackName of ["preprod", "staging", "product", "delivery", "dev"]) {
            assert.strictEqual(isProductionStack({ stackName }), false, stackName);
        }
        assert.deepStrictEqual(detectProduction({ stackName: "main-eu" }, { productionStackNames: ["main-*"] }), {
            production: true,
            reason: 'stack name "main-eu" matches "main-*"',
        });
    });

    it("reads the platform's cicd:tier tag from the resource and from the provider's defaultTags", () => {
        const tags = { "cicd:tier": "production", "cicd:environment": "prod-eu" };
        assert.deepStrictEqual(detectProduction({ stackName: "main", resourceTags: tags }), {
            production: true,
            reason: "resource tag cicd:tier=production",
        });
        for (const defaultTags of [{ tags }, JSON.stringify({ tags })]) {
            assert.deepStrictEqual(
                detectProduction({ stackName: "main", providerProps: { region: "eu-west-1", defaultTags } }),
                {
                    production: true,
                    reason: "provider defaultTags tag cicd:tier=production",
                },
            );
        }
        const staging = { defaultTags: { tags: { "cicd:tier": "staging" } } };
        assert.strictEqual(isProductionStack({ stackName: "main", providerProps: staging }), false);
        const unknown = { defaultTags: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" };
        assert.strictEqual(isProductionStack({ stackName: "main", providerProps: unknown }), false);
    });

    it("marks resources in, or bound to, a configured production account", () => {
        const config = { productionAccountIds: ["111111111111"] };
        assert.deepStrictEqual(detectProduction({ stackName: "tooling", accountIds: ["111111111111"] }, config), {
            production: true,
            reason: "account 111111111111 is in productionAccountIds",
        });
        const provider = { assumeRoles: JSON.stringify([{ roleArn: "arn:aws:iam::111111111111:role/deploy" }]) };
        assert.strictEqual(isProductionStack({ stackName: "tooling", providerProps: provider }, config), true);
        assert.strictEqual(
            isProductionStack({ stackName: "tooling", providerProps: { allowedAccountIds: ["111111111111"] } }, config),
            true,
        );
        assert.strictEqual(isProductionStack({ stackName: "tooling", accountIds: ["222222222222"] }, config), false);
        assert.strictEqual(isProductionStack({ stackName: "tooling", accountIds: ["111111111111"] }), false);
    });

    it("reads the stack name from a URN only", () => {
        assert.strictEqual(stackNameFromUrn(urn("prod-eu")), "prod-eu");
        assert.strictEqual(stackNameFromUrn("arn:aws:s3:::bucket"), undefined);
        assert.strictEqual(stackNameFromUrn(undefined), undefined);
    });
});
