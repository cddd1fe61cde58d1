// A large repository made of real files: the benchmark repositories' trees replicated under
// many folders (packages/copy-N/<repo>/...) until it holds `target` files.
import fs from 'node:fs';
import path from 'node:path';

function listTree(root) {
  const out = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.name === '.git') continue;
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk('');
  return out;
}

/** Fills `dest` with copies of the files of `sources` (checkout folders); returns the file count. */
export function generateBigRepo(dest, sources, target = 50000) {
  fs.mkdirSync(dest, { recursive: true });
  const trees = sources.map((s) => ({ root: s, name: path.basename(path.dirname(s)).replace(/\W+/g, '-'), files: listTree(s) }));
  let n = 0;
  const copy = (from, to) => {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    try {
      fs.linkSync(from, to); // same bytes, no disk cost
    } catch {
      fs.copyFileSync(from, to);
    }
    n++;
  };
  // The first tree at the root (its README and manifest say what the repository is), the rest as packages.
  for (const f of trees[0].files) copy(path.join(trees[0].root, f), path.join(dest, f));
  for (let k = 0; n < target; k++) {
    for (const t of trees) {
      for (const f of t.files) {
        if (n >= target) break;
        copy(path.join(t.root, f), path.join(dest, 'packages', `copy-${k}`, t.name, f));
      }
    }
  }
  return n;
}
