// The pulumi.runtime.Mocks the plan installs: AWS resources get the outputs a provider would
// compute (id, arn, physical name); in preview mode the computed ones are the engine's unknown
// sentinel, which the SDK turns into unknown Outputs exactly as in `pulumi preview`
// (@pulumi/pulumi runtime/rpc.ts: unknownValue; applies on unknowns are skipped during a dry run).
import type * as pulumi from "@pulumi/pulumi";

import { identityHash, mockIdentity, NAME_INPUTS, physicalName } from "./arn-formats";
import { policyDocument } from "./policy-document";

export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface MockSettings {
    account: string;
    region: string;
    preview: boolean;
}

export function planMocks(settings: MockSettings): pulumi.runtime.Mocks {
    return {
        newResource: (args) => newResource(args, settings),
        call: (args) => call(args, settings),
    };
}

function newResource(args: pulumi.runtime.MockResourceArgs, s: MockSettings): pulumi.runtime.MockResourceResult {
    if (!args.custom || !args.type.startsWith("aws:")) {
        return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
    }
    const hash = identityHash(args.type, args.name);
    const name = physicalName(args.name, args.inputs, hash);
    const identity = mockIdentity(args.type, {
        account: s.account,
        region: s.region,
        physicalName: name,
        hash,
        inputs: args.inputs,
    });
    const computed: Record<string, unknown> = { ...identity.extra };
    if (identity.arn) computed.arn = identity.arn;
    if (s.preview) {
        // A real preview knows inputs and auto-names (the provider's Check step makes them) but not
        // what the cloud assigns: ids, ARNs, endpoints.
        for (const key of Object.keys(computed)) {
            if (!NAME_INPUTS.includes(key)) computed[key] = UNKNOWN;
        }
        return { id: undefined, state: { name, ...args.inputs, ...computed, tagsAll: args.inputs.tags } };
    }
    return { id: identity.id, state: { name, ...args.inputs, ...computed, tagsAll: args.inputs.tags } };
}

function call(args: pulumi.runtime.MockCallArgs, s: MockSettings): Record<string, unknown> {
    switch (args.token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                accountId: s.account,
                arn: `arn:aws:iam::${s.account}:user/plan`,
                userId: "AIDAPLAN",
                id: s.account,
            };
        case "aws:index/getRegion:getRegion":
            return { name: s.region, region: s.region, id: s.region, endpoint: `ec2.${s.region}.amazonaws.com` };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
        case "aws:iam/getPolicyDocument:getPolicyDocument":
            return {
                ...args.inputs,
                json: policyDocument(args.inputs),
                id: identityHash(args.token, JSON.stringify(args.inputs)),
            };
        default:
            return args.inputs;
    }
}
