// The engine benchmark's page: Userdeck's engine (wasm, loaded from /engine-wasm/) and TanStack
// Table 8's client row model run here side by side on the same JSON text. `cargo xtask bench`
// drives `window.bench.run` through Playwright.
//
// Data in hand is the response text of /users.json, as each console has it when its fetch
// completes. The first query runs from that text to the sorted result: JSON.parse plus the
// core, filtered and sorted row models for TanStack; reading the text with the Rebilly adapter
// plus the engine's filter and sort for Userdeck. A re-query changes the filters and the sort
// with the rows already loaded. Each first query also reports where its time went (`parts`),
// which the bench prints without a budget.
import {
  createTable,
  getCoreRowModel,
  getFilteredRowModel,
  getSortedRowModel,
} from '@tanstack/table-core';

/** The first query, and the two queries the re-queries alternate between. */
const FIRST = { name: 'an', status: 'active', sort: [['status', false], ['created', true]] };
const SECOND = { name: 'el', status: '', sort: [['status', true], ['created', false]] };
const REQUERIES = [SECOND, FIRST, SECOND, FIRST, SECOND];
/** Ids compared between the sides after every query. */
const CHECKED = 50;

const displayName = (u) =>
  [u.firstName, u.lastName].map((s) => (s ?? '').trim()).filter(Boolean).join(' ') || u.email || u.id;

const columns = [
  { id: 'name', accessorFn: displayName, filterFn: 'includesString', sortingFn: 'basic' },
  { id: 'email', accessorKey: 'email', filterFn: 'includesString', sortingFn: 'basic' },
  { id: 'status', accessorKey: 'status', filterFn: 'equals', sortingFn: 'basic' },
  { id: 'created', accessorKey: 'createdTime', sortingFn: 'basic' },
];

function tableState(query) {
  const columnFilters = [{ id: 'name', value: query.name }];
  if (query.status) columnFilters.push({ id: 'status', value: query.status });
  const sorting = query.sort.map(([id, desc]) => ({ id, desc }));
  return { columnFilters, sorting };
}

/** TanStack Table 8 with its client row models, as a React console would set it up. */
const tanstack = {
  first(text, query) {
    const started = performance.now();
    const data = JSON.parse(text);
    const parsed = performance.now();
    const table = createTable({
      data,
      columns,
      state: {},
      onStateChange: () => {},
      renderFallbackValue: null,
      getRowId: (row) => row.id,
      getCoreRowModel: getCoreRowModel(),
      getFilteredRowModel: getFilteredRowModel(),
      getSortedRowModel: getSortedRowModel(),
    });
    table.setOptions((prev) => ({ ...prev, state: { ...table.initialState, ...tableState(query) } }));
    table.getCoreRowModel();
    const cored = performance.now();
    const rows = table.getSortedRowModel().rows;
    const parts = { parse: parsed - started, 'core-rows': cored - parsed, 'filter-sort': performance.now() - cored };
    return { table, rows, parts };
  },
  requery(live, query) {
    live.table.setOptions((prev) => ({ ...prev, state: { ...prev.state, ...tableState(query) } }));
    live.rows = live.table.getSortedRowModel().rows;
    return live;
  },
  ids: (live) => live.rows.slice(0, CHECKED).map((row) => row.id),
  count: (live) => live.rows.length,
  free() {},
};

let Engine;

/** Userdeck's engine, built with the console's release profile. */
const userdeck = {
  first(text, query) {
    const started = performance.now();
    const engine = new Engine(text);
    const read = performance.now();
    const count = userdeck.query(engine, query);
    const parts = { read: read - started, 'filter-sort': performance.now() - read };
    return { engine, count, parts };
  },
  requery(live, query) {
    live.count = userdeck.query(live.engine, query);
    return live;
  },
  query: (engine, q) => engine.query(q.name, q.status, q.sort[0][0], q.sort[0][1], q.sort[1][0], q.sort[1][1]),
  ids: (live) => live.engine.ids(CHECKED),
  count: (live) => live.count,
  free: (live) => live.engine.free(),
};

const SIDES = { userdeck, tanstack };

function collect() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
}

function agree(live, what) {
  const [u, t] = [live.userdeck, live.tanstack];
  const counts = [userdeck.count(u), tanstack.count(t)];
  const ids = [userdeck.ids(u).join(','), tanstack.ids(t).join(',')];
  if (counts[0] !== counts[1] || ids[0] !== ids[1]) {
    return `${what}: Userdeck matched ${counts[0]} users, TanStack ${counts[1]}; first ids ${ids[0].slice(0, 120)} vs ${ids[1].slice(0, 120)}`;
  }
  return null;
}

/** One run: both first queries, then the re-queries, the side that goes first alternating. */
async function run(userdeckFirst) {
  const text = window.benchData;
  const order = userdeckFirst ? ['userdeck', 'tanstack'] : ['tanstack', 'userdeck'];
  const first = {};
  const parts = {};
  const requery = { userdeck: [], tanstack: [] };
  const mismatches = [];
  const live = {};
  for (const side of order) {
    collect();
    const started = performance.now();
    live[side] = SIDES[side].first(text, FIRST);
    first[side] = performance.now() - started;
    parts[side] = live[side].parts;
  }
  mismatches.push(agree(live, 'first query'));
  REQUERIES.forEach((query, i) => {
    const sides = i % 2 === 0 ? [...order].reverse() : order;
    for (const side of sides) {
      collect();
      const started = performance.now();
      SIDES[side].requery(live[side], query);
      requery[side].push(performance.now() - started);
    }
    mismatches.push(agree(live, `re-query ${i + 1}`));
  });
  const matched = { first: userdeck.count(live.userdeck), rows: live.userdeck.engine.rows() };
  userdeck.free(live.userdeck);
  return { first, parts, requery, matched, mismatches: mismatches.filter(Boolean) };
}

async function load() {
  const status = document.getElementById('status');
  const module = await import(/* @vite-ignore */ `${window.location.origin}/engine-wasm/userdeck_bench_engine.js`);
  await module.default();
  Engine = module.Engine;
  const response = await fetch('/users.json');
  if (!response.ok) throw new Error(`/users.json answered ${response.status}`);
  window.benchData = await response.text();
  status.textContent = 'ready';
}

window.bench = { ready: load(), run };
