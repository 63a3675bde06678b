/**
 * Tags a component adds to its taggable children. Environment-wide tags come from the stack's `aws:defaultTags`,
 * which the AWS provider merges into every resource.
 */
export const serviceTags = (service: string, pipeline: string): Record<string, string> => ({ service, pipeline });

/** A resource name part from free text (an email address, say): stable, lowercase, URN-safe. */
export const slug = (text: string): string =>
    text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
