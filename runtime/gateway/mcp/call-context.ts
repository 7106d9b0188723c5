/**
 * Everything known about one MCP HTTP request while it is decided, forwarded and answered. The
 * policy engine and the masker are pinned together when the request arrives: a request straddling
 * a bundle reload is decided and masked by the bundle its records name.
 */
import { randomUUID } from "node:crypto";
import type { Request } from "express";
import type { Identity } from "../../core/identity";
import type { Masker } from "../../core/masking/masker";
import type { RequestId } from "../../core/mcp/jsonrpc";
import { pinPolicy, type PolicyView } from "../../core/policy/live-policy";
import { pinMasker } from "../live-masker";
import { clientUserAgent } from "../../http/client-user-agent";

export interface CallContext {
  readonly correlationId: string;
  readonly identity: Identity;
  readonly server: string;
  readonly agent: string;
  readonly receivedAt: Date;
  readonly started: number;
  readonly clientIp: string | null;
  readonly userAgent: string | null;
  readonly clientSessionId: string | null;
  /** The policy engine in force when the request arrived: it decides, and its version is on every record. */
  readonly policy: PolicyView;
  /** The masker built from that same bundle. */
  readonly masker: Masker;
  method: string | null;
  name: string | null;
  jsonrpcId: RequestId | null;
  /** The id the upstream sees for this request: gateway-owned, unique (issue 12, item 3). */
  upstreamRequestId: RequestId | null;
  /** The upstream session (from the envelope, or the upstream's answer to initialize). */
  upstreamSessionId: string | null;
  maskedArguments?: unknown;
  /** The client declared `elicitation` at initialize (this request's, or the session envelope's). */
  clientElicitation: boolean;
  /** An approver edited this call before it ran (edited-call-resume.ts): the result says so. */
  edited?: import("../../core/approvals/edited-call").EditedFacts;
  decidedMs: number | null;
  upstreamStarted: number | null;
}

/** A context for `req` to `server`, pinning the policy engine and masker in force now. */
export function newCallContext(
  req: Request,
  server: string,
  agent: string,
  policy: PolicyView,
  masker: Masker,
): CallContext {
  const sid = req.headers["mcp-session-id"];
  const pinned = pinPolicy(policy);
  return {
    correlationId: randomUUID(),
    identity: req.auth!,
    server,
    agent,
    receivedAt: new Date(),
    started: performance.now(),
    clientIp: req.ip ?? null,
    userAgent: clientUserAgent(req),
    clientSessionId: typeof sid === "string" ? sid : null,
    policy: pinned,
    masker: pinMasker(masker, pinned.bundle),
    method: null,
    name: null,
    jsonrpcId: null,
    upstreamRequestId: null,
    upstreamSessionId: null,
    clientElicitation: false,
    decidedMs: null,
    upstreamStarted: null,
  };
}

/** One call as the steps of the request path see it: what is known, who records it, who answers. */
export interface Call {
  readonly ctx: CallContext;
  readonly recorder: import("./call-recorder").CallRecorder;
  readonly response: import("./call-response").CallResponse;
}
