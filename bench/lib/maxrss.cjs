// Preloaded into a measured process (node --require): prints its peak resident memory and the CPU
// time it used (user + system, start-up included) on exit. On a shared machine CPU time moves
// far less with the load than wall time does.
process.on('exit', () => {
  const r = process.resourceUsage();
  process.stderr.write(`\nmaxrss ${r.maxRSS} cpu ${r.userCPUTime + r.systemCPUTime}\n`);
});
