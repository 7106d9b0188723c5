import { sealBundle } from "../../../runtime/core/policy-model/bundle-version";
import { LivePolicy, contentTag, type PolicySource } from "../../../runtime/core/policy/live-policy";
import { liveMasker } from "../../../runtime/gateway/live-masker";
import { createMasker } from "../../../runtime/core/masking/masker";

/** The live masker answers both copies in one call like the masker in force, and follows a reload. */
describe("liveMasker.maskMessageCopies", () => {
  const servers = [{ name: "s", transport: { type: "http", url: "http://127.0.0.1:9/mcp" } }];
  const withCodes = sealBundle({
    schemaVersion: 1,
    servers,
    access: [],
    masking: [{ id: "codes", scope: "client", patterns: [{ name: "project-code", regex: "PROJECT-[0-9]+" }] }],
  });
  const without = sealBundle({ schemaVersion: 1, servers, access: [], masking: [] });
  const message = {
    jsonrpc: "2.0",
    id: 1,
    result: { content: [{ type: "text", text: "PROJECT-42 for bob@example.com, card 4111 1111 1111 1111" }] },
  };

  test("same copies as the masker built from the bundle in force, before and after a reload", async () => {
    let text = JSON.stringify(withCodes);
    const source: PolicySource = {
      description: "test bundle",
      read: async () => ({ unchanged: false, text, tag: contentTag(text) }),
    };
    const live = await LivePolicy.open({ source, pollSeconds: 0, service: "gateway" });
    try {
      const masker = liveMasker(live, undefined);
      const ctx = { server: "s", tool: "t" };
      for (const bundle of [withCodes, without]) {
        if (bundle === without) {
          text = JSON.stringify(without);
          await live.poll();
        }
        const own = createMasker({ bundle });
        const copies = masker.maskMessageCopies!(message, ctx);
        expect(copies.client).toEqual(own.maskMessage(message, { ...ctx, copy: "client" }));
        expect(copies.audit).toEqual(own.maskMessage(message, { ...ctx, copy: "audit" }));
      }
      // The reload mattered: the project code is masked for the client only under the first bundle.
      expect(JSON.stringify(masker.maskMessageCopies!(message, ctx).client)).toContain("PROJECT-42");
    } finally {
      live.stop();
    }
  });
});
