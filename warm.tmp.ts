import { packContext } from './src/core/context/engine';
import { NodeWorkspace } from './src/core/context/nodeWorkspace';
class W extends NodeWorkspace { onDidChange() { return { dispose() {} }; } }
(async () => {
  const port = new W(['/tmp/nogit']);
  const req = { query: 'fix(context): keep response cookies in newResponse', activeFile: '/tmp/nogit/src/context.ts', selection: [384, 384] as [number, number], budget: 32000 };
  const t0 = performance.now(); await packContext(req, port); const first = performance.now() - t0;
  const times: number[] = [];
  for (let i = 0; i < 10; i++) { const t = performance.now(); await packContext(req, port); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  console.log(`first ${first.toFixed(0)} ms; warm repeat median ${times[5].toFixed(0)} ms, min ${times[0].toFixed(0)}, max ${times[9].toFixed(0)}`);
})();
