/**
 * CPU time of other processes from Linux /proc (utime + stime of /proc/<pid>/stat), so the
 * benchmarks can report CPU per call for each process of the path: on a shared machine it is a
 * steadier figure than req/s, which includes time spent waiting for a core.
 */
import fs from "node:fs";
import os from "node:os";

/** USER_HZ: 100 on every Linux that Node supports (sysconf(_SC_CLK_TCK)); /proc reports ticks of it. */
const TICKS_PER_SECOND = 100;

/** CPU milliseconds (user + system) the process has used so far. */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) may contain spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); utime is field 14, stime field 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** A snapshot of each named process's CPU time. */
export function sampleCpu(pids: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]));
}

/** CPU ms per call of each process between two snapshots. */
export function cpuPerCall(
  before: Record<string, number>,
  after: Record<string, number>,
  calls: number,
): Record<string, number> {
  return Object.fromEntries(
    Object.keys(before).map((name) => [name, calls > 0 ? (after[name] - before[name]) / calls : NaN]),
  );
}

export const loadAverage = (): string =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
