/**
 * What the engine finds and masks must not change when it is made faster (issue 15): every
 * corpus below is masked (or scanned) and the SHA-256 of the result compared with the digest
 * the engine produced before the speed work (commit 94c45e3, recorded once, by hand, below).
 * A change that alters one finding, one replacement or one count anywhere fails here. When a
 * detector's behaviour is changed on purpose, record the new digests in the same commit and say
 * why in its message.
 */
import { createHash } from "node:crypto";
import { createMasker } from "../../../runtime/core/masking";
import { BUILT_IN_DETECTORS } from "../../../runtime/core/masking/detectors";
import { Scanner } from "../../../runtime/core/masking/scanner";
import { ScanState } from "../../../runtime/core/masking/scan-state";
import { sampleResult } from "../../../bench/mask/sample-results";
import { generateDocuments } from "../../accuracy/labelled-documents";
import { goldenDocuments } from "./golden-corpus";

const EXPECTED: Record<string, string> = {
  benchSample1MiB: "eaa4d41199ab9399ca880392229fb05eebe0b63da95116237d224481037afe85",
  benchSample100KiB: "ef693b2e36681c1b6710da01435910ab7c01058033fa22e6db1326fe06547e04",
  accuracyFindings: "8f959679ed572cc292d711df9f79377b5e3679881d3e09d960d65cb70b4a6556",
  accuracyMasked: "729f42b4fe753b558fe7871fb83fed1a1fc905b9920e6db55ced5d50a1e38db5",
  fuzzFindings: "86ee9d826c967b270eb2d15bf45c599207fe78f56e604b1d2957000fac42cb00",
  fuzzFindingsOneDetector: "34f79215c285437b6fbf9d659e62188e3b72d21f1e74f34ff51173a5c481c4e8",
  fuzzFindingsAllButOne: "7e3b8038a6db59bab07a464d5a552b36006eef2cfedd30fb37cc3edef93147b6",
  fuzzMaskedValues: "079bed947f88ccf987e7f0458f46f0af10ef4d76c74c2606ed70cb6cb4526cd5",
};

const digest = (parts: unknown[]) => createHash("sha256").update(JSON.stringify(parts)).digest("hex");
const client = { server: "customers", tool: "get_customer", copy: "client" as const };
const audit = { ...client, copy: "audit" as const };
const CONTEXTS = ["", "ssn", "aws_secret_access_key", "notes"];

function findings(scanner: Scanner, docs: string[]): unknown[] {
  return docs.map((text, k) => {
    const st = new ScanState();
    st.reset(CONTEXTS[k % CONTEXTS.length]);
    return scanner.scan(text, st).map((f) => [f.start, f.end, f.type]);
  });
}

describe("masking output is unchanged by speed work", () => {
  const masker = createMasker({ bundle: null });
  const fuzz = goldenDocuments(20261129, 300, 1000);
  const actual: Record<string, string> = {};

  afterAll(() => {
    // Printed so that a deliberate change can record its new digests.
    process.stdout.write(`golden digests: ${JSON.stringify(actual, null, 2)}\n`);
  });

  it.each([
    ["benchSample1MiB", 1024 * 1024],
    ["benchSample100KiB", 100 * 1024],
  ])("%s (the mask bench's input, both copies)", (name, bytes) => {
    const msg = sampleResult(bytes);
    const parts = [client, audit].map((ctx) => {
      const out = masker.maskMessage(msg, ctx);
      return [JSON.stringify(out.value), out.counts];
    });
    actual[name] = digest(parts);
    expect(actual[name]).toBe(EXPECTED[name]);
  });

  it("accuracyFindings and accuracyMasked (the accuracy corpus)", () => {
    const docs = generateDocuments(20251124, 2000).map((d) => d.text);
    actual.accuracyFindings = digest(findings(new Scanner(BUILT_IN_DETECTORS), docs));
    actual.accuracyMasked = digest(
      docs.map((text) => {
        const out = masker.maskText(text, audit);
        return [out.value, out.counts];
      }),
    );
    expect(actual.accuracyFindings).toBe(EXPECTED.accuracyFindings);
    expect(actual.accuracyMasked).toBe(EXPECTED.accuracyMasked);
  });

  it("fuzzFindings (trigger-dense corpus, every detector, four field contexts)", () => {
    actual.fuzzFindings = digest(findings(new Scanner(BUILT_IN_DETECTORS), fuzz));
    expect(actual.fuzzFindings).toBe(EXPECTED.fuzzFindings);
  });

  it("fuzzFindingsOneDetector and fuzzFindingsAllButOne (plans with other detector sets)", () => {
    actual.fuzzFindingsOneDetector = digest(BUILT_IN_DETECTORS.map((d) => findings(new Scanner([d]), fuzz)));
    actual.fuzzFindingsAllButOne = digest(
      BUILT_IN_DETECTORS.map((d) => findings(new Scanner(BUILT_IN_DETECTORS.filter((x) => x !== d)), fuzz)),
    );
    expect(actual.fuzzFindingsOneDetector).toBe(EXPECTED.fuzzFindingsOneDetector);
    expect(actual.fuzzFindingsAllButOne).toBe(EXPECTED.fuzzFindingsAllButOne);
  });

  it("fuzzMaskedValues (the corpus as JSON values under secret, context and plain names)", () => {
    const parts = fuzz.map((text, k) => {
      const value = {
        notes: text,
        ssn: text.slice(0, 200),
        aws_secret_access_key: text.slice(200, 400),
        password: k % 7 === 0 ? text.slice(0, 80) : k,
        [text.slice(400, 440)]: { nested: [text.slice(440, 700), Number(text.replace(/\D/g, "").slice(0, 15) || 0)] },
        embedded: JSON.stringify(
          { note: text.slice(700), token: text.slice(0, 30) },
          null,
          k % 2 === 0 ? 2 : undefined,
        ),
      };
      const out = masker.maskValue(value, audit);
      return [JSON.stringify(out.value), out.counts];
    });
    actual.fuzzMaskedValues = digest(parts);
    expect(actual.fuzzMaskedValues).toBe(EXPECTED.fuzzMaskedValues);
  });
});
