/**
 * Adversarial inputs finish with work proportional to their size. Work is counted (characters
 * and nodes examined, ScanState.steps / masker.steps), never timed: for each input the count at
 * size 2n stays within 2.1x the count at size n, and below a fixed number of steps per character.
 */
import { Scanner } from "../../../runtime/core/masking/scanner";
import { ScanState } from "../../../runtime/core/masking/scan-state";
import { BUILT_IN_DETECTORS } from "../../../runtime/core/masking/detectors";
import { createMasker } from "../../../runtime/core/masking";
import { PEM_PRIVATE_KEY_BEGIN } from "../../fixtures/secret-shaped-samples";

const scanner = new Scanner(BUILT_IN_DETECTORS);
// The sum of the bounded windows of the detectors a digit can start (card ~40, SSN ~11, phone ~30).
const STEPS_PER_CHAR = 64;

function steps(text: string): number {
  const st = new ScanState();
  scanner.scan(text, st);
  return st.steps;
}

const header = Buffer.from('{"alg":"HS256"}').toString("base64url");
const ADVERSARIAL: [string, (n: number) => string][] = [
  ["digits", (n) => "7".repeat(n)],
  ["digits and spaces", (n) => "1 ".repeat(n / 2)],
  ["digits and dashes", (n) => "12-".repeat(n / 3)],
  ["@ run", (n) => "@".repeat(n)],
  [". run", (n) => ".".repeat(n)],
  ["@ and .", (n) => "a@.".repeat(n / 3)],
  ["long local part", (n) => "a".repeat(n - 10) + "@example.com"],
  ["long domain", (n) => "a@" + "b.".repeat((n - 2) / 2)],
  ["AKIA repeated", (n) => "AKIA".repeat(n / 4)],
  ["AKIA words", (n) => "AKIA ".repeat(n / 5)],
  ["eyJ segments", (n) => "eyJ.".repeat(n / 4)],
  ["valid JWT headers", (n) => `${header}.`.repeat(n / (header.length + 1))],
  ["PEM BEGIN without END", (n) => `${PEM_PRIVATE_KEY_BEGIN}\n`.repeat(n / 28)],
  ["connection string starts", (n) => "DefaultEndpointsProtocol=".repeat(n / 25)],
  ["password=", (n) => "password=".repeat(n / 9)],
  ['password="', (n) => 'password="'.repeat(n / 10)],
  ["sig=", (n) => "?sig=".repeat(n / 5)],
  ["+ digits", (n) => "+1 ".repeat(n / 3)],
  ["parentheses", (n) => "(1".repeat(n / 2)],
  ["IBAN prefixes", (n) => "DE89 ".repeat(n / 5)],
  ["base64 run", (n) => "Ab".repeat(n / 2)],
  ["base64 slashes", (n) => "a/".repeat(n / 2)],
  ["colons", (n) => "secret:".repeat(n / 7)],
];

describe("scanner work is linear in the input", () => {
  it.each(ADVERSARIAL)("%s", (_name, make) => {
    const n = 200_000;
    const a = steps(make(n));
    const b = steps(make(2 * n));
    expect(a).toBeGreaterThanOrEqual(n * 0.9); // the counter sees at least every character
    expect(b).toBeLessThanOrEqual(2.1 * a + 1000);
    expect(b).toBeLessThanOrEqual(STEPS_PER_CHAR * 2 * n);
  });

  it("a 10 MB line of digits costs a constant number of steps per character", () => {
    const n = 10 * 1024 * 1024;
    expect(steps("9".repeat(n))).toBeLessThanOrEqual(2 * n);
  });
});

describe("masker work is linear in the input", () => {
  const masker = createMasker({ bundle: null });
  const ctx = { server: "s", copy: "audit" as const };

  function maskerSteps(run: () => unknown): number {
    const before = masker.steps;
    run();
    return masker.steps - before;
  }

  it("wide arrays and objects", () => {
    const arr = (n: number) => ({
      jsonrpc: "2.0",
      id: 1,
      result: { items: Array.from({ length: n }, (_, k) => ({ id: k, note: "ok", mail: "a@b.co" })) },
    });
    const a = maskerSteps(() => masker.maskMessage(arr(20_000), ctx));
    const b = maskerSteps(() => masker.maskMessage(arr(40_000), ctx));
    expect(b).toBeLessThanOrEqual(2.1 * a);
  });

  it("1e6 nested arrays are refused after a bounded amount of work, without a stack overflow", () => {
    let deep: unknown = "x";
    for (let k = 0; k < 1_000_000; k++) deep = [deep];
    let err: unknown;
    const work = maskerSteps(() => {
      try {
        masker.maskValue(deep, ctx);
      } catch (e) {
        err = e;
      }
    });
    expect(err).toMatchObject({ code: "ERR_RESULT_WITHHELD" });
    expect(work).toBeLessThanOrEqual(10_000);
  });

  it("1e6 nested objects inside a text result are refused the same way", () => {
    const text = '{"a":'.repeat(1_000_000) + "1" + "}".repeat(1_000_000);
    expect(() =>
      masker.maskMessage({ jsonrpc: "2.0", id: 1, result: { content: [{ type: "text", text }] } }, ctx),
    ).toThrow(expect.objectContaining({ code: "ERR_RESULT_WITHHELD" }));
  });
});
