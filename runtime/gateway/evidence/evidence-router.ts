/**
 * createEvidenceRouter(deps): GET /api/evidence/:report?from=&to=[&ids=][&format=json|zip] for the
 * Auditor app role only (an Entra identity with that role; JIT sessions never qualify); everyone
 * else gets 403. The report runs over the audit trail exactly as the CLI runs it (runReport: the
 * trail is verified first, evidence from a broken chain is refused). Each export is itself
 * audited (`evidence.exported`) before the response is sent; if that record cannot be written,
 * nothing is returned (fail closed).
 */
import { fromIdentityProvider } from "../../core/policy/principals";
import { Router, type Request, type RequestHandler } from "express";
import type { JWK } from "jose";
import type { PolicyBundle } from "../../core/policy-model/schema";
import type { AuditTrail } from "../../core/audit/audit-reader";
import type { AuditSink } from "../../core/audit/audit-sink";
import { GatehouseError } from "../../core/errors";
import { zipPackage } from "../../core/evidence/evidence-writer";
import { exportedEvent, packageSummary } from "../../core/evidence/export-event";
import { signEvidencePackage } from "../../core/evidence/manifest-signature";
import type { Signer } from "../../core/signing/signer";
import { parsePeriod } from "../../core/evidence/period";
import { isReportName, REPORT_NAMES } from "../../core/evidence/report-registry";
import type { CommitCheck } from "../../core/evidence/report-types";
import { runReport } from "../../core/evidence/run-report";
import "../auth/request-auth";
import { sendRejection } from "../../http/send-rejection";

export interface EvidenceRouterDeps {
  /** The gateway's bearer-auth middleware (sets req.auth or answers 401). */
  readonly authenticate: RequestHandler;
  /** Reads the whole trail, e.g. () => readAuditTrail({ blobService, container }). */
  readonly readTrail: () => Promise<AuditTrail>;
  /** Bundles records are evaluated against: the running one first, earlier versions after. */
  readonly bundles: () => readonly PolicyBundle[];
  /** Public keys for checkpoint signatures (the gateway signer's public JWK). */
  readonly publicJwks: () => Promise<JWK[]>;
  /** Where the trail lives, for the manifest (never a key or SAS). */
  readonly source: { readonly type: string; readonly endpoint: string | null; readonly container: string };
  /** Commit check for policy-changes; @default - none: commits are reported `unverifiable` */
  readonly commitCheck?: CommitCheck | null;
  /** Records each export as `evidence.exported` (an export that cannot be recorded is not returned). */
  readonly audit: AuditSink;
  /** @default "Auditor" */
  readonly auditorRole?: string;
  readonly generatorVersion: string;
  readonly now?: () => Date;
  /** Signs each manifest (the gateway's checkpoint key). @default - manifests are not signed */
  readonly signer?: Signer;
}

function query(req: Request, name: string): string | undefined {
  const v = req.query[name];
  return typeof v === "string" ? v : undefined;
}

export function createEvidenceRouter(deps: EvidenceRouterDeps): Router {
  const role = deps.auditorRole ?? "Auditor";
  const now = deps.now ?? (() => new Date());
  const router = Router();
  router.get("/api/evidence/:report", deps.authenticate, async (req, res) => {
    try {
      const who = req.auth;
      if (!who || !fromIdentityProvider(who) || who.kind === "app" || !who.roles.includes(role)) {
        throw new GatehouseError("ERR_FORBIDDEN", `evidence is available to the ${role} app role only`);
      }
      const report = String(req.params.report);
      if (!isReportName(report))
        throw new GatehouseError(
          "ERR_BAD_REQUEST",
          `unknown report '${report}': choose one of ${REPORT_NAMES.join(", ")}`,
        );
      const from = query(req, "from");
      const to = query(req, "to");
      const format = query(req, "format") ?? "json";
      if (!from || !to) throw new GatehouseError("ERR_BAD_REQUEST", "from and to (ISO-8601 instants) are required");
      if (format !== "json" && format !== "zip")
        throw new GatehouseError("ERR_BAD_REQUEST", "format must be json or zip");
      let period;
      try {
        period = parsePeriod(from, to);
      } catch (e) {
        throw new GatehouseError("ERR_BAD_REQUEST", (e as Error).message.replace(/^--/, ""));
      }
      const ids = query(req, "ids")
        ?.split(",")
        .map((s) => s.trim())
        .filter(Boolean);
      if (report === "sample" && !ids?.length) throw new GatehouseError("ERR_BAD_REQUEST", "sample needs ids=<id,...>");
      let trail: AuditTrail;
      let keys: JWK[];
      try {
        [trail, keys] = await Promise.all([deps.readTrail(), deps.publicJwks()]);
      } catch (e) {
        throw new GatehouseError(
          "ERR_AUDIT_UNAVAILABLE",
          "the audit trail could not be read; try again",
          {},
          { cause: e },
        );
      }
      const extractedAt = now().toISOString();
      const { result, pkg: built } = runReport({
        report,
        period,
        trail,
        bundles: deps.bundles(),
        ids,
        source: deps.source,
        publicJwks: keys,
        commitCheck: deps.commitCheck ?? null,
        options: { requestedBy: who.username ?? who.oid, via: "api" },
        extractedAt,
        generatorVersion: deps.generatorVersion,
        producedBy: {
          command: `GET ${req.originalUrl}`,
          kql: null,
          user: { oid: who.oid, username: who.username, source: "entra" },
          at: extractedAt,
          tool: { name: "gatehouse", version: deps.generatorVersion },
        },
        signed: deps.signer !== undefined,
      });
      const pkg = deps.signer ? await signEvidencePackage(built, deps.signer) : built;
      const m = pkg.manifest;
      await deps.audit.write(
        exportedEvent({
          summary: packageSummary(pkg),
          actor: {
            oid: who.oid,
            tenantId: who.tenantId,
            username: who.username,
            roles: who.roles,
            groups: [],
            via: who.via,
            clientIp: req.ip ?? null,
          },
          actorSource: "entra",
          via: "api",
          method: `GET /api/evidence/${report}`,
          policyVersion: deps.bundles()[0]?.version ?? null,
        }),
      );
      res.setHeader("cache-control", "no-store");
      if (format === "zip") {
        res.setHeader("content-type", "application/zip");
        res.setHeader("content-disposition", `attachment; filename="${report}-evidence.zip"`);
        res.end(await zipPackage(pkg));
        return;
      }
      const extra = Object.fromEntries(
        (result.extraFiles ?? []).map((f) => [f.name, f.name.endsWith(".json") ? JSON.parse(f.content) : f.content]),
      );
      res.json({
        manifest: m,
        rows: result.rows,
        exceptions: result.exceptions,
        ...(result.documents ? { documents: result.documents } : {}),
        files: extra,
      });
    } catch (e) {
      sendRejection(res, e);
    }
  });
  return router;
}
