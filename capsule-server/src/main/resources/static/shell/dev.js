/*
 * The development preview's panel (GET /dev, capsule dev DIR; docs/host.md "Development preview").
 *
 * It shows, beside the device that shell.js drives, what shell.js announces as DOM events: `capsule-dev`
 * ({kind, entry}: the session's dev frames — log lines, violations, API calls, the page's data, audit events),
 * `capsule-state` (the connection) and `capsule-page` (the route shown); and it long-polls /dev/build for the
 * build's outcome (errors with file:line:col, warnings), reloading the page when a first package builds or the
 * app id changes. shell.js itself reconnects to a new session when the server sends `reload`.
 *
 * Everything shown is text from the server (much of it the guest's): it is written with textContent only, into
 * elements made with document.createElement. No innerHTML, no eval, no string timers, no inline anything.
 */
(() => {
  'use strict';

  /** Lines kept per list; older ones are dropped (a chatty mini-program cannot grow the page without bound). */
  const LINES_MAX = 500;
  /** Characters of one line shown; the rest is cut. */
  const LINE_CHARS_MAX = 2000;
  /** Characters of the page data shown (pretty-printed JSON); the rest is cut. */
  const DATA_CHARS_MAX = 200000;
  /** Waits between failed polls of /dev/build, growing to the last. */
  const POLL_BACKOFF_MILLIS = [250, 1000, 2000, 5000];
  const BUILD_PATH = '/dev/build';

  const $ = (id) => document.getElementById(id);
  const body = document.body;
  const ui = {
    consoleList: $('capsule-dev-console'), auditList: $('capsule-dev-audit'), dataRoute: $('capsule-dev-data-route'),
    dataJson: $('capsule-dev-data-json'), build: $('capsule-dev-build'), warnings: $('capsule-dev-warnings'),
    app: $('capsule-dev-app'), route: $('capsule-dev-route'), connection: $('capsule-dev-connection'),
    clear: $('capsule-dev-clear'),
  };
  const appId = body.dataset.appId || null;
  let generation = Number.parseInt(body.dataset.buildGeneration || '0', 10) || 0;
  let opened = false;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = cut(String(text), LINE_CHARS_MAX);
    }
    return node;
  }

  function cut(text, max) {
    return text.length > max ? text.slice(0, max) + '\u2026' : text;
  }

  function clock() {
    const now = new Date();
    const pad = (n, w) => String(n).padStart(w, '0');
    return pad(now.getHours(), 2) + ':' + pad(now.getMinutes(), 2) + ':' + pad(now.getSeconds(), 2) + '.'
      + pad(now.getMilliseconds(), 3);
  }

  function str(value) {
    return typeof value === 'string' ? value : (value === undefined || value === null ? '' : String(value));
  }

  /** Appends one line (time, a label, the text) to a list, dropping the oldest beyond LINES_MAX. */
  function line(list, kind, label, text) {
    const item = el('li', 'capsule-dev-line capsule-dev-' + kind);
    item.dataset.kind = kind;
    item.append(el('span', 'capsule-dev-time', clock()), el('span', 'capsule-dev-label', label), el('span', 'capsule-dev-text', text));
    const follow = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
    list.append(item);
    while (list.childElementCount > LINES_MAX) {
      list.firstElementChild.remove();
    }
    if (follow) {
      list.scrollTop = list.scrollHeight;
    }
  }

  function separator(list, text) {
    const item = el('li', 'capsule-dev-line capsule-dev-separator', text);
    item.dataset.kind = 'separator';
    list.append(item);
  }

  // ---- the session's dev frames ----

  function onDev(detail) {
    if (!detail || typeof detail.kind !== 'string' || !detail.entry || typeof detail.entry !== 'object') {
      return;
    }
    const entry = detail.entry;
    switch (detail.kind) {
      case 'log':
        line(ui.consoleList, 'log', str(entry.level) || 'log', str(entry.text));
        break;
      case 'violation':
        line(ui.consoleList, 'violation', 'violation ' + str(entry.kind),
          str(entry.message) + (entry.sessionEnded === true ? ' (the session was stopped)' : ''));
        break;
      case 'api':
        line(ui.consoleList, entry.ok === true ? 'api' : 'api-failed', 'wx.' + str(entry.name),
          entry.ok === true ? 'ok' : 'fail' + (entry.reason ? ': ' + str(entry.reason) : ''));
        break;
      case 'data':
        showData(str(entry.route), entry.data);
        break;
      case 'audit':
        line(ui.auditList, 'audit', str(entry.action) + ' ' + str(entry.outcome), str(entry.detail));
        break;
      default:
        break; // a kind this panel does not know yet
    }
  }

  function showData(route, data) {
    ui.dataRoute.textContent = cut(route || '(no route)', LINE_CHARS_MAX);
    let text;
    try {
      text = JSON.stringify(data === undefined ? null : data, null, 2);
    } catch (e) {
      text = '(not shown: ' + str(e && e.message) + ')';
    }
    ui.dataJson.textContent = cut(text, DATA_CHARS_MAX);
  }

  document.addEventListener('capsule-dev', (e) => onDev(e.detail));
  document.addEventListener('capsule-page', (e) => {
    ui.route.textContent = e.detail && typeof e.detail.route === 'string' ? cut(e.detail.route, LINE_CHARS_MAX) : '';
  });
  document.addEventListener('capsule-state', (e) => {
    const state = e.detail && typeof e.detail.state === 'string' ? e.detail.state : '';
    ui.connection.textContent = state;
    ui.connection.dataset.state = state;
    if (state === 'open') {
      if (opened) {
        separator(ui.consoleList, 'a new session (the preview reloaded)');
      }
      opened = true;
    }
  });

  // ---- tabs and clearing ----

  const tabs = [...document.querySelectorAll('.capsule-dev-tabs [role="tab"]')];
  const panels = [...document.querySelectorAll('.capsule-dev-panel [role="tabpanel"]')];
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      for (const other of tabs) {
        other.setAttribute('aria-selected', String(other === tab));
      }
      for (const panel of panels) {
        panel.hidden = panel.dataset.panel !== tab.dataset.panel;
      }
    });
  }
  ui.clear.addEventListener('click', () => {
    ui.consoleList.replaceChildren();
    ui.auditList.replaceChildren();
  });

  // ---- the build ----

  function showBuild(status) {
    const error = $('capsule-dev-error');
    if (error) {
      error.remove();
    }
    if (status.failure && typeof status.failure === 'object') {
      const f = status.failure;
      const box = el('div', 'capsule-dev-error');
      box.id = 'capsule-dev-error';
      box.setAttribute('role', 'alert');
      box.append(el('span', 'capsule-dev-error-label', 'Build error'));
      if (str(f.file)) {
        box.append(el('code', 'capsule-dev-error-where', str(f.file) + ':' + str(f.line) + ':' + str(f.column)));
      }
      box.append(el('span', 'capsule-dev-error-message', str(f.message)));
      ui.build.prepend(box);
      line(ui.consoleList, 'build-failed', 'build', 'failed: ' + (str(f.file) ? str(f.file) + ':' + str(f.line) + ':' + str(f.column) + ' ' : '')
        + str(f.message));
    } else {
      line(ui.consoleList, 'built', 'build', 'built ' + str(status.app));
    }
    const warnings = Array.isArray(status.warnings) ? status.warnings : [];
    ui.warnings.replaceChildren(...warnings.slice(0, LINES_MAX).map((w) => el('li', null, str(w))));
    ui.app.textContent = status.app ? str(status.app) : 'not built';
  }

  async function poll() {
    let failures = 0;
    for (;;) {
      try {
        const response = await fetch(BUILD_PATH + '?after=' + encodeURIComponent(String(generation)), {
          credentials: 'same-origin', cache: 'no-store', headers: {Accept: 'application/json'},
        });
        if (!response.ok) {
          throw new Error('HTTP ' + response.status);
        }
        const status = await response.json();
        failures = 0;
        if (typeof status.generation === 'number' && status.generation > generation) {
          generation = status.generation;
          if (status.app && status.app !== appId) {
            // A first package, or capsule.json's id changed: the device belongs to another app now.
            window.location.reload();
            return;
          }
          showBuild(status);
        }
      } catch (e) {
        const wait = POLL_BACKOFF_MILLIS[Math.min(failures, POLL_BACKOFF_MILLIS.length - 1)];
        failures += 1;
        if (failures === 2) {
          line(ui.consoleList, 'build-failed', 'preview', 'the preview server does not answer (stopped?); retrying');
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  poll();
})();
