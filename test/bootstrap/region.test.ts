import { strict as assert } from "node:assert";
import { BootstrapConfigError } from "../../bootstrap/config";
import { stackRegion } from "../../bootstrap/region";

const problems = (value: unknown) => {
    try {
        stackRegion(value);
    } catch (e) {
        assert.ok(e instanceof BootstrapConfigError);
        return e.problems;
    }
    assert.fail(`${JSON.stringify(value)} was accepted`);
};

describe("bootstrap: the provider's region is the stack's aws:region", () => {
    it("takes a region name as it is", () => {
        for (const region of ["eu-west-1", "us-gov-west-1", "cn-north-1", "ap-southeast-4"])
            assert.equal(stackRegion(region), region);
    });

    it("requires aws:region, naming the key and the command that sets it", () => {
        const message = [
            "`aws:region` is required: set it to the region the provider uses, e.g. `pulumi config set aws:region eu-west-1` (Pulumi.example.yaml sets it).",
        ];
        assert.deepEqual(problems(undefined), message);
        assert.deepEqual(problems(""), message);
    });

    it("rejects a value that is not a region name", () => {
        assert.deepEqual(problems("Ireland"), [
            '`aws:region` is "Ireland", which is not a region name: set it to one like eu-west-1.',
        ]);
        assert.deepEqual(problems("eu-west-1a"), [
            '`aws:region` is "eu-west-1a", which is not a region name: set it to one like eu-west-1.',
        ]);
    });
});
