// Beacon's public API, as any client uses it. The operator token lives in sessionStorage only (never in a
// URL, never in localStorage): it is gone when the tab closes.

const TOKEN_KEY = 'beacon.console.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

/** Headers for a request: the bearer token when one is kept. */
export function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const t = token();
  if (t) {
    h.Authorization = 'Bearer ' + t;
  }
  return h;
}

/** An API answer that is not 2xx, with the problem's detail when Beacon sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || ('HTTP ' + status));
    this.status = status;
    this.problem = problem;
  }
}

async function call(method, path, body) {
  const init = { method, headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch (e) {
      // not a problem document
    }
    throw new ApiError(response.status, problem);
  }
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

const seg = encodeURIComponent;

export const api = {
  service: name => call('GET', `/services/${seg(name)}`),
  policy: name => call('GET', `/services/${seg(name)}/policy`),
  putPolicy: (name, policy) => call('PUT', `/services/${seg(name)}/policy`, policy),
  health: () => call('GET', '/actuator/health'),
  setStatus: (name, id, status) => call('PUT', `/services/${seg(name)}/instances/${seg(id)}/status`, { status }),
  setWeight: (name, id, weight) => call('PUT', `/services/${seg(name)}/instances/${seg(id)}/weight`, { weight }),
  deregister: (name, id) => call('DELETE', `/deregister/${seg(name)}/${seg(id)}`),
};
