/**
 * Loaded into the soak's server process with `--import`: every second, appends one JSON line of the
 * process's own figures (memory, open file descriptors, event-loop delay) to SOAK_PROBE_FILE.
 */
import { appendFileSync, readdirSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.SOAK_PROBE_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const timer = setInterval(() => {
    const memory = process.memoryUsage();
    const sample = {
      t: Date.now(),
      rssMB: memory.rss / 1048576,
      heapMB: memory.heapUsed / 1048576,
      fds: readdirSync('/proc/self/fd').length,
      loopP99Ms: delay.percentile(99) / 1e6,
      loopMaxMs: delay.max / 1e6,
    };
    delay.reset();
    appendFileSync(file, JSON.stringify(sample) + '\n');
  }, 1000);
  timer.unref();
}
