/**
 * Factory for "this input must be set" resource policies: the shape of SNS, log-group and similar
 * encryption rules. Presence is judged on plain data, so a missing key is reported even in preview
 * while an unknown (computed) key passes silently.
 */
import { EnforcementLevel, ResourceValidationPolicy } from "@pulumi/policy";
import { dig, isPresent, plain } from "./props";

export interface PresenceRule {
    name: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    type: string;
    /** Path of the input that must be set, e.g. ["kmsMasterKeyId"]. */
    path: string[];
    /** Builds the message from the resource's name. */
    message: (name: string) => string;
}

export function presencePolicy(rule: PresenceRule): ResourceValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        validateResource: (args, report) => {
            if (args.type === rule.type && !isPresent(dig(plain(args.props), ...rule.path))) {
                report(rule.message(args.name));
            }
        },
    };
}
