/** Guards the rule pack's test discipline: every rule has a Noncompliance case in these tests. */
import * as fs from "node:fs";
import * as path from "node:path";
import { GATEHOUSE_RULE_PACK } from "../../../stacks/compliance";

test("every rule in the pack has a Noncompliance test that fails synth with its id", () => {
  const sources = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith(".test.ts") && f !== path.basename(__filename))
    .map((f) => fs.readFileSync(path.join(__dirname, f), "utf8"))
    .filter((s) => s.includes("Noncompliance") && s.includes("expectSynthFails"));
  const untested = GATEHOUSE_RULE_PACK.map((r) => r.id).filter(
    (id) => !sources.some((s) => new RegExp(`["\`]${id}[" :]`).test(s)),
  );
  expect(untested).toEqual([]);
});
