// A service page: each instance with why it has its status, its lease, check, weight and labels; the
// service's policy and recent changes; and, with an operator token, the actions of the public API.
// The explanations come from the catalog view (GET /services/{name}) only: stream events leave them out, so
// whenever the store holds instances of this service without one (after an event or a snapshot from either
// stream), the page re-reads that view once the burst is over.

import { api, token } from './api.js';
import { age, el } from './dom.js';
import { EventStream } from './stream.js';

const RECENT = 20;
// Stream events arriving within this long of each other lead to one re-read of the catalog view.
const REREAD_MS = 250;

export class ServicePage {
  constructor(store, name, ui) {
    this.store = store;
    this.name = name;
    this.ui = ui;
    this.recent = [];
    this.policy = null;
    this.pendingDeregister = null;
  }

  mount(root) {
    this.title = el('h2', {}, this.name);
    this.mode = el('p', { id: 'action-mode', class: 'mode' });
    this.policyBox = el('section', { id: 'policy', class: 'panel', 'aria-labelledby': 'policy-title' });
    this.tbody = el('tbody', { id: 'instances-body' });
    this.changes = el('ol', { id: 'recent-changes', class: 'changes', reversed: true });
    root.replaceChildren(
      el('p', { class: 'crumbs' }, el('a', { href: '#/' }, '← All services')),
      this.title, this.mode,
      el('section', { class: 'panel', 'aria-labelledby': 'instances-title' },
        el('h3', { id: 'instances-title' }, 'Instances'),
        el('div', { class: 'wide' }, el('table', { class: 'instances', id: 'instances-table' },
          el('thead', {}, el('tr', {}, ['Instance', 'Status', 'Actions', 'Why', 'Last heartbeat', 'Weight',
            'Check', 'Zone', 'Version', 'Tags', 'Metadata'].map(h => el('th', { scope: 'col' }, h)))),
          this.tbody))),
      this.policyBox,
      el('section', { class: 'panel', 'aria-labelledby': 'changes-title' },
        el('h3', { id: 'changes-title' }, 'Recent changes'), this.changes));
    this.unsubscribe = this.store.subscribe(name => {
      if (name === null || name === this.name) {
        this.render();
        if (this.unexplained()) {
          this.scheduleReread();
        }
      }
    });
    this.ticker = setInterval(() => this.tick(), 1000);
    this.render();
    this.load();
  }

  unmount() {
    this.unsubscribe?.();
    clearInterval(this.ticker);
    clearTimeout(this.rereadTimer);
    this.unmounted = true;
    this.stream?.stop();
  }

  /** True when an instance came from a stream event or snapshot, which carry no explanation. */
  unexplained() {
    const s = this.store.services.get(this.name);
    return !!s && [...s.instances.values()].some(i => !i.explanation);
  }

  /** Re-reads the catalog view once the current burst of events is over; one read at a time. */
  scheduleReread() {
    if (this.rereadTimer || this.unmounted) {
      return;
    }
    this.rereadTimer = setTimeout(() => this.reread(), REREAD_MS);
  }

  async reread() {
    this.rereadTimer = null;
    if (this.rereading) {
      this.rereadAgain = true;
      return;
    }
    this.rereading = true;
    try {
      const detail = await api.service(this.name);
      const known = this.store.services.get(this.name);
      if (!this.unmounted && (!known || detail.index >= known.index)) {
        this.store.serviceSnapshot(detail);
      } else if (!this.unmounted) {
        this.rereadAgain = true; // older than an event seen meanwhile
      }
    } catch (e) {
      if (e.status !== 404) {
        this.ui.notify(e.message);
      }
    } finally {
      this.rereading = false;
      if (this.rereadAgain) {
        this.rereadAgain = false;
        this.scheduleReread();
      }
    }
  }

