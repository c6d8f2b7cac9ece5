// A Server-Sent Events reader over fetch(). EventSource cannot send an Authorization header, and Beacon
// asks for a `read` token on /watch when access control is enforced; fetch can, and it also lets the
// console send Last-Event-ID itself when it reconnects, so a dropped stream resumes where it stopped.

const BACKOFF_MS = [500, 1000, 2000, 5000, 10000];

export class EventStream {
  /**
   * @param url the stream, for example /watch
   * @param options headers(): request headers; onEvent(name, data, id); onState(state, detail) with state
   *     'connecting' | 'live' | 'reconnecting' | 'denied'; lastEventId: where to resume from
   */
  constructor(url, options) {
    this.url = url;
    this.options = options;
    this.lastEventId = options.lastEventId ?? null;
    this.stopped = false;
    this.attempt = 0;
    this.controller = null;
    this.timer = null;
  }

  start() {
    this.stopped = false;
    this.connect();
    return this;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.controller?.abort();
  }

  /** Drops the connection and opens it again at once (after a token change, for example). */
  restart() {
    this.stop();
    this.attempt = 0;
    this.start();
  }

  async connect() {
    const { onState } = this.options;
    onState(this.attempt === 0 ? 'connecting' : 'reconnecting', { lastEventId: this.lastEventId });
    this.controller = new AbortController();
    const headers = { ...this.options.headers(), Accept: 'text/event-stream' };
    if (this.lastEventId !== null) {
      headers['Last-Event-ID'] = this.lastEventId;
    }
    try {
      const response = await fetch(this.url, { headers, signal: this.controller.signal, cache: 'no-store' });
      if (response.status === 401 || response.status === 403) {
        let problem = null;
        try {
          problem = await response.json();
        } catch (e) {
          // no body
        }
        onState('denied', { status: response.status, problem });
        return;
      }
      if (!response.ok || !response.body) {
        throw new Error('HTTP ' + response.status);
      }
      this.attempt = 0;
      onState('live', { lastEventId: this.lastEventId });
      await this.read(response.body);
    } catch (e) {
      if (this.stopped) {
        return;
      }
    }
    if (!this.stopped) {
      this.retry();
    }
  }

  retry() {
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt++;
    this.options.onState('reconnecting', { lastEventId: this.lastEventId, delay });
    this.timer = setTimeout(() => this.connect(), delay);
  }

  async read(body) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let scanFrom = 0;
    let event = { name: 'message', data: [], id: null };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        return;
      }
      buffer += value;
      let start = 0;
      let newline;
      // a snapshot of a large registry is one long data line: look for line ends only in the new text
      while ((newline = buffer.indexOf('\n', Math.max(start, scanFrom))) >= 0) {
        let line = buffer.slice(start, newline);
        if (line.endsWith('\r')) {
          line = line.slice(0, -1);
        }
        start = newline + 1;
        scanFrom = start;
        event = this.line(line, event);
      }
      buffer = buffer.slice(start);
      scanFrom = buffer.length;
    }
  }

  /** Handles one line of the stream; returns the event being built. */
  line(line, event) {
    if (line === '') {
      if (event.data.length > 0) {
        if (event.id !== null) {
          this.lastEventId = event.id;
        }
        this.options.onEvent(event.name, JSON.parse(event.data.join('\n')), event.id);
      }
      return { name: 'message', data: [], id: null };
    }
    if (line.startsWith(':')) {
      return event;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let v = colon < 0 ? '' : line.slice(colon + 1);
    if (v.startsWith(' ')) {
      v = v.slice(1);
    }
    if (field === 'event') {
      event.name = v;
    } else if (field === 'data') {
      event.data.push(v);
    } else if (field === 'id') {
      event.id = v;
    }
    return event;
  }
}
