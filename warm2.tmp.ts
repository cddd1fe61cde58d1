import { packContext } from './src/core/context/engine';
import { NodeWorkspace } from './src/core/context/nodeWorkspace';
import { Session } from 'node:inspector/promises';
import fs from 'node:fs';
class W extends NodeWorkspace { onDidChange() { return { dispose() {} }; } }
(async () => {
  const port = new W(['/tmp/nogit']);
  const req = { query: 'fix(context): keep response cookies in newResponse', activeFile: '/tmp/nogit/src/context.ts', selection: [384, 384] as [number, number], budget: 32000 };
  await packContext(req, port); await packContext(req, port);
  const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.start');
  for (let i = 0; i < 10; i++) await packContext(req, port);
  const { profile } = await s.post('Profiler.stop');
  const self = new Map<string, number>(); const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
  const dt = profile.timeDeltas!; const cnt = new Map<number, number>();
  profile.samples!.forEach((x: number, i: number) => cnt.set(x, (cnt.get(x) || 0) + (dt[i] || 0)));
  for (const [id, t] of cnt) { const n: any = byId.get(id); const k = n.callFrame.functionName + ' ' + n.callFrame.url.split('/').pop() + ':' + n.callFrame.lineNumber; self.set(k, (self.get(k) || 0) + t); }
  [...self].sort((a, b) => b[1] - a[1]).slice(0, 20).forEach(([k, t]) => console.log((t / 10000).toFixed(1), k));
})();
