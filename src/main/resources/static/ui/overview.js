// The services overview: every service with its instance counts by status, filtered by name, tag and
// zone, sorted by any column. Only the rows in view are in the DOM (a virtualised table), so 5,000
// services and 50,000 instances neither freeze the page nor fill it with nodes.

import { el } from './dom.js';
import { STATUSES } from './store.js';

const ROW_HEIGHT = 32;
const OVERSCAN = 8;

const COLUMNS = [
  { key: 'name', label: 'Service', numeric: false },
  { key: 'total', label: 'Instances', numeric: true },
  ...STATUSES.map(s => ({ key: s, label: s.replaceAll('_', ' '), numeric: true })),
  { key: 'zones', label: 'Zones', numeric: false, sortable: false },
  { key: 'tags', label: 'Tags', numeric: false, sortable: false },
];

export class Overview {
  constructor(store) {
    this.store = store;
    this.filter = { name: '', tag: '', zone: '' };
    this.sort = { key: 'name', dir: 1 };
    this.rows = [];
    this.dirty = true;
    this.metrics = { filterMs: 0, renderMs: 0, rows: 0 };
    this.frame = 0;
  }

  mount(root) {
    const input = (key, label, hint) => el('label', { class: 'filter' }, label,
      el('input', { type: 'search', id: 'filter-' + key, value: this.filter[key], placeholder: hint,
        oninput: e => { this.filter[key] = e.target.value.trim().toLowerCase(); this.refresh(); } }));
    this.count = el('p', { id: 'overview-count', class: 'count', role: 'status', 'aria-live': 'polite' });
    this.head = el('tr', {}, COLUMNS.map(c => this.header(c)));
    this.body = el('tbody', { id: 'services-body' });
    this.viewport = el('div', { class: 'viewport', id: 'services-viewport', tabindex: '0',
      'aria-label': 'Services, scroll for more', onscroll: () => this.draw() },
    el('table', { class: 'services', id: 'services-table' },
      el('caption', { class: 'visually-hidden' }, 'Services and their instances by status'),
      el('thead', {}, this.head), this.body));
    root.replaceChildren(
      el('h2', {}, 'Services'),
      el('div', { class: 'filters', role: 'search' },
        input('name', 'Name', 'orders'), input('tag', 'Tag', 'http'), input('zone', 'Zone', 'eu-west-1a'),
        this.count),
      this.viewport);
    this.unsubscribe = this.store.subscribe(() => this.schedule());
    this.refresh();
  }

  unmount() {
    this.unsubscribe?.();
    cancelAnimationFrame(this.frame);
  }

  header(c) {
    if (c.sortable === false) {
      return el('th', { scope: 'col' }, c.label);
    }
    const active = this.sort.key === c.key;
    return el('th', { scope: 'col', class: c.numeric ? 'num' : '',
      'aria-sort': active ? (this.sort.dir > 0 ? 'ascending' : 'descending') : 'none' },
    el('button', { type: 'button', class: 'sort', dataset: { sort: c.key },
      onclick: () => this.sortBy(c.key) }, c.label, el('span', { 'aria-hidden': 'true' },
      active ? (this.sort.dir > 0 ? ' ▲' : ' ▼') : '')));
  }

  sortBy(key) {
    this.sort = this.sort.key === key ? { key, dir: -this.sort.dir } : { key, dir: key === 'name' ? 1 : -1 };
    this.head.replaceChildren(...COLUMNS.map(c => this.header(c)));
    this.refresh();
  }

  /** Coalesces stream changes into one redraw per animation frame. */
  schedule() {
    this.dirty = true;
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => { this.frame = 0; this.refresh(); });
    }
  }

  /** Filters and sorts, then draws the rows in view; synchronous, so a test can time it. */
  refresh() {
    const t0 = performance.now();
    const { name, tag, zone } = this.filter;
    const rows = [];
    for (const s of this.store.services.values()) {
      if (name && !s.name.includes(name)) {
        continue;
      }
      const sum = this.store.summary(s);
      if ((tag && !sum.tagKey.includes(tag)) || (zone && !sum.zoneKey.includes(zone))) {
        continue;
      }
      rows.push(s);
    }
    const { key, dir } = this.sort;
    const value = s => key === 'name' ? s.name : key === 'total' ? s.summary.total : s.summary.counts[key];
    rows.sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      const c = va < vb ? -1 : va > vb ? 1 : 0;
      return c !== 0 ? c * dir : (a.name < b.name ? -1 : 1);
    });
    this.rows = rows;
    const t1 = performance.now();
    this.draw();
    const t2 = performance.now();
    this.metrics = { filterMs: t1 - t0, renderMs: t2 - t1, rows: rows.length };
    const total = this.store.services.size;
    this.count.textContent = rows.length === total
      ? `${total} services, ${this.store.instanceCount()} instances`
      : `${rows.length} of ${total} services`;
  }

  /** Draws only the rows in view, with spacer rows standing for the rest. */
  draw() {
    const height = this.viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((this.viewport.scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
    const spacer = n => {
      const td = el('td', { colspan: String(COLUMNS.length) });
      const tr = el('tr', { class: 'spacer', 'aria-hidden': 'true' }, td);
      tr.style.height = (n * ROW_HEIGHT) + 'px';
      return tr;
    };
    const trs = [spacer(first)];
    for (let r = first; r < last; r++) {
      trs.push(this.row(this.rows[r]));
    }
    trs.push(spacer(this.rows.length - last));
    this.body.replaceChildren(...trs);
  }

  row(s) {
    const sum = this.store.summary(s);
    return el('tr', { dataset: { service: s.name } },
      el('th', { scope: 'row' }, el('a', { href: '#/services/' + encodeURIComponent(s.name) }, s.name)),
      el('td', { class: 'num' }, sum.total),
      STATUSES.map(k => el('td', { class: 'num' + (sum.counts[k] ? ' st-' + k : ' zero'), dataset: { status: k } },
        sum.counts[k])),
      el('td', { class: 'list' }, sum.zones.join(', ')),
      el('td', { class: 'list' }, sum.tags.join(', ')));
  }
}
