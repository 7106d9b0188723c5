// A stdio MCP server whose answer to tools/call is one line larger than the SDK's 10 MiB read
// buffer (what a server dumping a big file does). Everything else it answers normally.
const readline = require("node:readline");
const send = (m) => process.stdout.write(JSON.stringify(m) + "\n");
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const msg = JSON.parse(line);
  if (msg.id === undefined) return;
  if (msg.method === "initialize") {
    return send({
      jsonrpc: "2.0",
      id: msg.id,
      result: {
        protocolVersion: msg.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: "oversized", version: "1" },
      },
    });
  }
  if (msg.method === "tools/call") {
    return process.stdout.write(
      `{"jsonrpc":"2.0","id":${JSON.stringify(msg.id)},"result":{"content":[{"type":"text","text":"${"x".repeat(11 * 1024 * 1024)}"}]}}\n`,
    );
  }
  send({ jsonrpc: "2.0", id: msg.id, result: {} });
});
