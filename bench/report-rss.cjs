// Preloaded (node --require) into a benchmarked process: writes its peak RSS in KB, worker
// threads included (they share the process), to the file named by BENCH_RSS_FILE on exit.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
