import { Scanner } from "../../../runtime/core/masking/scanner";
import { ScanState } from "../../../runtime/core/masking/scan-state";
import { BUILT_IN_DETECTORS } from "../../../runtime/core/masking/detectors";

const all = new Scanner(BUILT_IN_DETECTORS);

/** The matched substrings of `text`, as `type:value`, with every built-in detector on. */
export function found(text: string, fieldContext = ""): string[] {
  const st = new ScanState();
  st.reset(fieldContext);
  return all.scan(text, st).map((f) => `${f.type}:${text.slice(f.start, f.end)}`);
}

/** The values one type matched in `text`. */
export function valuesOf(type: string, text: string, fieldContext = ""): string[] {
  return found(text, fieldContext)
    .filter((s) => s.startsWith(`${type}:`))
    .map((s) => s.slice(type.length + 1));
}
