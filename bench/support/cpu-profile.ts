/**
 * Reduces a V8 .cpuprofile (the inspector's sampling profiler) to its top self-time entries: function, file:line,
 * share of the samples. "(idle)" is time the process waited; "(garbage collector)" and
 * "(program)" are V8's own. Used by `npm run bench -- gateway --profile <dir>`.
 */
import fs from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
}

export interface SelfTimeEntry {
  readonly fn: string;
  readonly where: string;
  readonly share: number;
}

/** The top entries by share of the busy samples ("(idle)" left out), and the idle share of all samples. */
export function topSelfTime(file: string, top = 15): { idle: number; entries: SelfTimeEntry[] } {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map<string, { fn: string; where: string; n: number }>();
  for (const id of profile.samples) {
    const f = byId.get(id)?.callFrame;
    if (!f) continue;
    const where = f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : "";
    const key = `${f.functionName}|${where}`;
    const c = counts.get(key) ?? { fn: f.functionName || "(anonymous)", where, n: 0 };
    c.n++;
    counts.set(key, c);
  }
  const idle = counts.get("(idle)|")?.n ?? 0;
  counts.delete("(idle)|");
  const busy = profile.samples.length - idle || 1;
  const entries = [...counts.values()]
    .sort((a, b) => b.n - a.n)
    .slice(0, top)
    .map((c) => ({ fn: c.fn, where: c.where, share: c.n / busy }));
  return { idle: idle / (profile.samples.length || 1), entries };
}

/** node_modules/<pkg>/... or dist/<path>, without the machine's directories. */
function shortUrl(url: string): string {
  const p = url.replace(/^file:\/\//, "");
  const nm = p.lastIndexOf("node_modules/");
  if (nm >= 0) return p.slice(nm + "node_modules/".length);
  const dist = p.indexOf("/dist/");
  return dist >= 0 ? p.slice(dist + 1) : path.basename(p);
}

/** The profile a process wrote into `dir` for a load phase (cpu-profile-preload.ts names it <role>.<pid>.<phase>.cpuprofile). */
export function profileOf(dir: string, pid: number, phase = 1): string | null {
  const f = fs.readdirSync(dir).find((n) => n.endsWith(`.${pid}.${phase}.cpuprofile`));
  return f ? path.join(dir, f) : null;
}

/** Components a self-time sample is counted under, first match wins (what "where the rest goes" is told in). */
const COMPONENTS: readonly [name: string, test: (fn: string, url: string) => boolean][] = [
  ["garbage collector", (fn) => fn === "(garbage collector)"],
  ["V8 (program)", (fn) => fn === "(program)"],
  ["audit sink, chain, recorder (ours)", (_f, u) => /dist\/runtime\/core\/audit\/|mcp\/call-recorder/.test(u)],
  ["masking engine (ours)", (_f, u) => /dist\/runtime\/core\/masking\//.test(u)],
  ["call path: relay, handlers, policy (ours)", (_f, u) => /dist\/runtime\//.test(u)],
  ["Azure Storage SDK pipeline", (_f, u) => /node_modules\/@(azure|typespec)\//.test(u)],
  [
    "express, router, passport, rate limits",
    (_f, u) =>
      /node_modules\/(express|router|passport|express-rate-limit|path-to-regexp|finalhandler|on-finished|forwarded|proxy-addr|send|content-type|type-is|accepts|negotiator|mime-types|qs|parseurl)\//.test(
        u,
      ),
  ],
  ["zod", (_f, u) => /node_modules\/zod\//.test(u)],
  ["json-canonicalize", (_f, u) => /node_modules\/json-canonicalize\//.test(u)],
  ["jose (JWT sign/verify)", (_f, u) => /node_modules\/jose\//.test(u)],
  [
    "winston, logform",
    (_f, u) =>
      /node_modules\/(winston|winston-transport|logform|readable-stream|safe-stable-stringify|triple-beam|@colors|colors)\//.test(
        u,
      ),
  ],
  ["other npm packages", (_f, u) => /node_modules\//.test(u)],
  [
    "Node core: http, net, streams, timers (JS)",
    (_f, u) => /^node:/.test(u) || /^(internal|task_queues|stream_base_commons|timers|events|net)/.test(u),
  ],
  ["Node/V8 natives: socket writes, JSON, crypto, buffers", () => true],
];

/** Self time grouped by component (COMPONENTS), as shares of the busy samples, largest first. */
export function componentShares(file: string): { name: string; share: number }[] {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map<string, number>();
  let busy = 0;
  for (const id of profile.samples) {
    const f = byId.get(id)?.callFrame;
    if (!f || f.functionName === "(idle)") continue;
    busy++;
    const name = COMPONENTS.find(([, test]) => test(f.functionName, f.url))![0];
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts.entries()].map(([name, n]) => ({ name, share: n / (busy || 1) })).sort((a, b) => b.share - a.share);
}
