import { entropy, looksLikeSecret } from "../../../policies/lib/looks-like-secret";
import {
  AWS_EXAMPLE_ACCESS_KEY_ID,
  PEM_RSA_PRIVATE_KEY_BEGIN,
  SLACK_SHORT_BOT_TOKEN,
} from "../../fixtures/secret-shaped-samples";

describe("looksLikeSecret", () => {
  it.each([
    ["DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc==;", "an azure connection string"],
    ["https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=abcdef", "a sas token"],
    ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "a jwt"],
    [PEM_RSA_PRIVATE_KEY_BEGIN, "a pem private key"],
    [AWS_EXAMPLE_ACCESS_KEY_ID, "an aws access key"],
    ["ghp_1234567890abcdefghijABCDEFGHIJ123456", "a github token"],
    [SLACK_SHORT_BOT_TOKEN, "a slack token"],
    ["https://u:p@example.com/mcp", "a url with a password"],
    ["https://example.com/mcp?api_key=123", "a url carrying a credential"],
    ["0123456789abcdef0123456789abcdef", "a hex key"],
    ["Zx9Qm2Lp8Rt4Vw6Yb1Nc3Kd5Hf7Jg0Se", "a high-entropy key"],
  ])("recognises %s as %s", (value, what) => {
    expect(looksLikeSecret(value)).toBe(what);
  });

  it.each([
    "customers-api-key",
    "masking-hash-key",
    "tickets-prod-westeurope-bearer-token-2026",
    "Bearer ",
    "node_modules/@modelcontextprotocol/server-filesystem/dist/index.js",
    ".gatehouse/demo-files",
    "https://mcp.example.com/mcp",
  ])("leaves %s alone", (value) => {
    expect(looksLikeSecret(value)).toBeNull();
  });

  it("measures entropy in bits per character", () => {
    expect(entropy("aaaa")).toBe(0);
    expect(entropy("ab")).toBe(1);
  });
});
