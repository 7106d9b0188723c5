import { valuesOf, found } from "../scan-helper";

const KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const CONN = `DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey=${KEY};EndpointSuffix=core.windows.net`;

describe("azure_storage_key", () => {
  it("finds an 88-character key ending in ==", () => {
    expect(valuesOf("azure_storage_key", `key: ${KEY} end`)).toEqual([KEY]);
  });
  it("ignores shorter base64 and keys without padding", () => {
    expect(valuesOf("azure_storage_key", `${KEY.slice(0, 80)}== ${KEY.slice(0, 86)}AA`)).toEqual([]);
  });
});

describe("azure_connection_string", () => {
  it("masks the whole storage connection string, not just the key", () => {
    expect(found(`conn "${CONN}" ok`)).toEqual([`azure_connection_string:${CONN}`]);
  });
  it("finds Service Bus strings and SAS connection strings", () => {
    const sb =
      "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG=";
    expect(valuesOf("azure_connection_string", `${sb}\n`)).toEqual([sb]);
    const sas =
      "BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2022-11-02&ss=b&sig=abcdefghijklmnopqrstuvwxyz012345%3D";
    expect(valuesOf("azure_connection_string", sas)).toEqual([sas]);
  });
  it("ignores connection strings without a secret part", () => {
    expect(
      valuesOf(
        "azure_connection_string",
        "DefaultEndpointsProtocol=https;AccountName=a;EndpointSuffix=core.windows.net",
      ),
    ).toEqual([]);
  });
});

describe("azure_sas", () => {
  it("masks the sig parameter of a SAS URL, only the value", () => {
    const sig = "Z7tK8p0ZsVJ0mT2wN5%2Fq3yB1vX9cD4eF6gH8iJ0kL2m%3D";
    expect(
      valuesOf(
        "azure_sas",
        `https://a.blob.core.windows.net/c/b.txt?sv=2022-11-02&se=2030-01-01&sr=b&sp=r&sig=${sig}&x=1`,
      ),
    ).toEqual([sig]);
  });
  it("ignores short values and sig= outside a query string", () => {
    expect(valuesOf("azure_sas", "?sig=abc and mysig=Z7tK8p0ZsVJ0mT2wN5q3yB1vX9cD4eF6gH8iJ0kL2m")).toEqual([]);
  });
});
