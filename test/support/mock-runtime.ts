import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations } from "../../tools/plan/child/recorder";
import { planMocks } from "../../tools/plan/child/mocks";
import type { Resource as PlannedResource } from "../../tools/shared/resource";

/**
 * Pulumi's own mock runtime for component tests, with the offline plan's mocks (realistic ARNs) and its
 * recorder (parent, dependencies and options of every registration).
 */
export async function withMocks(
    stack: string,
    program: () => void | Promise<void>,
    account = "111111111111",
): Promise<PlannedResource[]> {
    await pulumi.runtime.setMocks(
        planMocks({ account, region: "eu-west-1", preview: false }),
        "cicd-platform",
        stack,
        false,
    );
    const settings = require("@pulumi/pulumi/runtime/settings");
    const recorded = recordRegistrations(settings.getMonitor());
    await program();
    await settings.waitForRPCs();
    return recorded;
}

/** The one resource of a type whose name is `name`, or a failed assertion naming what exists. */
export function find(resources: readonly PlannedResource[], type: string, name: string): PlannedResource {
    const found = resources.find((r) => r.type === type && r.name === name);
    if (!found)
        throw new Error(
            `no ${type} named ${name}; have: ${resources
                .filter((r) => r.type === type)
                .map((r) => r.name)
                .join(", ")}`,
        );
    return found;
}

export const childrenOf = (resources: readonly PlannedResource[], parent: PlannedResource): PlannedResource[] =>
    resources.filter((r) => r.parent === parent.urn);
