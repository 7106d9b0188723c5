/**
 * The Container Apps of a synthesized stack (cdk.tf.json), read the way Azure would run them, and
 * their Terraform references resolved against local stand-ins. A reference the caller cannot
 * resolve fails the test: a new setting the stack passes must be given a stand-in (or a reason).
 */
export interface SynthesizedApp {
  readonly role: string;
  readonly name: string;
  readonly command: string[] | null;
  readonly args: string[];
  /** Plain values (Terraform expressions unresolved) and secret references, as synthesized. */
  readonly env: { name: string; value?: string; secretName?: string }[];
  /** Container App secret name → the key_vault_secret_id expression it reads. */
  readonly secrets: Record<string, string>;
  readonly targetPort: number;
  readonly external: boolean;
  readonly probes: { kind: "liveness" | "readiness"; path: string; port: number }[];
  readonly identityIds: string[];
}

type Json = Record<string, any>;

export function containerApps(synth: Json): SynthesizedApp[] {
  return Object.values((synth.resource?.azurerm_container_app ?? {}) as Record<string, Json>).map((app) => {
    const [container] = app.template.container as Json[];
    const probes = (["liveness", "readiness"] as const).flatMap((kind) =>
      ((container[`${kind}_probe`] ?? []) as Json[]).map((p) => ({
        kind,
        path: p.path as string,
        port: p.port as number,
      })),
    );
    return {
      role: app.tags["gatehouse-role"] as string,
      name: app.name as string,
      command: (container.command as string[] | undefined) ?? null,
      args: (container.args as string[] | undefined) ?? [],
      env: (container.env as Json[]).map((e) => ({ name: e.name, value: e.value, secretName: e.secret_name })),
      secrets: Object.fromEntries(
        ((app.secret ?? []) as Json[]).map((s) => [s.name as string, s.key_vault_secret_id as string]),
      ),
      targetPort: app.ingress.target_port as number,
      external: app.ingress.external_enabled as boolean,
      probes,
      identityIds: app.identity.identity_ids as string[],
    };
  });
}

/** `${azurerm_x.name.attr}` → resource type, logical name and attribute; null for other expressions. */
export function reference(expr: string): { type: string; name: string; attr: string } | null {
  const m = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/.exec(expr);
  return m ? { type: m[1], name: m[2], attr: m[3] } : null;
}

/**
 * Replaces every `${...}` in a value with `resolve(expression)`. `resolve` returns null for what it
 * cannot stand in; that throws, naming the variable.
 */
export function resolveValue(variable: string, value: string, resolve: (expr: string) => string | null): string {
  return value.replace(/\$\{(?:[^{}]|\{[^{}]*\})*\}/g, (expr) => {
    const r = resolve(expr);
    if (r === null) throw new Error(`${variable}: no local stand-in for ${expr}`);
    return r;
  });
}

/** The ARM (azapi) resources of a type (`Microsoft.X/y`, any API version), as synthesized. */
export function armResources(synth: Json, armType: string): Json[] {
  return Object.values((synth.resource?.azapi_resource ?? {}) as Record<string, Json>).filter(
    (r) => String(r.type).split("@")[0] === armType,
  );
}

/**
 * The value a Container App secret resolves to: its `key_vault_secret_id` is
 * `${azurerm_key_vault.<v>.vault_uri}secrets/<name>` (versionless), and the secret is created
 * through ARM (stacks/arm-key-vault-secret.ts) in that vault, its value in `sensitive_body`.
 * Anything else is not a Key Vault reference the stack creates, and fails the test.
 */
export function keyVaultSecretValue(synth: Json, keyVaultSecretId: string): string {
  const m = /^\$\{azurerm_key_vault\.([A-Za-z0-9_-]+)\.vault_uri\}secrets\/([A-Za-z0-9-]+)$/.exec(keyVaultSecretId);
  if (!m) throw new Error(`${keyVaultSecretId} is not a versionless reference to a secret of the stack's Key Vault`);
  const [, vault, name] = m;
  const secret = armResources(synth, "Microsoft.KeyVault/vaults/secrets").find(
    (r) => r.name === name && r.parent_id === `\${azurerm_key_vault.${vault}.id}`,
  );
  if (!secret) throw new Error(`no Microsoft.KeyVault/vaults/secrets resource named ${name} in ${vault}`);
  const value = secret.sensitive_body?.properties?.value;
  if (typeof value !== "string") throw new Error(`secret ${name} has no value in sensitive_body`);
  return value;
}
