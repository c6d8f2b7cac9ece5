// Small DOM helpers: elements are built with properties and text, never from HTML strings.

export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k === 'class') {
      e.className = v;
    } else if (k === 'dataset') {
      Object.assign(e.dataset, v);
    } else if (k.startsWith('on')) {
      e.addEventListener(k.slice(2), v);
    } else if (k in e && typeof v !== 'string') {
      e[k] = v;
    } else {
      e.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined && c !== false) {
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  return e;
}

/** "34 s", "5 min 3 s", "2 h 4 min" */
export function age(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) {
    return s + ' s';
  }
  if (s < 3600) {
    return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  }
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

/** 12:03:10 in UTC, as Beacon's sentences write times. */
export function clock(iso) {
  return iso ? new Date(iso).toISOString().slice(11, 19) + ' UTC' : '';
}
