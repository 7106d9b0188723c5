import { RE2JS } from "re2js";
import { GatehouseError } from "../errors";
import type { Finding } from "./scan-state";

/**
 * A policy's custom pattern, compiled with re2js (RE2 semantics: linear time, no backtracking),
 * so a pattern cannot make the scan super-linear whatever the input.
 */
export class CustomPattern {
  private readonly re: RE2JS;

  constructor(
    readonly name: string,
    regex: string,
  ) {
    try {
      this.re = RE2JS.compile(regex);
    } catch (e) {
      throw new GatehouseError(
        "ERR_POLICY_INVALID",
        `masking pattern ${name}: not a valid RE2 expression`,
        { pattern: name },
        { cause: e },
      );
    }
  }

  /** Appends this pattern's non-empty matches in `text` to `out`. */
  findAll(text: string, out: Finding[]): void {
    const m = this.re.matcher(text);
    while (m.find()) {
      const start = m.start();
      const end = m.end();
      if (end > start) out.push({ start, end, type: this.name });
    }
  }
}
