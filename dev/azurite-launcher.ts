/** Starts Azurite (the Azure Storage emulator) on loopback with OS-assigned ports. */
import path from "node:path";
import { launch, type LaunchedProcess } from "./process-launcher";

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT = "devstoreaccount1";
export const AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface AzuriteInstance {
  readonly blobEndpoint: string;
  readonly tableEndpoint: string;
  readonly connectionString: string;
  readonly process: LaunchedProcess;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Folder for Azurite's data. */
  readonly location: string;
  /** Fixed ports (the dev stack), or 0 for OS-assigned (tests). @default 0 */
  readonly blobPort?: number;
  readonly tablePort?: number;
  readonly echo?: boolean;
  /** Own process group (see LaunchOptions.detached). @default false */
  readonly detached?: boolean;
}

export async function startAzurite(opts: AzuriteOptions): Promise<AzuriteInstance> {
  const bin = path.join(path.dirname(require.resolve("azurite/package.json")), "dist", "src", "azurite.js");
  const ports: Record<string, number> = {};
  const proc = await launch({
    name: "azurite",
    command: process.execPath,
    args: [
      bin,
      "--location",
      opts.location,
      "--blobHost",
      "127.0.0.1",
      "--queueHost",
      "127.0.0.1",
      "--tableHost",
      "127.0.0.1",
      "--blobPort",
      String(opts.blobPort ?? 0),
      "--queuePort",
      "0",
      "--tablePort",
      String(opts.tablePort ?? 0),
      "--disableTelemetry",
      "--skipApiVersionCheck",
    ],
    // Azurite prints one "... successfully listens on http://127.0.0.1:PORT" line per service;
    // the table service starts last.
    ready: /Table service is successfully listening at (http:\/\/\S+)/,
    echo: opts.echo,
    detached: opts.detached,
    timeoutMs: 30000,
  });
  const blob = /Blob service is successfully listening at (http:\/\/\S+)/.exec(proc.output());
  if (!blob) {
    await proc.stop();
    throw new Error(`azurite did not report its blob endpoint\n${proc.output()}`);
  }
  ports.blob = Number(new URL(blob[1]).port);
  ports.table = Number(new URL(proc.match[1]).port);
  const blobEndpoint = `http://127.0.0.1:${ports.blob}/${AZURITE_ACCOUNT}`;
  const tableEndpoint = `http://127.0.0.1:${ports.table}/${AZURITE_ACCOUNT}`;
  const connectionString =
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `BlobEndpoint=${blobEndpoint};TableEndpoint=${tableEndpoint};`;
  return { blobEndpoint, tableEndpoint, connectionString, process: proc, stop: () => proc.stop() };
}
