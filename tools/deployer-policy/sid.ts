/**
 * `codestar-notifications` → `CodestarNotifications`: a policy statement's Sid takes letters and digits only
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html). Shared by the deployer
 * policy and the bootstrap's preview role, without the Service Authorization Reference data the former loads.
 */
export const sidPart = (text: string): string =>
    text
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0].toUpperCase() + w.slice(1))
        .join("");
