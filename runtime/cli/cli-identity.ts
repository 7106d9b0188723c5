/**
 * Who is running the CLI, for the records it writes (evidence.exported). The CLI has no sign-in
 * of its own, so it says how it knows:
 * - `token_claims`: a bearer token was given (--token or GATEHOUSE_TOKEN): its oid, tid and
 *   username claims, decoded but NOT verified by the CLI (the record says so);
 * - `os_user`: otherwise the operating-system user and host, `os:<user>@<host>`, with no oid.
 * Neither is proof of identity — whoever can append to the audit container can write any record;
 * the storage account's own logs say which Azure identity wrote. Exports through the API are
 * the verified path (`entra`).
 */
import os from "node:os";
import { decodeJwt } from "jose";
import type { Actor } from "../core/audit/record-schema";
import type { ExporterSource } from "../core/evidence/export-event";
import { CliError } from "./cli-error";

export interface CliIdentity {
  readonly actor: Pick<Actor, "oid" | "tenantId" | "username" | "via">;
  readonly source: ExporterSource;
}

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v : null);

export function cliIdentity(token: string | undefined): CliIdentity {
  if (token) {
    let claims;
    try {
      claims = decodeJwt(token);
    } catch {
      throw new CliError(
        "the bearer token (--token or GATEHOUSE_TOKEN) is not a JWT; pass a valid one, or unset it to be recorded as your OS user",
        2,
      );
    }
    const username = str(claims.preferred_username) ?? str(claims.upn) ?? str(claims.email) ?? str(claims.sub);
    return {
      actor: { oid: str(claims.oid) ?? str(claims.sub), tenantId: str(claims.tid), username, via: "none" },
      source: "token_claims",
    };
  }
  let user: string;
  try {
    user = os.userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? "unknown";
  }
  return {
    actor: { oid: null, tenantId: null, username: `os:${user}@${os.hostname()}`, via: "none" },
    source: "os_user",
  };
}
