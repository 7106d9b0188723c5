// Preloaded (--require) into the apps the contract test starts: the stand-in vault's host name
// resolves to 127.0.0.1, as the Gatehouse VNet's private DNS zone resolves the vault's name to
// its private endpoint. Every other name resolves as usual.
"use strict";
const dns = require("node:dns");
const HOST = "gatehouse-contract.vault.azure.net";
const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  if (hostname !== HOST) return lookup.apply(this, arguments);
  const cb = typeof options === "function" ? options : callback;
  const all = typeof options === "object" && options !== null && options.all;
  process.nextTick(() => (all ? cb(null, [{ address: "127.0.0.1", family: 4 }]) : cb(null, "127.0.0.1", 4)));
};