  /** Fresh heartbeat times and the policy, then the service's stream from a little before now. */
  async load() {
    try {
      const detail = await api.service(this.name);
      this.store.serviceSnapshot(detail);
      this.openStream(detail.index);
    } catch (e) {
      if (e.status === 404) {
        this.tbody.replaceChildren(el('tr', {}, el('td', { colspan: '11' },
          'No instance of ' + this.name + ' is registered.')));
        this.openStream(null);
      } else {
        this.ui.notify(e.message);
      }
    }
    this.loadPolicy();
  }

  async loadPolicy() {
    try {
      this.policy = await api.policy(this.name);
    } catch (e) {
      this.policy = e.status === 404 ? {} : null;
      if (e.status !== 404) {
        this.ui.notify('Policy: ' + e.message);
      }
    }
    this.renderPolicy();
  }

  /** The one-service stream, resumed RECENT changes back so that its history lists the latest changes. */
  openStream(index) {
    this.stream?.stop();
    const from = index === null ? null : String(Math.max(0, index - RECENT));
    this.stream = new EventStream('/watch?name=' + encodeURIComponent(this.name), {
      lastEventId: from,
      headers: () => this.ui.headers(),
      onState: () => {},
      onEvent: (kind, data) => {
        if (kind === 'snapshot') {
          this.store.serviceSnapshot(data);
          return;
        }
        this.recent.unshift(data);
        this.recent.length = Math.min(this.recent.length, RECENT);
        this.store.change(data);
        this.renderChanges();
        if (kind === 'updated' || kind === 'registered') {
          this.loadPolicy();
        }
      },
    }).start();
  }

  canAct() {
    return !!token();
  }

