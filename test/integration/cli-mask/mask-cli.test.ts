/**
 * `gatehouse mask` through its real interface: `node bin/gatehouse.js mask` with stdin and
 * stdout (run `npx tsc -p tsconfig.build.json` first; `npm test` builds).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import { AWS_EXAMPLE_ACCESS_KEY_ID } from "../../fixtures/secret-shaped-samples";

const root = path.resolve(__dirname, "../../..");
const bin = path.join(root, "bin", "gatehouse.js");

function mask(args: string[], input: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, "mask", ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gatehouse-mask-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeBundle(masking: unknown[], maskingSettings: Record<string, unknown> = {}): string {
  const file = path.join(dir, `bundle-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify(sealBundle({ schemaVersion: 1, servers: [], access: [], masking, maskingSettings })),
  );
  return file;
}

describe("gatehouse mask", () => {
  it("masks text with every built-in detector by default and prints counts on stderr", () => {
    const r = mask(["--counts"], `card 4111 1111 1111 1111, ssn 123-45-6789, key ${AWS_EXAMPLE_ACCESS_KEY_ID}\n`);
    expect(r.code).toBe(0);
    expect(r.out).toBe("card [REDACTED:credit_card], ssn [REDACTED:us_ssn], key [REDACTED:aws_access_key]\n");
    expect(JSON.parse(r.err)).toEqual({ credit_card: 1, us_ssn: 1, aws_access_key: 1 });
  });

  it("masks a JSON document structurally", () => {
    const r = mask(["--format", "json"], JSON.stringify({ user: { email: "ada@example.com", password: "pw" }, n: 1 }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      user: { email: "[REDACTED:email]", password: "[REDACTED:secret_field]" },
      n: 1,
    });
  });

  it("masks a JSON-RPC message and JSON Lines of messages", () => {
    const msg = (id: number) =>
      JSON.stringify({ jsonrpc: "2.0", id, result: { content: [{ type: "text", text: "mail bob@example.org" }] } });
    const one = mask(["--format", "jsonrpc"], msg(1));
    expect(JSON.parse(one.out).result.content[0].text).toBe("mail [REDACTED:email]");
    const many = mask(["--format", "jsonrpc"], `${msg(1)}\n${msg(2)}\n`);
    expect(
      many.out
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).id),
    ).toEqual([1, 2]);
  });

  it.each([
    ["json", "{not json"],
    ["jsonrpc", "{not json"],
    ["jsonrpc", '{"id": 1}'],
    ["jsonrpc", '{"jsonrpc":"2.0","id":1}\n{broken\n'],
  ])("exits 2 with a message on malformed %s input", (format, input) => {
    const r = mask(["--format", format], input);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(/^gatehouse: .*(JSON|JSON-RPC)/);
  });

  it("exits 2 on an unknown format", () => {
    expect(mask(["--format", "xml"], "x").code).toBe(2);
  });

  it("applies a policy: server, tool, copy and style", () => {
    const file = writeBundle([
      {
        id: "cards",
        servers: ["customers"],
        tools: ["get_*"],
        detectors: ["credit_card"],
        style: "last4",
        scope: "client",
      },
      { id: "cards-audit", servers: ["customers"], detectors: ["credit_card"], style: "hash", scope: "audit" },
    ]);
    const input = "card 4111111111111111";
    const env = { GATEHOUSE_MASKING_HASH_KEY: "test-key" };
    expect(mask(["--policy", file, "--server", "customers", "--tool", "get_customer"], input, env).out).toBe(
      "card [REDACTED:credit_card:…1111]",
    );
    expect(mask(["--policy", file, "--server", "customers", "--tool", "list_customers"], input, env).out).toBe(input);
    const a1 = mask(["--policy", file, "--server", "customers", "--copy", "audit"], input, env).out;
    expect(a1).toMatch(/^card \[HASH:credit_card:[0-9a-f]{16}\]$/);
    expect(
      mask(["--policy", file, "--server", "customers", "--copy", "audit"], "card 4111 1111 1111 1111", env).out,
    ).toBe(a1);
  });

  it("exits 2 on input over maxScanBytes and on a hand-edited bundle", () => {
    const small = writeBundle([], { maxScanBytes: 64 });
    expect(mask(["--policy", small], "x".repeat(100)).code).toBe(2);
    const edited = writeBundle([]);
    const b = JSON.parse(fs.readFileSync(edited, "utf8"));
    b.masking = [{ id: "x", detectors: ["email"] }];
    fs.writeFileSync(edited, JSON.stringify(b));
    const r = mask(["--policy", edited], "a@b.com");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/policy bundle/);
  });

  it("documents itself in --help", () => {
    const r = spawnSync(process.execPath, [bin, "mask", "--help"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("--format");
  });
});
