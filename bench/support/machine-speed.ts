/**
 * The machine's own speed, printed beside every run so that runs on different days (or on a
 * shared, loaded machine) can be compared: one bare charCodeAt pass over the mask bench's 1 MB
 * message, MB/s of CPU time, median of 20 runs. It measured 583 MB/s on a quiet core of this
 * machine on 2026-11-24 and ~328 MB/s on 2026-11-29: the same code is then ~1.8x slower per core,
 * which a CPU-per-call figure alone does not say.
 */
import { sampleResult } from "../mask/sample-results";

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** One bare pass over the text (what is measured); its result only keeps the loop from being optimised away. */
export function bareLoop(text: string): number {
  let sink = 0;
  for (let i = 0; i < text.length; i++) sink += text.charCodeAt(i) & 1;
  return sink;
}

/** Median MB/s of CPU time of bareLoop over `text` (default: the mask bench's 1 MB message). */
export function machineSpeedMBps(text: string = JSON.stringify(sampleResult(1024 * 1024)), runs = 20): number {
  const bytes = Buffer.byteLength(text);
  for (let k = 0; k < 5; k++) bareLoop(text);
  const rates: number[] = [];
  for (let k = 0; k < runs; k++) {
    const c = cpuMs();
    bareLoop(text);
    rates.push(bytes / 1e6 / (Math.max(cpuMs() - c, 0.001) / 1000));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}
