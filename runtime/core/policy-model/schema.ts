/**
 * The policy bundle: the single source of the bundle's type, shared by the construct library
 * (which compiles policies to it at synth) and by the runtime (gateway and agent load it).
 *
 * It lives in the policy model (runtime/core/policy-model/), the leaf module both policies/ and the
 * runtime import: it imports no other Gatehouse code, cdktf or constructs (test/boundaries checks).
 */
import { z } from "zod";

/** Built-in masking detectors. The masking engine implements each one; policies name them. */
export const DETECTOR_IDS = [
  "credit_card",
  "us_ssn",
  "iban",
  "email",
  "phone",
  "jwt",
  "aws_access_key",
  "aws_secret_key",
  "azure_storage_key",
  "azure_connection_string",
  "azure_sas",
  "pem_private_key",
  "github_token",
  "slack_token",
  "secret_field",
] as const;
export const DetectorIdSchema = z.enum(DETECTOR_IDS);
export type DetectorId = z.infer<typeof DetectorIdSchema>;

/** A name usable as a URL segment (`/mcp/<server>`) or an id. */
export const NameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, "lower-case letters, digits and '-', starting with a letter, at most 63 characters");

/** Glob over tool, resource or prompt names: `*` matches any run of characters, `?` one character. */
export const GlobSchema = z.string().min(1).max(256);

export const PrincipalsSchema = z.object({
  /** Entra app roles (the `roles` claim). */
  roles: z.array(z.string().min(1)).default([]),
  /** Entra group object ids (the `groups` claim). */
  groups: z.array(z.string().min(1)).default([]),
  /**
   * Machine identities (client-credentials tokens, no user) by client id. An app matches only
   * here, never through roles or groups. Optional without a default: bundles built before this
   * field keep their version.
   */
  apps: z.array(z.string().min(1)).min(1).optional(),
});
export type Principals = z.infer<typeof PrincipalsSchema>;

export const CredentialInjectionSchema = z.object({
  /** Name of the Key Vault secret holding the value; never the value itself. */
  secretName: z.string().regex(/^[0-9a-zA-Z-]{1,127}$/),
  /** Where the agent puts the value. */
  inject: z.discriminatedUnion("type", [
    z.object({ type: z.literal("header"), name: z.string().min(1), prefix: z.string().default("") }),
    z.object({ type: z.literal("env"), name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/) }),
  ]),
});
export type CredentialInjection = z.infer<typeof CredentialInjectionSchema>;

export const ServerTransportSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("http"), url: z.string().url() }),
  z.object({
    type: z.literal("stdio"),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    cwd: z.string().optional(),
    /** Non-secret environment for the spawned process. Secrets go through `credentials`. */
    env: z.record(z.string(), z.string()).default({}),
  }),
]);
export type ServerTransport = z.infer<typeof ServerTransportSchema>;

export const ServerSchema = z.object({
  name: NameSchema,
  description: z.string().default(""),
  transport: ServerTransportSchema,
  credentials: z.array(CredentialInjectionSchema).default([]),
  timeouts: z
    .object({
      /** Upper bound for one upstream request (a tool call), in milliseconds. */
      requestMs: z.number().int().positive().default(60_000),
      /** A stdio process or upstream session with no traffic for this long is ended. */
      idleMs: z
        .number()
        .int()
        .positive()
        .default(15 * 60_000),
    })
    .prefault({}),
  /** Which agent serves this server. */
  agent: NameSchema.default("default"),
  /**
   * Root URIs (MCP roots, e.g. `file:///srv/reports`) a client may expose to this server; its
   * answers to roots/list are confined to them. Absent or empty: the client's `roots` capability
   * is removed at initialize and any roots it answers are dropped.
   */
  roots: z.array(z.string().url()).optional(),
  /**
   * JSON-RPC methods (globs) beyond the MCP methods the gateway knows (e.g. `tasks/*`) that may be
   * forwarded. Absent: only known MCP methods.
   */
  methods: z.array(GlobSchema).optional(),
  /**
   * Tools (globs) this policy declares read-only: no side effect upstream, so a call to one may
   * commit its request and response records in one durable append before the response is
   * released, instead of a durable request record before forwarding (docs/decisions/0008).
   * Absent: none (every call's request record is durable before it is forwarded).
   */
  readOnlyTools: z.array(GlobSchema).optional(),
});
export type McpServerSpec = z.infer<typeof ServerSchema>;

