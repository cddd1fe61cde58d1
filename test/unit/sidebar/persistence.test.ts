import assert from 'node:assert/strict';
import { TraceStore } from '../../../src/core/run/traceStore';
import { HISTORY_KEY, restoreHistory, saveHistory } from '../../../src/vscode/sidebar/persistence';
import { SidebarHeader } from '../../../src/vscode/sidebar/header';
import { sampleRequest } from './events';

/** workspaceState's shape (get/update/keys) over a Map, JSON round-tripped as VS Code stores it. */
class MapMemento {
  readonly data = new Map<string, string>();
  keys() { return [...this.data.keys()]; }
  get<T>(key: string): T | undefined { const v = this.data.get(key); return v === undefined ? undefined : JSON.parse(v); }
  update(key: string, value: unknown) { if (value === undefined) this.data.delete(key); else this.data.set(key, JSON.stringify(value)); return Promise.resolve(); }
}

describe('sidebar history across reloads', () => {
  it('saves finished requests with deltas merged and restores them into a new store', async () => {
    const store = new TraceStore();
    for (const e of sampleRequest('done-1', 1000)) store.add(e);
    for (const e of sampleRequest('running', 2000).slice(0, 4)) store.add(e);
    const memento = new MapMemento();
    await saveHistory(memento as never, store);
    const saved = memento.get<{ events: unknown[] }[]>(HISTORY_KEY)!;
    assert.equal(saved.length, 1, 'running requests are not persisted');
    assert.ok(saved[0].events.length < sampleRequest().length, 'deltas are merged');

    const fresh = new TraceStore();
    assert.deepEqual(restoreHistory(memento as never, fresh), { restored: 1, dropped: 0 });
    const record = fresh.get('done-1')!;
    assert.equal(record.summary.status, 'done');
    assert.equal(record.summary.cost, 0.0042);
    assert.equal(record.events.filter((e) => e.type === 'reasoning.delta').map((e) => (e as { text: string }).text).join(''), 'Let me think. Done.');
  });

  it('drops a stored record that no longer matches the event model, keeping the rest', async () => {
    const store = new TraceStore();
    for (const e of sampleRequest('good', 1000)) store.add(e);
    const memento = new MapMemento();
    await saveHistory(memento as never, store);
    const saved = memento.get<{ summary: { requestId: string }; events: Record<string, unknown>[] }[]>(HISTORY_KEY)!;
    const bad = structuredClone(saved[0]);
    bad.summary.requestId = 'bad';
    bad.events[1].budget = 'lots';
    await memento.update(HISTORY_KEY, [...saved, bad]);
    const fresh = new TraceStore();
    assert.deepEqual(restoreHistory(memento as never, fresh), { restored: 1, dropped: 1 });
    assert.ok(fresh.get('good'));
    assert.equal(fresh.get('bad'), undefined);
  });

  it('ignores garbage in the stored history instead of failing activation', () => {
    const memento = new MapMemento();
    void memento.update(HISTORY_KEY, { not: 'a list' });
    assert.deepEqual(restoreHistory(memento as never, new TraceStore()), { restored: 0, dropped: 1 });
  });
});

describe('sidebar header setter', () => {
  it('merges partial updates from the endpoint and spend parts and notifies listeners', () => {
    const sidebarHeader = new SidebarHeader();
    const seen: unknown[] = [];
    const sub = sidebarHeader.onDidChange((h) => seen.push(h));
    sidebarHeader.set({ endpoint: { id: 'v', label: 'Team vLLM', model: 'm', health: { state: 'up' } } });
    sidebarHeader.set({ spend: { session: 0.5, today: 1, month: 2, currency: 'USD' } });
    sub.dispose();
    sidebarHeader.set({ endpoint: undefined });
    assert.equal(seen.length, 2);
    assert.deepEqual(Object.keys(seen[1] as object).sort(), ['endpoint', 'spend']);
    assert.equal(sidebarHeader.get().endpoint, undefined);
    assert.equal(sidebarHeader.get().spend?.month, 2);
  });
});
