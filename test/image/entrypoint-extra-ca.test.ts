/**
 * The image's entrypoint refuses to start when NODE_EXTRA_CA_CERTS names a file it cannot use:
 * Node itself would only warn and run without that trust anchor, so every https call to the
 * service it was meant for would fail while the process reported ready (seen under
 * podman-compose, which started the gateway and agent before `setup` wrote the certificate).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureDevTls } from "../../dev/compose/dev-tls";
import { runEntrypoint } from "./run-role";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-extra-ca-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test.each(["gateway", "agent"])(
  "%s: a missing or non-PEM NODE_EXTRA_CA_CERTS refuses to start (exit 1, ERR_CONFIG_INVALID naming it)",
  async (role) => {
    const notPem = path.join(dir, "not.pem");
    fs.writeFileSync(notPem, "not a certificate\n");
    for (const file of [path.join(dir, "missing.pem"), notPem]) {
      const r = await runEntrypoint([role], { NODE_EXTRA_CA_CERTS: file }).ended;
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/ERR_CONFIG_INVALID: NODE_EXTRA_CA_CERTS/);
      expect(r.stdout).not.toContain("listening at");
    }
  },
);

test("a readable certificate passes this check: the process goes on to its own configuration", async () => {
  const tls = ensureDevTls(path.join(dir, "tls"), ["issuer"]);
  const r = await runEntrypoint(["agent"], { NODE_EXTRA_CA_CERTS: tls.certFile }).ended;
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("ERR_CONFIG_INVALID");
  expect(r.stderr).not.toMatch(/NODE_EXTRA_CA_CERTS/);
  expect(r.stderr).toContain("GATEHOUSE_");
});
