/**
 * Accuracy of the built-in detectors on a seeded corpus of realistic labelled documents (prose,
 * logs, CSV, JSON) with planted values of every type and decoys (Luhn-failing numbers, UUIDs,
 * digests, versions, timestamps, dates, IPs, order numbers). Goal: recall and precision >= 0.99
 * per type. docs/benchmarks.md records the numbers this prints.
 */
import { generateDocuments, BUILT_IN_TYPES } from "./labelled-documents";
import { measureAccuracy } from "./measure-accuracy";

const SEED = 20251124;
const DOCUMENTS = 2000;

describe("detector accuracy on labelled documents", () => {
  const docs = generateDocuments(SEED, DOCUMENTS);
  const { scores, misses, falsePositives } = measureAccuracy(docs);

  afterAll(() => {
    const rows = Object.entries(scores).map(
      ([t, s]) => `| ${t} | ${s.planted} | ${s.found} | ${s.recall.toFixed(4)} | ${s.precision.toFixed(4)} |`,
    );
    process.stdout.write(
      `\naccuracy (seed ${SEED}, ${DOCUMENTS} documents)\n| type | planted | found | recall | precision |\n|---|---|---|---|---|\n${rows.join("\n")}\n`,
    );
    if (misses.length) process.stdout.write(`misses (first 10):\n${misses.slice(0, 10).join("\n")}\n`);
    if (falsePositives.length)
      process.stdout.write(`false positives (first 10):\n${falsePositives.slice(0, 10).join("\n")}\n`);
  });

  it("plants enough values of every type to measure 0.99", () => {
    for (const t of BUILT_IN_TYPES) expect(scores[t].planted).toBeGreaterThanOrEqual(200);
  });

  it.each(BUILT_IN_TYPES)("%s: recall >= 0.99 and precision >= 0.99", (type) => {
    expect(scores[type].recall).toBeGreaterThanOrEqual(0.99);
    expect(scores[type].precision).toBeGreaterThanOrEqual(0.99);
  });

  it("reports no type outside the catalogue", () => {
    expect(Object.keys(scores).sort()).toEqual([...BUILT_IN_TYPES].sort());
  });
});
