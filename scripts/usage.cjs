// Preloaded by the benchmark (node --require): at exit, appends this process's CPU time and
// peak RSS to the file named by BENCH_USAGE_FILE, one JSON line.
const { appendFileSync } = require('node:fs');
const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    appendFileSync(
      file,
      `${JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, maxRssKb: u.maxRSS })}\n`,
    );
  });
}
