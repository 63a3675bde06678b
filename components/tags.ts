/** A resource name part from free text (an email address, say): stable, lowercase, URN-safe. */
export const slug = (text: string): string =>
    text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-|-$/g, "");
