/**
 * npm run deployer-policy -- --stack <env> [--dir <program dir>] [--stack-file <file>] [--out <dir>]
 *
 * Prints, as a JSON array on stdout, the IAM policy documents the identity that runs `pulumi up` for the stack
 * needs: create/read/update/tag/delete on the stack's own resources (by ARN), PassRole of the stack's roles to
 * their services only, PassConnection for its connections, and the service-linked roles it needs. The stack is
 * evaluated offline under Pulumi mocks (as `npm run plan` does) to learn its resource types and physical names.
 * More than one document means IAM's managed-policy size limit forced a split: attach them all.
 * Exit codes: 0 ok, 2 usage, 3 the stack or the policy could not be built.
 */
import * as fs from "fs";
import * as path from "path";
import { buildDeployerPolicy } from "./deployer-policy/build-policy";
import { planStack } from "./deployer-policy/plan-source";
import { MANAGED_POLICY_MAX, policySize, splitIntoDocuments, type PolicyDocument } from "./deployer-policy/split";

const REPO_ROOT = path.resolve(__dirname, "..");
/** Managed policies attached to one role, default quota (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
const MANAGED_POLICIES_PER_ROLE = 10;
type Log = (line: string) => void;

export const USAGE = `usage: npm run -s deployer-policy -- --stack <env> [--dir <dir>] [--stack-file <file>] [--out <dir>]

Prints, as a JSON array on stdout, the IAM policy documents the identity that runs \`pulumi up\` for the stack
needs (several when IAM's 6,144-character managed-policy limit forces a split: attach them all). The stack is
evaluated offline under Pulumi's mocks; nothing is read from or sent to AWS.

  --stack <env>        the stack (Pulumi.<env>.yaml) whose resources the policy covers (required)
  --dir <dir>          the Pulumi program (default: this repository; deploy-target for a target account)
  --stack-file <file>  the stack's config file (default: <dir>/Pulumi.<env>.yaml)
  --out <dir>          also write one file per document, deployer-policy-<env>-<n>.json
  --help               this text

Exit codes: 0 ok, 2 usage, 3 the stack or the policy could not be built.`;

interface Args {
    stack: string;
    dir: string;
    stackFile?: string;
    out?: string;
}

/** The settings, paths resolved; undefined for `--help`. */
export function parseArgs(argv: readonly string[]): Args | undefined {
    if (argv.includes("--help") || argv.includes("-h")) return undefined;
    const values: Record<string, string> = {};
    for (let i = 0; i < argv.length; i += 2) {
        const flag = argv[i];
        if (!["--stack", "--dir", "--stack-file", "--out"].includes(flag))
            throw new UsageError(`unknown argument ${flag}`);
        if (argv[i + 1] === undefined || argv[i + 1].startsWith("--")) throw new UsageError(`${flag} needs a value`);
        values[flag.slice(2)] = argv[i + 1];
    }
    if (!values.stack) throw new UsageError("--stack <env> is required");
    return {
        stack: values.stack,
        dir: path.resolve(values.dir ?? REPO_ROOT),
        ...(values["stack-file"] ? { stackFile: path.resolve(values["stack-file"]) } : {}),
        ...(values.out ? { out: path.resolve(values.out) } : {}),
    };
}

class UsageError extends Error {}

export async function deployerPolicy(args: Args): Promise<{ documents: PolicyDocument[]; notes: string[] }> {
    const plan = await planStack(args.dir, args.stack, args.stackFile);
    const policy = await buildDeployerPolicy(plan);
    const documents = splitIntoDocuments(policy.statements);
    const notes = [
        `Deployer policy for stack ${plan.stack} (account ${plan.account}, ${plan.region}): ${documents.length} managed polic${documents.length === 1 ? "y" : "ies"} of ${documents.map(policySize).join(", ")} characters (IAM allows ${MANAGED_POLICY_MAX} each${documents.length > 1 ? "; attach all of them" : ""}).`,
        ...(documents.length > MANAGED_POLICIES_PER_ROLE
            ? [
                  `${documents.length} documents exceed the ${MANAGED_POLICIES_PER_ROLE} managed policies IAM attaches to a role by default: raise the quota or split the identity's duties.`,
              ]
            : []),
        `Granted on "*" because the Service Authorization Reference gives them no resource type: ${policy.wildcardActions.join(", ") || "none"}.`,
    ];
    return { documents, notes };
}

export async function main(argv: string[], out: Log = console.log, err: Log = console.error): Promise<number> {
    let args: Args | undefined;
    try {
        args = parseArgs(argv);
    } catch (e) {
        err(
            `deployer-policy: ${(e as Error).message}\nusage: npm run deployer-policy -- --stack <env> [--out <dir>] (--help: every option)`,
        );
        return 2;
    }
    if (!args) {
        out(USAGE);
        return 0;
    }
    try {
        const { documents, notes } = await deployerPolicy(args);
        notes.forEach((n) => err(n));
        if (args.out) {
            fs.mkdirSync(args.out, { recursive: true });
            documents.forEach((d, i) =>
                fs.writeFileSync(
                    path.join(args.out!, `deployer-policy-${args.stack}-${i + 1}.json`),
                    JSON.stringify(d, null, 2),
                ),
            );
        }
        out(JSON.stringify(documents, null, 2));
        return 0;
    } catch (e) {
        err(`deployer-policy: ${(e as Error).message}`);
        return 3;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
