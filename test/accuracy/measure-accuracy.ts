import { BUILT_IN_DETECTORS } from "../../runtime/core/masking/detectors";
import { Scanner } from "../../runtime/core/masking/scanner";
import { ScanState } from "../../runtime/core/masking/scan-state";
import { BUILT_IN_TYPES, type LabelledDocument } from "./labelled-documents";

export interface TypeScore {
  planted: number;
  found: number;
  truePositives: number;
  recall: number;
  precision: number;
}

/**
 * Recall and precision per entity type. A planted value is recalled when a finding of its type
 * overlaps it; a finding is a true positive when it overlaps a planted value of its type.
 */
export function measureAccuracy(docs: LabelledDocument[]): {
  scores: Record<string, TypeScore>;
  misses: string[];
  falsePositives: string[];
} {
  const scanner = new Scanner(BUILT_IN_DETECTORS);
  const tally: Record<string, { planted: number; recalled: number; found: number; tp: number }> = {};
  for (const t of BUILT_IN_TYPES) tally[t] = { planted: 0, recalled: 0, found: 0, tp: 0 };
  const misses: string[] = [];
  const falsePositives: string[] = [];
  for (const doc of docs) {
    const findings = scanner.scan(doc.text, new ScanState());
    const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
      a.start < b.end && b.start < a.end;
    for (const p of doc.planted) {
      tally[p.type].planted++;
      if (findings.some((f) => f.type === p.type && overlaps(f, p))) tally[p.type].recalled++;
      else
        misses.push(
          `${p.type} in ${doc.kind}: ${JSON.stringify(doc.text.slice(Math.max(0, p.start - 30), p.end + 10))}`,
        );
    }
    for (const f of findings) {
      const t = (tally[f.type] ??= { planted: 0, recalled: 0, found: 0, tp: 0 });
      t.found++;
      if (doc.planted.some((p) => p.type === f.type && overlaps(f, p))) t.tp++;
      else
        falsePositives.push(
          `${f.type} in ${doc.kind}: ${JSON.stringify(doc.text.slice(Math.max(0, f.start - 30), f.end + 10))}`,
        );
    }
  }
  const scores: Record<string, TypeScore> = {};
  for (const [type, t] of Object.entries(tally)) {
    scores[type] = {
      planted: t.planted,
      found: t.found,
      truePositives: t.tp,
      recall: t.planted ? t.recalled / t.planted : 1,
      precision: t.found ? t.tp / t.found : 1,
    };
  }
  return { scores, misses, falsePositives };
}
