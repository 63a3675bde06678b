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
        assert.strictEqual(isProductionStack({ stackName: "prod" }, { productionStackPattern: "^live$" }), false);
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
            reason: 'stack "staging" matches neither the name pattern nor tag environment=production|prod',
        });
        assert.strictEqual(
            detectProduction({}).reason,
            "unknown stack matches neither the name pattern nor tag environment=production|prod",
        );
    });

    it("names the config key when the pattern is not a regular expression", () => {
        assert.throws(
            () => detectProduction({ stackName: "prod" }, { productionStackPattern: "(" }),
            /^Error: productionStackPattern "\(" is not a valid regular expression \(.*\); fix it in the policy pack config\.$/,
        );
    });

    it("reads the stack name from a URN only", () => {
        assert.strictEqual(stackNameFromUrn(urn("prod-eu")), "prod-eu");
        assert.strictEqual(stackNameFromUrn("arn:aws:s3:::bucket"), undefined);
        assert.strictEqual(stackNameFromUrn(undefined), undefined);
    });
});
