// A stdio MCP server whose one tool returns the client capabilities it received in initialize:
// what a spawned server (the filesystem server, say) would act on.
const readline = require("node:readline");
const send = (m) => process.stdout.write(JSON.stringify(m) + "\n");
let capabilities = null;
readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const msg = JSON.parse(line);
  if (msg.id === undefined) return;
  if (msg.method === "initialize") {
    capabilities = msg.params.capabilities;
    return send({
      jsonrpc: "2.0",
      id: msg.id,
      result: {
        protocolVersion: msg.params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: "capabilities", version: "1" },
      },
    });
  }
  if (msg.method === "tools/call")
    return send({
      jsonrpc: "2.0",
      id: msg.id,
      result: { content: [{ type: "text", text: JSON.stringify(capabilities) }] },
    });
  send({ jsonrpc: "2.0", id: msg.id, result: {} });
});