export const AllowDenySchema = z.object({
  allow: z.array(GlobSchema).default([]),
  deny: z.array(GlobSchema).default([]),
});
export type AllowDeny = z.infer<typeof AllowDenySchema>;

/** A predicate on one argument of a call. `path` is a dot path into `params.arguments`. */
export const ArgumentPredicateSchema = z.discriminatedUnion("op", [
  z.object({
    path: z.string().min(1),
    op: z.literal("equals"),
    value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  }),
  z.object({ path: z.string().min(1), op: z.literal("contains"), value: z.string() }),
  /** RE2 syntax only (linear time); validated at synth. */
  z.object({ path: z.string().min(1), op: z.literal("regex"), value: z.string() }),
  z.object({ path: z.string().min(1), op: z.literal("gt"), value: z.number() }),
  z.object({ path: z.string().min(1), op: z.literal("gte"), value: z.number() }),
  z.object({ path: z.string().min(1), op: z.literal("lt"), value: z.number() }),
  z.object({ path: z.string().min(1), op: z.literal("lte"), value: z.number() }),
  /** The value at `path` is an array (or string) longer than `value`. */
  z.object({ path: z.string().min(1), op: z.literal("lengthGt"), value: z.number().int().nonnegative() }),
  z.object({ path: z.string().min(1), op: z.literal("exists"), value: z.boolean() }),
]);
export type ArgumentPredicate = z.infer<typeof ArgumentPredicateSchema>;

export const AccessRuleSchema = z.object({
  id: NameSchema,
  description: z.string().default(""),
  principals: PrincipalsSchema,
  servers: z.array(NameSchema).min(1),
  tools: AllowDenySchema.prefault({}),
  resources: AllowDenySchema.prefault({}),
  prompts: AllowDenySchema.prefault({}),
  /** Calls to tools matching `tool` are allowed only when every predicate holds. */
  argumentConstraints: z
    .array(z.object({ tool: GlobSchema, predicates: z.array(ArgumentPredicateSchema).min(1) }))
    .default([]),
  /**
   * `standing`: the principal's Entra token is enough. `jit`: the principal must first obtain a
   * just-in-time session (POST /api/sessions) and present its token.
   */
  mode: z.enum(["standing", "jit"]).default("jit"),
  jit: z
    .object({
      maxMinutes: z
        .number()
        .int()
        .positive()
        .max(24 * 60)
        .default(60),
      /** `on-request`: granted at once within this rule; `approval`: needs an approver. */
      grant: z.enum(["on-request", "approval"]).default("on-request"),
      /** Who may approve a JIT grant when `grant` is `approval`. */
      approvers: PrincipalsSchema.prefault({}),
    })
    .prefault({}),
});
export type AccessRule = z.infer<typeof AccessRuleSchema>;

export const MaskingRuleSchema = z.object({
  id: NameSchema,
  description: z.string().default(""),
  /** Servers (globs) the rule applies to; default all. */
  servers: z.array(GlobSchema).default(["*"]),
  tools: z.array(GlobSchema).default(["*"]),
  detectors: z.array(DetectorIdSchema).default([]),
  /** Custom patterns in RE2 syntax (linear time), validated at synth. */
  patterns: z.array(z.object({ name: NameSchema, regex: z.string().min(1) })).default([]),
  /** JSON field names (case-insensitive) whose values are masked whole. */
  fieldNames: z.array(z.string().min(1)).default([]),
  /** JSON paths (dot form, `*` for any key or index) whose values are masked whole. */
  fieldPaths: z.array(z.string().min(1)).default([]),
  style: z.enum(["redact", "last4", "hash"]).default("redact"),
  /** `client`: only what the client receives; `audit`: only the audit copy; `both`. */
  scope: z.enum(["client", "audit", "both"]).default("both"),
});
export type MaskingRule = z.infer<typeof MaskingRuleSchema>;

/** Approval notification channels a rule can route to (each configured by GATEHOUSE_* variables). */
export const NOTIFY_CHANNELS = ["teams", "webhook", "slack", "email", "pagerduty"] as const;
export const NotifyChannelSchema = z.enum(NOTIFY_CHANNELS);
export type NotifyChannel = z.infer<typeof NotifyChannelSchema>;

/**
 * Where an approval rule's requests are announced, when approvers are reminded and who is told when
 * nobody decides (issue 20). Groups are names of GATEHOUSE_APPROVER_GROUPS (their e-mail recipients,
 * Slack channel); they address notifications only and never grant approval authority.
 */
