import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { decodeJwt } from "jose";
import { startAzurite } from "../../dev/azurite-launcher";
import { startLocalIssuer, DEMO } from "../../dev/local-issuer-launcher";

describe("local stand-ins used by the dev stack and the tests", () => {
  test("Azurite starts on loopback and answers the blob and table endpoints", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-azurite-"));
    const az = await startAzurite({ location: dir });
    try {
      expect(new URL(az.blobEndpoint).hostname).toBe("127.0.0.1");
      const res = await fetch(`${az.blobEndpoint}?comp=list`);
      // Unauthenticated listing is refused by Azurite, which proves the service is answering.
      expect([200, 403]).toContain(res.status);
    } finally {
      await az.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("the local issuer signs Entra-shaped tokens for demo users", async () => {
    const issuer = await startLocalIssuer();
    try {
      const claims = decodeJwt(await issuer.token("bob"));
      expect(claims.iss).toBe(issuer.url);
      expect(claims.aud).toBe(DEMO.audience);
      expect(claims.oid).toBe(DEMO.users.bob.oid);
      expect(claims.roles).toEqual(["Approver"]);
      expect(claims.tid).toBe(DEMO.tenantId);
    } finally {
      await issuer.stop();
    }
  });
});
