// A separate writer process for the ledger tests: appends N entries, or writes half a line and
// waits to be killed (what a window killed in the middle of a write leaves behind).
import * as fs from 'node:fs';
import { Ledger } from '../../../src/core/cost/ledger';

const [file, mode, name, countText] = process.argv.slice(2);

function entry(i: number) {
  return {
    v: 1 as const, id: `${name}-${i}`, time: new Date().toISOString(), endpoint: `ep-${name}`, model: 'mai-thinking-1',
    tokens: { prompt: 1000 + i, cached: 0, cacheWrite: 0, completion: 10, reasoning: 0 },
    cost: 0.001, source: 'price-table' as const, status: 'done' as const, session: name,
    note: 'x'.repeat(i % 300),
  };
}

async function main() {
  const ledger = new Ledger(file);
  if (mode === 'append') {
    const n = Number(countText);
    // Under a parent that coordinates, wait for its "go" so every writer starts at the same moment.
    if (process.send) {
      const go = new Promise((resolve) => process.once('message', resolve));
      process.send('ready');
      await go;
    }
    for (let i = 0; i < n; i++) await ledger.append(entry(i));
    process.disconnect?.();
    return;
  }
  if (mode === 'append-forever') {
    process.send?.('started');
    for (let i = 0; ; i++) await ledger.append(entry(i));
  }
  if (mode === 'half-line') {
    const line = JSON.stringify(entry(0)) + '\n';
    fs.appendFileSync(file, line.slice(0, Math.floor(line.length / 2)));
    process.send?.('wrote-half');
    setInterval(() => {}, 1000);
  }
}

void main();
