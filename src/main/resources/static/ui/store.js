// The registry as the all-services stream shows it: a snapshot, then one event per change.

export const STATUSES = ['UP', 'DOWN', 'STALE', 'OUT_OF_SERVICE', 'STARTING'];

export class Store {
  constructor() {
    this.services = new Map();
    this.listeners = new Set();
    this.changes = 0;
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(name) {
    this.changes++;
    for (const l of this.listeners) {
      l(name);
    }
  }

  /** The all-services snapshot: {position, services: [{name, index, instances}]}. */
  snapshot(data) {
    this.services.clear();
    for (const s of data.services) {
      this.put(s.name, s.index, s.instances);
    }
    this.notify(null);
  }

  /** A one-service snapshot: {name, index, instances}. */
  serviceSnapshot(data) {
    this.put(data.name, data.index, data.instances);
    this.notify(data.name);
  }

  put(name, index, instances) {
    const map = new Map();
    for (const i of instances) {
      map.set(i.id, i);
    }
    if (map.size === 0) {
      this.services.delete(name);
    } else {
      this.services.set(name, { name, index, instances: map, summary: null });
    }
  }

  /** A change: {kind, name, index, instance}. Events older than what the store holds are skipped. */
  change(data) {
    let s = this.services.get(data.name);
    if (s && data.index <= s.index) {
      return false;
    }
    if (!s) {
      s = { name: data.name, index: data.index, instances: new Map(), summary: null };
      this.services.set(data.name, s);
    }
    s.index = data.index;
    s.summary = null;
    if (data.kind === 'deregistered' || data.kind === 'evicted') {
      s.instances.delete(data.instance.id);
      if (s.instances.size === 0) {
        this.services.delete(data.name);
      }
    } else {
      s.instances.set(data.instance.id, data.instance);
    }
    this.notify(data.name);
    return true;
  }

  /** Counts by status, zones and tags of a service, worked out once per change of it. */
  summary(s) {
    if (s.summary) {
      return s.summary;
    }
    const counts = Object.fromEntries(STATUSES.map(k => [k, 0]));
    const zones = new Set();
    const tags = new Set();
    let ejected = 0;
    for (const i of s.instances.values()) {
      counts[i.status] = (counts[i.status] || 0) + 1;
      if (i.ejected) {
        ejected++;
      }
      if (i.zone) {
        zones.add(i.zone);
      }
      for (const t of i.tags || []) {
        tags.add(t);
      }
    }
    s.summary = {
      total: s.instances.size, counts, ejected,
      zones: [...zones].sort(), tags: [...tags].sort(),
      zoneKey: [...zones].join('\n').toLowerCase(), tagKey: [...tags].join('\n').toLowerCase(),
    };
    return s.summary;
  }

  instanceCount() {
    let n = 0;
    for (const s of this.services.values()) {
      n += s.instances.size;
    }
    return n;
  }
}
