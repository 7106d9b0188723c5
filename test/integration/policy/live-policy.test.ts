import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { BlobServiceClient, type BlockBlobClient } from "@azure/storage-blob";
import { startAzurite, type AzuriteInstance } from "../../../dev/azurite-launcher";
import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import type { PolicyBundle } from "../../../runtime/core/policy-model/schema";
import { LivePolicy } from "../../../runtime/core/policy/live-policy";
import { blobPolicySource, filePolicySource } from "../../../runtime/core/policy/policy-sources";
import { METRIC_NAMES, metricTotals } from "../../../runtime/core/telemetry/metrics";
import type { Identity } from "../../../runtime/core/identity";

/**
 * Hot reload of the policy bundle (docs/decisions/0002) on a real blob in Azurite: a new bundle
 * is in force within a poll, a tampered one is refused and counted while the previous one stays.
 */
const alice: Identity = {
  oid: "oid-a",
  tenantId: "tid",
  username: "alice",
  roles: ["Engineer"],
  groups: [],
  groupsOverage: false,
  via: "entra",
  jit: null,
};
const call = { method: "tools/call", params: { name: "delete_customer", arguments: { id: "1" } } };

function bundle(tools: string[]): PolicyBundle {
  return sealBundle({
    schemaVersion: 1,
    servers: [{ name: "customers", transport: { type: "http", url: "http://127.0.0.1:1/mcp" } }],
    access: [
      {
        id: `engineers-${tools.length}`,
        mode: "standing",
        principals: { roles: ["Engineer"] },
        servers: ["customers"],
        tools: { allow: tools },
      },
    ],
  });
}

/** Waits, polling `cond` (no fixed sleeps), up to `ms`. */
async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("LivePolicy on a blob (Azurite)", () => {
  let tmp: string;
  let azurite: AzuriteInstance;
  let blob: BlockBlobClient;
  const live: LivePolicy[] = [];
  const put = (content: unknown) => {
    const text = typeof content === "string" ? content : JSON.stringify(content);
    return blob.upload(text, Buffer.byteLength(text));
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "gh-live-policy-"));
    azurite = await startAzurite({ location: path.join(tmp, "azurite") });
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient("config");
    await container.create();
    blob = container.getBlockBlobClient("policy-bundle.json");
  }, 60_000);
  afterAll(async () => {
    for (const l of live) l.stop();
    await azurite?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("a new bundle is in force within a poll; a tampered or broken one is refused, counted, and the last good one stays", async () => {
    const a = bundle(["list_*"]);
    const b = bundle(["*"]);
    await put(a);
    const policy = await LivePolicy.open({ source: blobPolicySource(blob), pollSeconds: 0.2, service: "test" });
    live.push(policy);
    expect(policy.version).toBe(a.version);
    expect(policy.decide(alice, "customers", call).effect).toBe("deny");

    await put(b);
    await until(() => policy.version === b.version);
    expect(policy.decide(alice, "customers", call)).toEqual({ effect: "allow", ruleId: "engineers-1" });

    // Tampered: B with wider access but the old seal.
    const failuresBefore = metricTotals()[METRIC_NAMES.policyReloadFailures];
    await put({ ...b, access: [{ ...b.access[0], principals: { roles: ["Engineer", "Auditor"] } }] });
    await until(() => policy.refusedCount === 1);
    expect(policy.version).toBe(b.version);
    expect(metricTotals()[METRIC_NAMES.policyReloadFailures]).toBe(failuresBefore + 1);
    expect(policy.reachable({ ...alice, roles: ["Auditor"] }, "customers").allowed).toBe(false);

    // Not JSON at all: refused too; the refusal happens once per new blob, not at every poll.
    await put("{ not json");
    await until(() => policy.refusedCount === 2);
    await policy.poll();
    await policy.poll();
    expect(policy.refusedCount).toBe(2);
    expect(policy.version).toBe(b.version);

    // A fixed bundle is taken again.
    await put(a);
    await until(() => policy.version === a.version);
  });

  test("a blob that cannot be read keeps the bundle in force and counts the failure", async () => {
    const a = bundle(["list_*"]);
    await put(a);
    const policy = await LivePolicy.open({ source: blobPolicySource(blob), pollSeconds: 0, service: "test" });
    live.push(policy);
    await blob.delete();
    await policy.poll();
    expect(policy.readFailureCount).toBe(1);
    expect(policy.version).toBe(a.version);
    await put(a);
  });

  test("the first bundle must be valid: the process does not start on a tampered one", async () => {
    await put({ ...bundle(["*"]), commit: "forged" });
    await expect(
      LivePolicy.open({ source: blobPolicySource(blob), pollSeconds: 0, service: "test" }),
    ).rejects.toMatchObject({ code: "ERR_POLICY_INVALID" });
  });

  test("a check that refuses a bundle (e.g. its masker cannot be built) keeps the old bundle and the old derived state", async () => {
    const a = bundle(["list_*"]);
    await put(a);
    const policy = await LivePolicy.open({ source: blobPolicySource(blob), pollSeconds: 0, service: "test" });
    live.push(policy);
    const derived: string[] = [];
    policy.addCheck((candidate) => {
      if (candidate.access[0].tools.allow.includes("*")) throw new Error("cannot derive");
      return () => void derived.push(candidate.version);
    });
    expect(derived).toEqual([a.version]);
    await put(bundle(["*"]));
    await policy.poll();
    expect(policy.refusedCount).toBe(1);
    expect(policy.version).toBe(a.version);
    const c = bundle(["list_*", "get_*"]);
    await put(c);
    await policy.poll();
    expect(policy.version).toBe(c.version);
    expect(derived).toEqual([a.version, c.version]);
  });

  test("a file source reloads on a changed content, not on a touch", async () => {
    const file = path.join(tmp, "bundle.json");
    const a = bundle(["list_*"]);
    fs.writeFileSync(file, JSON.stringify(a));
    const policy = await LivePolicy.open({ source: filePolicySource(file), pollSeconds: 0, service: "test" });
    live.push(policy);
    const now = new Date(Date.now() + 5_000);
    fs.utimesSync(file, now, now);
    await policy.poll();
    expect(policy.version).toBe(a.version);
    const b = bundle(["*"]);
    fs.writeFileSync(file, JSON.stringify(b));
    await policy.poll();
    expect(policy.version).toBe(b.version);
  });
});