  render() {
    const s = this.store.services.get(this.name);
    this.mode.textContent = this.canAct()
      ? 'Actions use your operator token; Beacon checks its scope on every request.'
      : 'Read-only: no operator token is set. Enter one above to drain, return, deregister, change weights or set the split.';
    this.mode.dataset.mode = this.canAct() ? 'operator' : 'read-only';
    if (!s) {
      return;
    }
    const instances = [...s.instances.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    this.tbody.replaceChildren(...instances.map(i => this.row(i)));
    this.tick();
    this.renderPolicy();
  }

  row(i) {
    const x = i.explanation || {};
    const disabled = !this.canAct();
    const drained = i.status === 'OUT_OF_SERVICE';
    const weight = el('input', { type: 'number', min: '1', max: '1000', value: String(i.weight), disabled,
      'aria-label': 'Weight of ' + i.id, class: 'weight' });
    const actions = el('td', { class: 'actions' },
      el('button', { type: 'button', disabled, dataset: { action: drained ? 'return' : 'drain' },
        onclick: () => this.act(() => api.setStatus(this.name, i.id, drained ? 'UP' : 'OUT_OF_SERVICE'),
          (drained ? 'Returned ' : 'Drained ') + i.id) }, drained ? 'Return' : 'Drain'),
      el('button', { type: 'button', disabled, class: 'danger', dataset: { action: 'deregister' },
        onclick: e => this.deregister(i.id, e.target) }, this.pendingDeregister === i.id ? 'Confirm deregister' : 'Deregister'));
    const why = el('td', { class: 'why' }, el('span', { class: 'sentence' }, x.sentence || i.statusReason || ''));
    if (x.cause === 'STALE') {
      why.append(' ', el('strong', { class: 'live-age', dataset: { since: i.lastHeartbeat, prefix: 'No heartbeat for ' } }));
    }
    const address = i.address + ':' + i.port;
    return el('tr', { dataset: { instance: i.id, status: i.status } },
      el('th', { scope: 'row' }, el('span', { class: 'id' }, i.id),
        address === i.id ? null : [el('br'), el('span', { class: 'addr' }, address)]),
      el('td', {}, el('span', { class: 'badge st-' + i.status }, i.status.replaceAll('_', ' ')),
        i.ejected ? el('span', { class: 'badge ejected' }, 'EJECTED') : null),
      actions,
      why,
      el('td', {}, el('span', { class: 'live-age', dataset: { since: i.lastHeartbeat, suffix: ' ago' } }),
        el('br'), el('small', {}, 'lease ' + i.leaseSeconds + ' s')),
      el('td', {}, el('form', { class: 'inline', onsubmit: e => { e.preventDefault();
        this.act(() => api.setWeight(this.name, i.id, Number(weight.value)), 'Weight of ' + i.id + ' set'); } },
      weight, el('button', { type: 'submit', disabled, dataset: { action: 'weight' } }, 'Set'))),
      el('td', {}, i.check ? [i.check.http || i.check.tcp, el('br'), el('small', {},
        i.check.passing === true ? 'passing' : i.check.passing === false ? 'failing' : 'no verdict yet',
        ' · every ', i.check.interval)] : '—'),
      el('td', {}, i.zone || '—'),
      el('td', {}, i.version || '—'),
      el('td', { class: 'list' }, (i.tags || []).join(', ')),
      el('td', { class: 'list' }, Object.entries(i.metadata || {}).map(([k, v]) => el('div', {}, el('code', {}, k), ' = ', v))));
  }

  deregister(id, button) {
    if (this.pendingDeregister !== id) {
      this.pendingDeregister = id;
      button.textContent = 'Confirm deregister';
      return;
    }
    this.pendingDeregister = null;
    this.act(() => api.deregister(this.name, id), 'Deregistered ' + id);
  }

  async act(call, done) {
    try {
      await call();
      this.ui.notify(done, 'ok');
    } catch (e) {
      this.ui.notify((e.status ? e.status + ': ' : '') + e.message);
    }
  }

  renderPolicy() {
    if (!this.policyBox) {
      return;
    }
    const p = this.policy;
    // drawn again only when it changed: a redraw would drop what an operator is typing
    const drawn = JSON.stringify([p, this.canAct()]);
    if (drawn === this.drawnPolicy) {
      return;
    }
    this.drawnPolicy = drawn;
    const split = p?.split?.map(v => v.version + '=' + v.weight).join(', ') || '';
    const disabled = !this.canAct() || p === null;
    const input = el('input', { id: 'split-input', type: 'text', value: split, disabled, placeholder: 'v1=90, v2=10',
      'aria-describedby': 'split-help' });
    this.policyBox.replaceChildren(
      el('h3', { id: 'policy-title' }, 'Policy'),
      el('dl', { class: 'policy' },
        el('dt', {}, 'Strategy'), el('dd', { id: 'policy-strategy' }, p?.strategy || 'default (round_robin unless configured)'),
        el('dt', {}, 'Version split'), el('dd', { id: 'policy-split' }, split || 'none')),
      el('form', { class: 'inline', onsubmit: e => { e.preventDefault(); this.setSplit(input.value); } },
        el('label', { for: 'split-input' }, 'Split'), input,
        el('button', { type: 'submit', disabled, dataset: { action: 'split' } }, 'Set split'),
        el('small', { id: 'split-help' }, 'version=weight pairs, comma-separated; empty removes the split')));
  }

  async setSplit(text) {
    const split = text.split(',').map(s => s.trim()).filter(Boolean).map(pair => {
      const [version, weight] = pair.split('=').map(s => s.trim());
      return { version, weight: Number(weight) };
    });
    const next = { ...(this.policy || {}) };
    if (split.length) {
      next.split = split;
    } else {
      delete next.split;
    }
    await this.act(() => api.putPolicy(this.name, next), 'Split of ' + this.name + ' set');
    this.loadPolicy();
  }

  renderChanges() {
    this.changes.replaceChildren(...this.recent.map(c => el('li', {},
      el('code', {}, '#' + c.index), ' ', c.kind.replaceAll('_', ' '), ' ', el('strong', {}, c.instance.id),
      ' → ', c.instance.status, c.instance.statusReason ? ' (' + c.instance.statusReason + ')' : '')));
  }

  /** Ticks the heartbeat ages every second. */
  tick() {
    const now = Date.now();
    for (const e of this.tbody.querySelectorAll('.live-age')) {
      const since = Date.parse(e.dataset.since);
      e.textContent = (e.dataset.prefix || '') + age(now - since) + (e.dataset.suffix || '');
    }
  }
}

