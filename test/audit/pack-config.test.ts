import * as assert from "assert";

import { validatePackConfig } from "../../tools/shared/pack-config";

const POLICIES = [
    { name: "kms-key-rotation" },
    {
        name: "pipeline-approval",
        configSchema: {
            properties: {
                productionTagValues: { type: "array", items: { type: "string" } },
                maxDays: { type: "integer" },
            },
        },
    },
];

const rejects = (config: unknown, message: string) =>
    assert.throws(
        () => validatePackConfig(POLICIES, config),
        (err: Error) => err.message === `--policy-pack-config: ${message}`,
    );

describe("--policy-pack-config validation", () => {
    it("accepts levels and settings, and expands `all` under each policy's own level", () => {
        assert.deepStrictEqual(
            validatePackConfig(POLICIES, {
                all: "advisory",
                "kms-key-rotation": "mandatory",
                "pipeline-approval": { productionTagValues: ["live"], maxDays: 3 },
            }),
            {
                "kms-key-rotation": { enforcementLevel: "mandatory" },
                "pipeline-approval": { enforcementLevel: "advisory", productionTagValues: ["live"], maxDays: 3 },
            },
        );
    });

    it("rejects an unknown policy name, listing the pack's policies", () => {
        rejects(
            { "kms-rotation": "mandatory" },
            "`kms-rotation` is not a policy of this pack; use one of: kms-key-rotation, pipeline-approval.",
        );
    });

    it("rejects an unknown enforcement level, at a policy and under `all`", () => {
        rejects(
            { "kms-key-rotation": "strict" },
            '`kms-key-rotation` has enforcement level "strict"; use one of: advisory, mandatory, remediate, disabled.',
        );
        rejects(
            { all: "off" },
            '`all` has enforcement level "off"; use one of: advisory, mandatory, remediate, disabled.',
        );
        rejects(
            { "pipeline-approval": { enforcementLevel: "loud" } },
            '`pipeline-approval.enforcementLevel` has enforcement level "loud"; use one of: advisory, mandatory, remediate, disabled.',
        );
    });

    it("rejects a setting the policy's schema does not declare, naming the ones it does", () => {
        rejects(
            { "pipeline-approval": { maxDay: 3 } },
            "`pipeline-approval.maxDay` is not a setting of pipeline-approval; use one of: productionTagValues, maxDays.",
        );
        rejects(
            { "kms-key-rotation": { days: 3 } },
            "`kms-key-rotation.days` is not a setting of kms-key-rotation; this policy takes no settings.",
        );
    });

    it("rejects a setting of the wrong type with the schema's rule", () => {
        rejects(
            { "pipeline-approval": { productionTagValues: "live" } },
            "`pipeline-approval.productionTagValues` must be array.",
        );
        rejects(
            { "pipeline-approval": { productionTagValues: [1] } },
            "`pipeline-approval.productionTagValues.0` must be string.",
        );
    });

    it("rejects a document that is not an object of policies, or a policy entry that is neither level nor object", () => {
        rejects([], "expected a JSON object of policy name -> level or settings.");
        rejects({ "kms-key-rotation": 3 }, "`kms-key-rotation` must be an enforcement level or an object of settings.");
    });
});