export const ApprovalNotifySchema = z.object({
  /** Channels to notify; absent: every configured channel. */
  channels: z.array(NotifyChannelSchema).min(1).optional(),
  /** Approver group to address; absent: each channel's default recipients. */
  group: NameSchema.optional(),
  /** Remind this many seconds before expiry, once, if still undecided; absent: no reminder. */
  remindBeforeSeconds: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 3600)
    .optional(),
  /** Tell a second group when nobody decided within `afterSeconds`, once; absent: no escalation. */
  escalation: z
    .object({
      afterSeconds: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 3600),
      group: NameSchema,
      /** Absent: the rule's channels. */
      channels: z.array(NotifyChannelSchema).min(1).optional(),
    })
    .optional(),
});
export type ApprovalNotify = z.infer<typeof ApprovalNotifySchema>;

export const ApprovalRuleSchema = z.object({
  id: NameSchema,
  description: z.string().default(""),
  servers: z.array(GlobSchema).min(1),
  tools: z.array(GlobSchema).min(1),
  /** All must hold for the call to need approval; empty means every matching call. */
  when: z.array(ArgumentPredicateSchema).default([]),
  approvers: PrincipalsSchema,
  /** Distinct approvers needed; the requester never counts. */
  count: z.number().int().min(1).max(10).default(1),
  /** A request not decided within this many seconds expires, which means deny. */
  expiresAfterSeconds: z
    .number()
    .int()
    .min(30)
    .max(7 * 24 * 3600)
    .default(3600),
  /** The requester must give a reason (tools/call `_meta["gatehouse/reason"]`); without one the call is refused. Absent means false. */
  requireReason: z.boolean().optional(),
  /**
   * The human behind the client must confirm the call through MCP elicitation: `requester` before
   * the call goes on to the approvers, `requester-only` instead of them (approvers and count are
   * then not used). A confirmation never counts as an approval. Absent means no confirmation.
   */
  confirm: z.enum(["requester", "requester-only"]).optional(),
  /** Channels, approver group, reminder and escalation of this rule's requests; absent: every configured channel. */
  notify: ApprovalNotifySchema.optional(),
  /**
   * An approver may edit the held call's arguments (with a reason) and approve the edited call,
   * which must still pass the tool's input schema and this policy. Absent means true; false
   * forbids edits for calls held by this rule (ERR_EDIT_FORBIDDEN).
   */
  allowEdit: z.boolean().optional(),
});
export type ApprovalRule = z.infer<typeof ApprovalRuleSchema>;

export const GuardrailSchema = z.object({
  id: NameSchema,
  description: z.string().default(""),
  servers: z.array(GlobSchema).min(1),
  tools: z.array(GlobSchema).default(["*"]),
  /** `call`: block the call when every predicate holds; `result`: block a result matching `resultRegex`. */
  on: z.enum(["call", "result"]).default("call"),
  when: z.array(ArgumentPredicateSchema).default([]),
  resultRegex: z.string().optional(),
  /** What the caller sees. */
  message: z.string().min(1),
});
export type Guardrail = z.infer<typeof GuardrailSchema>;

export const MaskingSettingsSchema = z.object({
  /** Results larger than this cannot be scanned and are withheld (fail closed). */
  maxScanBytes: z
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  /** `withhold` (default, fail closed) or `pass` (explicit opt-out) for unscannable results. */
  onUnscannable: z.enum(["withhold", "pass"]).default("withhold"),
  /** Key Vault secret name of the HMAC key used by the `hash` style. */
  hashKeySecretName: z.string().default("masking-hash-key"),
});
export type MaskingSettings = z.infer<typeof MaskingSettingsSchema>;

export const BundleBodySchema = z.object({
  schemaVersion: z.literal(1),
  /** Git commit the bundle was built from, when there is one. */
  commit: z.string().nullable().default(null),
  servers: z.array(ServerSchema),
  access: z.array(AccessRuleSchema),
  masking: z.array(MaskingRuleSchema).default([]),
  maskingSettings: MaskingSettingsSchema.prefault({}),
  approvals: z.array(ApprovalRuleSchema).default([]),
  guardrails: z.array(GuardrailSchema).default([]),
});
export type BundleBody = z.infer<typeof BundleBodySchema>;

export const PolicyBundleSchema = BundleBodySchema.extend({
  /** sha256 (hex) of the canonical JSON of the bundle without `version`. */
  version: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PolicyBundle = z.infer<typeof PolicyBundleSchema>;
