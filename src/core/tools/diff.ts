/**
 * A unified diff for the approval prompt and the trace. Line based: the common head and tail are
 * trimmed, the middle is diffed by LCS when small enough (else shown as one replaced block).
 */
export interface LineDiff { text: string; added: number; removed: number }

type Op = { t: ' ' | '-' | '+'; line: string };

function lcsOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) return [...a.map((line) => ({ t: '-' as const, line })), ...b.map((line) => ({ t: '+' as const, line }))];
  const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) { ops.push({ t: ' ', line: a[i] }); i++; j++; } else if (dp[i + 1][j] >= dp[i][j + 1]) { ops.push({ t: '-', line: a[i++] }); } else { ops.push({ t: '+', line: b[j++] }); }
  }
  while (i < n) ops.push({ t: '-', line: a[i++] });
  while (j < m) ops.push({ t: '+', line: b[j++] });
  return ops;
}

export function unifiedDiff(path: string, before: string, after: string, existed: boolean, context = 3): LineDiff {
  // A final newline ends the last line; it is not a line of its own.
  const lines = (t: string) => { const l = t.split('\n'); if (l[l.length - 1] === '') l.pop(); return l; };
  const a = before === '' && !existed ? [] : lines(before);
  const b = lines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops: Op[] = [
    ...a.slice(0, head).map((line) => ({ t: ' ' as const, line })),
    ...lcsOps(a.slice(head, a.length - tail), b.slice(head, b.length - tail)),
    ...a.slice(a.length - tail).map((line) => ({ t: ' ' as const, line })),
  ];
  // Group changes into hunks with `context` lines around them.
  const out = [`--- ${existed ? 'a/' + path : '/dev/null'}`, `+++ b/${path}`];
  let added = 0;
  let removed = 0;
  let k = 0;
  let aLine = 1;
  let bLine = 1;
  const positions = ops.map((op) => {
    const pos = { a: aLine, b: bLine };
    if (op.t !== '+') aLine++;
    if (op.t !== '-') bLine++;
    return pos;
  });
  while (k < ops.length) {
    if (ops[k].t === ' ') { k++; continue; }
    const start = Math.max(0, k - context);
    let end = k;
    let lastChange = k;
    while (end < ops.length && (ops[end].t !== ' ' || end - lastChange <= context * 2)) {
      if (ops[end].t !== ' ') lastChange = end;
      end++;
    }
    end = Math.min(ops.length, lastChange + context + 1);
    const hunk = ops.slice(start, end);
    const aCount = hunk.filter((o) => o.t !== '+').length;
    const bCount = hunk.filter((o) => o.t !== '-').length;
    out.push(`@@ -${aCount ? positions[start].a : positions[start].a - 1},${aCount} +${bCount ? positions[start].b : positions[start].b - 1},${bCount} @@`);
    for (const o of hunk) {
      out.push(o.t + o.line);
      if (o.t === '+') added++;
      if (o.t === '-') removed++;
    }
    k = end;
  }
  return { text: out.join('\n'), added, removed };
}
