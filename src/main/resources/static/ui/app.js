// The console's entry point: the all-services stream feeding the store, the registry state, the
// operator token, and a hash router between the overview (#/) and a service page (#/services/NAME).

import { api, headers, setToken, token } from './api.js';
import { el } from './dom.js';
import { Overview } from './overview.js';
import { ServicePage } from './service.js';
import { Store } from './store.js';
import { EventStream } from './stream.js';

const store = new Store();
const $ = id => document.getElementById(id);
let page = null;
let healthTimer = 0;

const ui = {
  headers: () => headers(),
  notify(message, kind = 'error') {
    const n = $('notice');
    n.textContent = message;
    n.dataset.kind = kind;
    n.hidden = false;
    clearTimeout(ui.noticeTimer);
    ui.noticeTimer = setTimeout(() => { n.hidden = true; }, kind === 'ok' ? 4000 : 10000);
  },
};

function connection(state, detail = {}) {
  const c = $('connection');
  c.dataset.state = state;
  if (state === 'live') {
    c.textContent = 'Live: changes arrive as they happen';
  } else if (state === 'connecting') {
    c.textContent = 'Connecting…';
  } else if (state === 'denied') {
    c.textContent = detail.status === 401
      ? 'Not connected: this Beacon needs a token with the read scope. Enter one above.'
      : 'Not connected: ' + (detail.problem?.detail || 'the token may not read the registry.');
  } else {
    const from = detail.lastEventId === null || detail.lastEventId === undefined ? '' : ', resuming after event ' + detail.lastEventId;
    c.textContent = 'Disconnected: reconnecting' + (detail.delay ? ' in ' + Math.round(detail.delay / 100) / 10 + ' s' : '…') + from;
  }
}

const stream = new EventStream('/watch', {
  headers: () => headers(),
  onState: (state, detail) => {
    connection(state, detail);
    if (state === 'live') {
      registryState();
    }
  },
  onEvent: (kind, data) => {
    if (kind === 'snapshot') {
      store.snapshot(data);
    } else if (store.change(data) && data.kind === 'status_changed') {
      // self-preservation follows lapsing leases: read it again, at most once a second
      clearTimeout(healthTimer);
      healthTimer = setTimeout(registryState, 1000);
    }
  },
});

/** Self-preservation and cluster members, from the actuator health document. */
async function registryState() {
  let health;
  try {
    health = await api.health();
  } catch (e) {
    health = e.problem && e.problem.components ? e.problem : null;
    if (!health) {
      $('self-preservation').textContent = 'Registry state unavailable: ' + e.message;
      return;
    }
  }
  const sp = health.components?.selfPreservation?.details;
  const p = $('self-preservation');
  if (!sp) {
    p.textContent = 'Self-preservation: not reported by this Beacon.';
  } else if (sp.active) {
    p.dataset.active = 'true';
    p.textContent = `Self-preservation is on: ${sp.reason}. Beacon keeps STALE instances instead of evicting them, `
      + 'because so many lapsing at once more likely means a network problem than dead instances. Check the network '
      + 'between the instances and Beacon; it turns itself off when heartbeats recover.';
  } else {
    p.dataset.active = 'false';
    p.textContent = sp.enabled
      ? `Self-preservation is off: instances that stop heartbeating are evicted normally. It turns on if more than ${sp.thresholdPercent}% of the instances lapse at once.`
      : 'Self-preservation is disabled by configuration: lapsed instances are always evicted.';
  }
  const cluster = health.components?.cluster?.details;
  const box = $('cluster');
  if (!cluster) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const holder = cluster.expiryHolder || cluster.roleHolder || cluster.coordinator;
  box.replaceChildren(el('h3', {}, 'Cluster'),
    el('p', {}, `This member is ${cluster.member}; ${cluster.size} member${cluster.size === 1 ? '' : 's'}. `
      + `The expiry role (marking STALE, evicting) is held by ${holder}.`),
    el('ul', { id: 'cluster-members' }, (cluster.members || []).map(m => el('li', { dataset: { member: m } }, m,
      m === holder ? el('strong', {}, ' (expiry role)') : null, m === cluster.member ? ' (this member)' : null))));
}

function tokenState() {
  const has = !!token();
  $('token-forget').hidden = !has;
  $('token-input').value = '';
  $('token-input').placeholder = has ? 'a token is set for this tab' : 'paste a token';
  $('token-state').textContent = has
    ? 'Token set for this tab only.'
    : 'No token: read-only.';
}

function route() {
  page?.unmount();
  const hash = location.hash || '#/';
  const m = hash.match(/^#\/services\/(.+)$/);
  page = m ? new ServicePage(store, decodeURIComponent(m[1]), ui) : new Overview(store);
  page.mount($('view'));
  window.beaconConsole.page = page;
  document.title = m ? decodeURIComponent(m[1]) + ' · Beacon console' : 'Beacon console';
}

$('token-form').addEventListener('submit', e => {
  e.preventDefault();
  const value = $('token-input').value.trim();
  if (!value) {
    return;
  }
  setToken(value);
  tokenState();
  stream.restart();
  route();
});
$('token-forget').addEventListener('click', () => {
  setToken(null);
  tokenState();
  stream.restart();
  route();
});
window.addEventListener('hashchange', route);
// the member list and self-preservation are read again whenever the tab is looked at again
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) {
    registryState();
  }
});

window.beaconConsole = { store, stream, page: null };
tokenState();
route();
stream.start();
