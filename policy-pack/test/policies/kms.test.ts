import { strict as assert } from "assert";
import { Secret, unknownCheckingProxy } from "@pulumi/policy";
import { secretsPreservingProxy } from "@pulumi/policy/secret";
import { KMS_KEY_TYPE, kmsKeyRotation } from "../../policies/kms";
import { resourceArgs, serializeRemediation, UNKNOWN, validate } from "./helpers";

describe("kms-key-rotation", () => {
    const message =
        "KMS key 'artifacts' does not rotate its key material (enableKeyRotation is not true). Set enableKeyRotation: true.";

    it("reports a symmetric key without rotation (absent or false)", async () => {
        assert.deepEqual(await validate(kmsKeyRotation, KMS_KEY_TYPE, {}, { name: "artifacts" }), [message]);
        assert.deepEqual(
            await validate(
                kmsKeyRotation,
                KMS_KEY_TYPE,
                { enableKeyRotation: false, customerMasterKeySpec: "SYMMETRIC_DEFAULT", policy: UNKNOWN },
                { name: "artifacts" },
            ),
            [message],
        );
    });

    it("passes rotation true, or unknown in preview", async () => {
        assert.deepEqual(await validate(kmsKeyRotation, KMS_KEY_TYPE, { enableKeyRotation: true }), []);
        assert.deepEqual(
            await validate(kmsKeyRotation, KMS_KEY_TYPE, { enableKeyRotation: "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7" }),
            [],
        );
    });

    it("does not flag keys that can't rotate: asymmetric, HMAC, custom key stores", async () => {
        for (const props of [
            { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" },
            { customerMasterKeySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC" },
            { customKeyStoreId: "cks-1234" },
            { xksKeyId: "xks-1" },
            { customerMasterKeySpec: UNKNOWN },
        ]) {
            assert.deepEqual(await validate(kmsKeyRotation, KMS_KEY_TYPE, props), [], JSON.stringify(props));
        }
    });

    it("remediates by setting enableKeyRotation, keeping other inputs", async () => {
        const result = await kmsKeyRotation.remediateResource!(
            resourceArgs(KMS_KEY_TYPE, { description: "artifacts", policy: UNKNOWN }),
        );
        assert.deepEqual(await serializeRemediation(result), {
            description: "artifacts",
            policy: UNKNOWN,
            enableKeyRotation: true,
        });
    });

    it("keeps secret inputs secret through remediation (as the SDK's remediate path wraps them)", async () => {
        const args = resourceArgs(KMS_KEY_TYPE, {});
        args.props = unknownCheckingProxy(
            secretsPreservingProxy({ description: new Secret("classified"), enableKeyRotation: false }),
        );
        const wire = (await serializeRemediation(await kmsKeyRotation.remediateResource!(args))) as Record<
            string,
            unknown
        >;
        assert.equal(wire["enableKeyRotation"], true);
        assert.equal((wire["description"] as Record<string, unknown>)["value"], "classified");
    });

    it("leaves compliant keys and other types alone", async () => {
        assert.equal(
            await kmsKeyRotation.remediateResource!(resourceArgs(KMS_KEY_TYPE, { enableKeyRotation: true })),
            undefined,
        );
        assert.equal(await kmsKeyRotation.remediateResource!(resourceArgs("aws:kms/alias:Alias", {})), undefined);
        assert.deepEqual(await validate(kmsKeyRotation, "aws:kms/alias:Alias", {}), []);
    });
});
