/** Flags shared by the benchmarks (`npm run bench -- <name> [flags]`). */
import { z } from "zod";

export const BenchArgsSchema = z.object({
  /** Seconds per measured load run. */
  duration: z.coerce.number().int().min(1).default(10),
  /** Concurrent connections for the maximum-throughput runs. */
  connections: z.coerce.number().int().min(1).default(20),
  /** Fixed rate for the latency comparison. */
  rate: z.coerce.number().int().min(1).default(500),
  /** Length of the session soak. */
  soakMinutes: z.coerce.number().min(0).default(10),
  /** Sessions opened for the memory measurement. */
  sessions: z.coerce.number().int().min(1).default(1000),
  /** Gateway bench: write V8 CPU profiles of the stack's processes here and print their top self-time entries. */
  profile: z.string().optional(),
  /**
   * Gateway bench: only the maximum-throughput runs of nginx and the gateway (CPU per call per
   * process and the ratio) and the fixed-rate runs of direct and the gateway, for A/B pairs of a
   * change; no floors and no 100 KB runs.
   */
  quick: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .default(false),
  /** Also write the results as JSON here (default bench/results/<name>-<time>.json). */
  out: z.string().optional(),
});
export type BenchArgs = z.infer<typeof BenchArgsSchema>;

/** `--soak-minutes 2` → { soakMinutes: "2" }; unknown flags are refused. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument ${a}`);
    const [flag, inline] = a.slice(2).split("=", 2);
    const key = flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (!(key in BenchArgsSchema.shape))
      throw new Error(
        `unknown flag --${flag}; known: ${Object.keys(BenchArgsSchema.shape)
          .map((k) => "--" + k.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase()))
          .join(", ")}`,
      );
    // A boolean flag may stand alone (`--quick`).
    const boolean = key === "quick";
    raw[key] = inline ?? (boolean && (argv[i + 1] === undefined || argv[i + 1].startsWith("--")) ? "true" : argv[++i]);
  }
  return BenchArgsSchema.parse(raw);
}
