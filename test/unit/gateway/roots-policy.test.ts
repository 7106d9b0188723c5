import { confineRoots, isWithin, stripRootsCapability } from "../../../runtime/gateway/mcp/roots-policy";
import { ServerSchema } from "../../../runtime/core/policy-model/schema";

describe("roots policy", () => {
  test.each([
    ["file:///srv/allowed", true],
    ["file:///srv/allowed/", true],
    ["file:///srv/allowed/a/b", true],
    ["file:///srv/allowed/a%20b", true],
    ["file:///srv/allowedX", false],
    ["file:///srv/allowed/../etc", false],
    ["file:///srv/allowed/%2e%2e/etc", false],
    ["file:///srv/allowed/..%2f..%2fetc", false],
    ["file:///srv/allowed/a%5c..%5c..", false],
    ["file:///srv/allowed/x?y", false],
    ["file://otherhost/srv/allowed", false],
    ["https://srv/allowed", false],
    ["file:///", false],
    ["not a uri", false],
  ])("%s within file:///srv/allowed: %s", (uri, expected) => {
    expect(isWithin(uri, "file:///srv/allowed")).toBe(expected);
  });

  test("a roots/list answer keeps only the roots inside a declared root", () => {
    const { result, dropped } = confineRoots(
      { roots: [{ uri: "file:///" }, { uri: "file:///srv/a/x", name: "x" }, { nope: 1 }] },
      ["file:///srv/a"],
    );
    expect(result.roots).toEqual([{ uri: "file:///srv/a/x", name: "x" }]);
    expect(dropped).toBe(2);
  });

  test("initialize loses the roots capability unless the server declares roots", () => {
    const bare = ServerSchema.parse({ name: "files", transport: { type: "stdio", command: "x" } });
    const declared = ServerSchema.parse({
      name: "files",
      transport: { type: "stdio", command: "x" },
      roots: ["file:///srv"],
    });
    const params = { protocolVersion: "2025-06-18", capabilities: { roots: { listChanged: true }, sampling: {} } };
    expect(stripRootsCapability(params, bare)).toEqual({
      protocolVersion: "2025-06-18",
      capabilities: { sampling: {} },
    });
    expect(stripRootsCapability(params, declared)).toBe(params);
  });
});
