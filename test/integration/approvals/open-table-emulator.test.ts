/**
 * openTable over plain http: allowed for the storage emulator (Azurite's well-known account, wherever
 * it runs: compose.yaml reaches it as http://azurite:10002), refused for any other account. Azurite
 * runs on loopback here and is addressed as http://127.1:<port>, a loopback address that is not
 * spelt as one, like a Compose service name.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type AzuriteInstance } from "../../../dev/azurite-launcher";
import { isStorageEmulator, openTable } from "../../../runtime/core/approvals/open-table";

let azurite: AzuriteInstance;
let dir: string;
let tablePort: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "gh-open-table-"));
  azurite = await startAzurite({ location: dir });
  tablePort = Number(new URL(azurite.tableEndpoint).port);
});

afterAll(async () => {
  await azurite.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const connectionString = (account: string, tableEndpoint: string) =>
  `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${AZURITE_KEY};TableEndpoint=${tableEndpoint};`;

test("Azurite's development account over plain http on a non-loopback name: the table opens and is usable", async () => {
  const cs = connectionString(AZURITE_ACCOUNT, `http://127.1:${tablePort}/${AZURITE_ACCOUNT}`);
  const table = await openTable({ connectionString: cs }, "emulatorcheck");
  await table.createEntity({ partitionKey: "p", rowKey: "r", value: 1 });
  expect((await table.getEntity<{ value: number }>("p", "r")).value).toBe(1);
});

test("any other account over plain http is refused before a request is sent", async () => {
  const cs = connectionString("someaccount", `http://127.1:${tablePort}/someaccount`);
  await expect(openTable({ connectionString: cs }, "emulatorcheck")).rejects.toThrow(/allowInsecureConnection/);
});

test("the rule: loopback, or the emulator's account; https endpoints are unaffected", () => {
  expect(isStorageEmulator(connectionString("x", "http://127.0.0.1:10002/x"))).toBe(true);
  expect(isStorageEmulator(connectionString("x", "http://localhost:10002/x"))).toBe(true);
  expect(isStorageEmulator(connectionString(AZURITE_ACCOUNT, "http://azurite:10002/devstoreaccount1"))).toBe(true);
  expect(isStorageEmulator(connectionString("prodaccount", "http://prodaccount.table.core.windows.net"))).toBe(false);
  expect(isStorageEmulator(connectionString("devstoreaccount10", "http://azurite:10002/devstoreaccount10"))).toBe(
    false,
  );
});
