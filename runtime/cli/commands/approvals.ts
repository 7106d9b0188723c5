/**
 * `gatehouse approvals list|show <id>|approve <id> [--confirm-irreversible]|reject <id> [--reason <text>] [--json]` (`deny`
 * is an alias of `reject`; `edit <id> --set <json> --reason <text>` edits, then approves: issue 20) — for approvers at a terminal, and for requesters whose client gave up
 * waiting (`show` tells them the outcome). Calls the gateway's REST API (/api/approvals) with a
 * bearer token from --token or GATEHOUSE_TOKEN; the gateway from --gateway or GATEHOUSE_URL
 * (default http://127.0.0.1:8080). Every rule (no self-approval, approver role, expiry, single
 * use) is enforced by the gateway. --json prints the API's objects unchanged.
 */
import type { Command } from "commander";
import { z } from "zod";
import { CliError } from "../cli-error";
import { ApprovalViewSchema, detail, listEntry } from "../approval-view";

interface CommonOptions {
  gateway?: string;
  token?: string;
  json?: boolean;
}

function target(opts: CommonOptions): { base: string; token: string } {
  const base = (opts.gateway ?? process.env.GATEHOUSE_URL ?? "http://127.0.0.1:8080").replace(/\/+$/, "");
  try {
    new URL(base);
  } catch {
    throw new CliError(`--gateway is not a URL: ${base}`, 2);
  }
  const token = opts.token ?? process.env.GATEHOUSE_TOKEN;
  if (!token)
    throw new CliError(
      "no bearer token: pass --token <jwt> or set GATEHOUSE_TOKEN (locally: export GATEHOUSE_TOKEN=$(npx gatehouse token bob))",
      2,
    );
  return { base, token };
}

