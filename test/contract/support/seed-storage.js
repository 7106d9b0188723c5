// Child process of the contract test: creates what Terraform creates in the audit storage
// account (containers, tables, and any blob the caller lists) in Azurite over
// HTTPS. A separate process because only NODE_EXTRA_CA_CERTS at start makes Node trust the
// throwaway certificate. Input: one JSON argument.
"use strict";
const { BlobServiceClient } = require("@azure/storage-blob");
const { TableServiceClient } = require("@azure/data-tables");

(async () => {
  const { connectionString, containers, tables, blobs } = JSON.parse(process.argv[2]);
  const blobService = BlobServiceClient.fromConnectionString(connectionString);
  for (const c of containers) await blobService.getContainerClient(c).createIfNotExists();
  const tableService = TableServiceClient.fromConnectionString(connectionString);
  for (const t of tables) await tableService.createTable(t);
  for (const b of blobs) {
    const content = Buffer.from(b.content, "utf8");
    await blobService
      .getContainerClient(b.container)
      .getBlockBlobClient(b.name)
      .upload(content, content.length, { blobHTTPHeaders: { blobContentType: b.contentType } });
  }
  process.stdout.write("seeded\n");
})().catch((e) => {
  process.stderr.write(`seed failed: ${e.stack || e}\n`);
  process.exit(1);
});
