/**
 * Checks KQL against the declared schema with Microsoft's Kusto language service: syntax, table
 * and column names, and the `Properties.x` custom dimensions Gatehouse writes. Used by the tests
 * (the language service is a dev dependency; ~0.5 s to load, a few ms per query).
 */
import * as path from "node:path";
import { LOG_PROPERTIES, LOG_TABLES, type TableSchema } from "./log-schema";

export interface KqlProblem {
  readonly message: string;
  readonly offset: number;
}

// The language service is a Bridge.NET build that defines globals; it has no module exports.
/* eslint-disable @typescript-eslint/no-explicit-any */
let kusto: any;
function language(): any {
  if (!kusto) {
    const dir = path.dirname(require.resolve("@kusto/language-service-next/package.json"));
    require(path.join(dir, "bridge.js"));
    require(path.join(dir, "Kusto.Language.Bridge.js"));
    kusto = (globalThis as any).Kusto.Language;
  }
  return kusto;
}

export class KqlValidator {
  private readonly globals: any;

  constructor(
    tables: readonly TableSchema[] = LOG_TABLES,
    private readonly properties: readonly string[] = LOG_PROPERTIES,
  ) {
    const K = language();
    const symbols = tables.map((t) => {
      const schema = `(${Object.entries(t.columns)
        .map(([name, type]) => `${name}:${type}`)
        .join(", ")})`;
      return new K.Symbols.TableSymbol.$ctor7(t.name, schema, null);
    });
    const database = new K.Symbols.DatabaseSymbol.$ctor2("workspace", null, symbols);
    this.globals = K.GlobalState.Default.WithDatabase(database);
  }

  /** Every error in `kql` (warnings are ignored); empty when the query is valid. */
  check(kql: string): KqlProblem[] {
    const K = language();
    const diagnostics = K.KustoCode.ParseAndAnalyze(kql, this.globals).GetDiagnostics();
    const problems: KqlProblem[] = [];
    for (let i = 0; i < diagnostics.Count; i++) {
      const d = diagnostics.getItem(i);
      if (String(d.Severity) === "Error") problems.push({ message: String(d.Message), offset: Number(d.Start) });
    }
    // Dynamic columns are open to the analyser: check custom dimensions against the declaration.
    const known = new Set(this.properties);
    for (const m of kql.matchAll(/\bProperties\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*["']([^"']+)["']\s*\])/g)) {
      const name = m[1] ?? m[2];
      if (!known.has(name))
        problems.push({ message: `unknown custom dimension Properties.${name}`, offset: m.index ?? 0 });
    }
    return problems;
  }
}
