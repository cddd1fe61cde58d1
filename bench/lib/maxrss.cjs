// Preloaded into a measured process (node --require): prints its peak resident memory on exit.
process.on('exit', () => process.stderr.write(`\nmaxrss ${process.resourceUsage().maxRSS}\n`));