async function call(opts: CommonOptions, method: "GET" | "POST", p: string, body?: unknown): Promise<unknown> {
  const { base, token } = target(opts);
  let res: Response;
  try {
    res = await fetch(base + p, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        ...(body ? { "content-type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    throw new CliError(
      `the gateway at ${base} could not be reached (${(e as Error).message}); is it running? (--gateway or GATEHOUSE_URL)`,
      3,
    );
  }
  const text = await res.text();
  type ErrorBody = { error?: { code?: unknown; message?: string; data?: { code?: string } } };
  let json = null as ErrorBody | null;
  try {
    json = text ? (JSON.parse(text) as ErrorBody) : null;
  } catch {
    // Not the gateway's JSON (a proxy's error page, another server): say so instead of guessing.
    if (res.ok)
      throw new CliError(
        `${base} answered HTTP ${res.status} with a body that is not JSON: is --gateway (or GATEHOUSE_URL) the Gatehouse gateway?`,
        3,
      );
  }
  if (!res.ok) {
    // The approvals API answers {error: {code}}; the gateway's auth answers JSON-RPC {error: {data: {code}}}.
    const code =
      typeof json?.error?.code === "string" ? json.error.code : (json?.error?.data?.code ?? `HTTP ${res.status}`);
    const msg = json?.error?.message ?? res.statusText;
    const hint =
      res.status === 401
        ? " (the token is missing, invalid or expired: get a new one)"
        : code === "ERR_CONFIRMATION_REQUIRED"
          ? " (read the request with `gatehouse approvals show <id>`, then approve again with --confirm-irreversible)"
          : "";
    throw new CliError(`${code}: ${msg}${hint}`, res.status >= 500 ? 3 : 1);
  }
  return json;
}

const ID = /^[0-9a-f-]{36}$/i;

function checkId(id: string): void {
  if (!ID.test(id))
    throw new CliError(`not an approval id: ${id} (ids are UUIDs; see gatehouse approvals list --status all)`, 2);
}

export function register(program: Command): void {
  const cmd = program
    .command("approvals")
    .description("list, show, approve or reject (deny) tool calls and JIT sessions held for a human approval");
  const common = (c: Command): Command =>
    c
      .option("--gateway <url>", "gateway base URL (default: GATEHOUSE_URL or http://127.0.0.1:8080)")
      .option("--token <jwt>", "your Entra bearer token (default: GATEHOUSE_TOKEN)")
      .option("--json", "print JSON");

  common(
    cmd
      .command("list")
      .description("approvals waiting for a decision that you may see (yours, or ones you may approve)"),
  )
    .option("--status <status>", "pending | approved | rejected | expired | all", "pending")
    .action(async (opts: CommonOptions & { status: string }) => {
      if (!["pending", "approved", "rejected", "expired", "all"].includes(opts.status))
        throw new CliError(`--status must be pending, approved, rejected, expired or all (got ${opts.status})`, 2);
      const out = z
        .object({ approvals: z.array(ApprovalViewSchema) })
        .parse(await call(opts, "GET", `/api/approvals?status=${encodeURIComponent(opts.status)}`));
      if (opts.json) return void process.stdout.write(JSON.stringify(out.approvals, null, 2) + "\n");
      if (!out.approvals.length)
        return void process.stdout.write(`no ${opts.status === "all" ? "" : opts.status + " "}approvals\n`);
      for (const a of out.approvals) process.stdout.write(listEntry(a) + "\n");
    });

  common(
    cmd
      .command("show <id>")
      .description(
        "one request in full: status, requester, masked arguments, expiry, who decided, when and why, whether the call ran",
      ),
  ).action(async (id: string, opts: CommonOptions) => {
    checkId(id);
    const out = ApprovalViewSchema.parse(await call(opts, "GET", `/api/approvals/${id}`));
    process.stdout.write((opts.json ? JSON.stringify(out, null, 2) : detail(out)) + "\n");
  });

  for (const action of ["approve", "reject"] as const) {
    const sub = cmd
      .command(`${action} <id>`)
      .description(
        action === "approve"
          ? "approve a request (you may not approve your own)"
          : "reject a request (a reason is required)",
      );
    if (action === "reject") sub.alias("deny");
    common(sub).option(
      "--reason <text>",
      action === "approve"
        ? "why you approve (recorded in the audit trail)"
        : "why you reject (required; shown to the requester)",
    );
    // The page's checkbox, at a terminal: a call the server marks irreversible is approved only with it.
    if (action === "approve")
      sub
        .option(
          "--confirm-irreversible",
          "confirm that you approve a call that cannot be undone (required for destructive tools)",
        )
        .option(
          "--args-hash <sha256>",
          "the `args hash` that `approvals show` printed: the approval is refused if an approver edited the call since",
        );
    sub.action(
      async (
        id: string,
        opts: CommonOptions & { reason?: string; confirmIrreversible?: boolean; argsHash?: string },
      ) => {
        checkId(id);
        if (action === "reject" && !opts.reason?.trim())
          throw new CliError(`${action} needs --reason <text> (shown to the requester and kept in the audit trail)`, 2);
        const out = ApprovalViewSchema.parse(
          await call(opts, "POST", `/api/approvals/${id}/${action}`, {
            reason: opts.reason,
            ...(opts.confirmIrreversible ? { confirmIrreversible: true } : {}),
            ...(opts.argsHash ? { argsHash: opts.argsHash } : {}),
          }),
        );
        process.stdout.write((opts.json ? JSON.stringify(out, null, 2) : detail(out)) + "\n");
      },
    );
  }

  // Edit, then approve (issue 20): the named top-level arguments are replaced; every other keeps its value.
  common(
    cmd
      .command("edit <id>")
      .description(
        "change some arguments of a held call and approve the edited call (a reason is required; the requester is told)",
      ),
  )
    .requiredOption("--set <json>", 'the arguments to change, as a JSON object, e.g. \'{"id": "c-002"}\'')
    .option("--reason <text>", "why you changed the call (required; shown to the requester, masked)")
    .option("--confirm-irreversible", "confirm that you approve a call that cannot be undone (destructive tools)")
    .action(
      async (id: string, opts: CommonOptions & { set: string; reason?: string; confirmIrreversible?: boolean }) => {
        checkId(id);
        if (!opts.reason?.trim())
          throw new CliError("edit needs --reason <text> (shown to the requester and kept in the audit trail)", 2);
        let changes: unknown;
        try {
          changes = JSON.parse(opts.set);
        } catch {
          throw new CliError("--set must be a JSON object of argument names and their new values", 2);
        }
        if (typeof changes !== "object" || changes === null || Array.isArray(changes) || !Object.keys(changes).length)
          throw new CliError("--set must be a JSON object naming at least one argument", 2);
        const out = ApprovalViewSchema.parse(
          await call(opts, "POST", `/api/approvals/${id}/edit`, {
            reason: opts.reason,
            arguments: changes,
            ...(opts.confirmIrreversible ? { confirmIrreversible: true } : {}),
          }),
        );
        process.stdout.write((opts.json ? JSON.stringify(out, null, 2) : detail(out)) + "\n");
      },
    );
}
