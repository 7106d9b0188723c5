// Preload (`node --require`) for third-party servers that bind every interface (server-everything):
// binds them to 127.0.0.1 instead and prints the port actually bound, so PORT=0 works.
const net = require("node:net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  this.once("listening", () => {
    const a = this.address();
    if (a && typeof a === "object") process.stderr.write(`loopback bound 127.0.0.1:${a.port}\n`);
  });
  if (typeof args[0] === "object" && args[0] !== null && !Array.isArray(args[0])) {
    args[0] = { ...args[0], host: "127.0.0.1" };
  } else if (typeof args[0] === "number" || typeof args[0] === "string") {
    const port = Number(args[0]);
    const rest = args.slice(1).filter((a) => typeof a === "function" || typeof a === "number");
    const cb = rest.find((a) => typeof a === "function");
    return cb ? listen.call(this, port, "127.0.0.1", cb) : listen.call(this, port, "127.0.0.1");
  }
  return listen.apply(this, args);
};
