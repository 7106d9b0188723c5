/**
 * The image's entrypoint: `gatehouse-runtime gateway|agent`. One image runs both processes, so
 * the role is an explicit argument and there is no default: an agent app that forgot its
 * argument must not quietly start a second public gateway (issue 13, item 5).
 *
 * The stop-signal trap goes in before the role's modules load (item 17); nothing here may load
 * winston, which telemetry has to patch first.
 */
import { trapStopSignals } from "./core/stop-signals";
import { unusableExtraCaCerts } from "./core/config/extra-ca-certs";

export const ROLES = ["gateway", "agent"] as const;
export type Role = (typeof ROLES)[number];

/** Exit status of a wrong invocation (sysexits EX_USAGE). */
export const EXIT_USAGE = 64;

export function parseRole(argv: readonly string[]): Role | null {
  const [role, ...rest] = argv;
  return rest.length === 0 && (ROLES as readonly string[]).includes(role) ? (role as Role) : null;
}

function main(argv: readonly string[]): void {
  trapStopSignals();
  const role = parseRole(argv);
  if (!role) {
    process.stderr.write(
      `gatehouse-runtime: ERR_CONFIG_INVALID: a role is required: gatehouse-runtime ${ROLES.join("|")} (got: ${argv.length ? argv.join(" ") : "nothing"})\n`,
    );
    process.exit(EXIT_USAGE);
  }
  const ca = unusableExtraCaCerts(process.env);
  if (ca) {
    process.stderr.write(
      `gatehouse-runtime: ERR_CONFIG_INVALID: NODE_EXTRA_CA_CERTS: ${ca}; Node would start without this trust anchor\n`,
    );
    process.exit(1);
  }
  // Each server module starts its process when loaded (runService).
  if (role === "gateway") require("./gateway/server");
  else require("./agent/server");
}

if (require.main === module) main(process.argv.slice(2));
