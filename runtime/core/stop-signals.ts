/**
 * SIGTERM/SIGINT handling from the first line of a process. Node running as PID 1 in a container
 * gets no default signal action: without a handler, `docker stop` (and a Container Apps revision
 * swap) waits its whole grace period and then SIGKILLs, dropping whatever the audit sink holds.
 * So the trap is installed before anything slow (module loading, Azure credentials, policy
 * download); until the process has something to clean up, a stop signal simply exits.
 *
 * No imports on purpose: the entrypoint loads this before telemetry patches winston.
 */

type Stop = () => void;

let stop: Stop | null = null;
let trapped = false;
let stopping = false;

/** Installs the handlers once; a signal before `onStopSignal` exits at once. */
export function trapStopSignals(): void {
  if (trapped) return;
  trapped = true;
  const handle = (): void => {
    // A second signal while a graceful stop runs means "now": do not make the operator wait.
    if (stopping || !stop) process.exit(0);
    stopping = true;
    stop();
  };
  process.on("SIGTERM", handle);
  process.on("SIGINT", handle);
}

/** From now on a stop signal runs `fn` (the graceful stop); installs the trap if needed. */
export function onStopSignal(fn: Stop): void {
  trapStopSignals();
  stop = fn;
}
