import fs from 'node:fs';
import path from 'node:path';
import { packContext } from './src/core/context/engine';
import { NodeWorkspace } from './src/core/context/nodeWorkspace';
const tasks = fs.readFileSync('/work/shared/bench/context/dev/tasks.jsonl', 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
(async () => {
  for (const t of tasks.slice(0, 100)) {
    const dir = path.join('/tmp/ctxeval', t.commit.slice(0, 12));
    const r = await packContext({ query: t.query, activeFile: path.join(dir, t.file), selection: t.selection, budget: 8000 }, new NodeWorkspace([dir]), { git: false });
    for (const g of t.gold) {
      const it = r.items.find((i) => i.path === g);
      if (!it || !it.ranges) continue;
      const gl: number[] = t.gold_lines?.[g] ?? [];
      const miss = gl.filter((l) => !it.ranges!.some(([s, e]) => l >= s && l <= e));
      if (miss.length) console.log(`${t.id} ${g} kind=${it.kind} tok=${it.tokens} ranges=${JSON.stringify(it.ranges)} missLines=${miss.slice(0, 8)} of ${gl.length} | ${it.reason.slice(0, 60)}`);
    }
  }
})();
