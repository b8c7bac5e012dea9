// Capsule's host shell: the only script of a shell page (docs/host.md, "The shell page" and "Wire protocol").
//
// Guest code never runs here. The server sends data (JSON frames over one WebSocket); this script builds the
// mini-program's DOM from it with document.createElement (closed tag list), setAttribute (closed attribute list,
// each value checked), classList, style.setProperty and textContent, inside a closed shadow root within a frame
// the guest cannot draw out of. It never uses HTML parsing sinks, eval, Function or string timers (a test greps
// this file), and the page's CSP (require-trusted-types-for 'script'; trusted-types 'none') would refuse them.
'use strict';

(() => {
  // ---- Limits (named, units last) ----
  /** Reconnection attempts with resume after the socket drops, before the shell says the connection is lost. */
  const RECONNECT_ATTEMPTS_MAX = 6;
  const RECONNECT_DELAY_MS_MIN = 500;
  const RECONNECT_DELAY_MS_MAX = 8000;
  /** Input events of one control are sent at most this often (the server's event bucket is per session). */
  const INPUT_INTERVAL_MS = 100;
  const TOAST_MS_DEFAULT = 1500;
  const TOAST_MS_MAX = 10000;
  /** Nodes one page may hold in the shell; a larger page is refused as a protocol error. */
  const NODES_MAX = 100000;
  /** Longest attribute value or style value written to the DOM. */
  const VALUE_CHARS_MAX = 65536;
  /** Longest text shown in host chrome (titles, toasts, prompts); longer text is cut with an ellipsis. */
  const CHROME_TEXT_CHARS_MAX = 2000;
  const ACTION_SHEET_ITEMS_MAX = 6;
  const PICKER_ITEMS_MAX = 1000;
  const CLASSES_MAX = 256;
  /** Values of one control remembered as sent in input events (to recognise the session's echo of them). */
  const SENT_VALUES_MAX = 32;

  // ---- The closed element projection (capsule-runtime's Builtins/HtmlRenderer mapping, BrowserView) ----
  /** HTML tags built-in components render as. */
  const COMPONENT_TAGS = ['div', 'span', 'img', 'button', 'input', 'textarea', 'label', 'a', 'i', 'progress'];
  /** rich-text's tags (RichTextSanitizer.TAGS). */
  const RICH_TEXT_TAGS = ['a', 'abbr', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br', 'caption',
    'center', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'div', 'dl', 'dt', 'em', 'fieldset', 'font', 'footer', 'h1', 'h2',
    'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i', 'img', 'ins', 'label', 'legend', 'li', 'mark', 'nav', 'ol', 'p', 'pre', 'q', 'rt',
    'ruby', 's', 'section', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt',
    'u', 'ul'];
  const TAGS = new Set([...COMPONENT_TAGS, ...RICH_TEXT_TAGS]);

  const TEXT = (v) => v.length <= VALUE_CHARS_MAX;
  const BOOL = (v) => v === 'true' || v === 'false';
  const DIGITS = (v) => /^[0-9]{1,9}$/.test(v);
  const NUMBER = (v) => /^-?[0-9]{1,15}(\.[0-9]{1,15})?$/.test(v);
  const LENGTH = (v) => /^[0-9]{1,6}(\.[0-9]{1,4})?(px|%)?$/.test(v);
  const oneOf = (...choices) => (v) => choices.includes(v);
  /** A same-origin path of safe characters (what BrowserView writes for package images); nothing else is loaded. */
  const SAME_ORIGIN_PATH = /^\/(?!\/)[A-Za-z0-9\-._~%/]{0,2000}(\?[A-Za-z0-9\-._~%=&]{0,2000})?$/;
  const SAME_ORIGIN = (v) => SAME_ORIGIN_PATH.test(v) && !v.includes('/../') && !v.includes('\\');
  /**
   * Every attribute the shell writes, with its value check; an attribute absent here, or a value failing its
   * check, is not written. No event handler, style, href, srcset, action, formaction or name is in the list.
   */
  const ATTRIBUTES = new Map([
    ['id', (v) => v.length <= 256],
    ['hidden', () => true],
    ['aria-label', TEXT],
    ['role', oneOf('button', 'link', 'img', 'text', 'heading', 'list', 'listitem', 'checkbox', 'radio', 'switch', 'tab', 'tablist',
      'dialog', 'none', 'form', 'group', 'radiogroup')],
    ['aria-checked', BOOL],
    ['aria-disabled', BOOL],
    ['aria-busy', BOOL],
    ['src', SAME_ORIGIN],
    ['alt', TEXT],
    ['type', oneOf('button', 'text', 'number', 'password', 'range', '1', 'a', 'A', 'i', 'I')],
    ['disabled', () => true],
    ['value', TEXT],
    ['placeholder', TEXT],
    ['maxlength', (v) => /^-?[0-9]{1,9}$/.test(v)],
    ['for', (v) => v.length <= 256],
    ['min', NUMBER],
    ['max', NUMBER],
    ['step', NUMBER],
    ['width', LENGTH],
    ['height', LENGTH],
    ['span', DIGITS],
    ['start', (v) => DIGITS(v) || /^[0-9:-]{1,10}$/.test(v)],
    ['colspan', DIGITS],
    ['rowspan', DIGITS],
    // picker's data (inert attributes on its trigger element): the host draws the picker itself. The names are
    // BrowserView.ATTRIBUTES exactly (ShellScriptSinksTest compares them).
    ['mode', oneOf('selector', 'multiSelector', 'time', 'date', 'region')],
    ['range', (v) => TEXT(v) && v.startsWith('[')],
    ['range-key', TEXT],
  ]);
  /** Boolean attributes: the wire sends them with a null value. */
  const FLAGS = new Set(['hidden', 'disabled']);
  /** Where type may appear, and with which values (a button never submits; inputs are text-like or range). */
  const TYPES_BY_TAG = {button: ['button'], input: ['text', 'number', 'password', 'range'], ol: ['1', 'a', 'A', 'i', 'I']};
  const CLASS_TOKEN = /^[A-Za-z_-][A-Za-z0-9_-]{0,255}$/;
  const STYLE_PROPERTY = /^(--[A-Za-z0-9_-]{1,64}|-?[a-z][a-z-]{0,63})$/;
  /** The style properties the runtime's StyleRules allows (custom properties are allowed as well). */
  const STYLE_PROPERTIES = new Set(['display', 'position', 'top', 'right', 'bottom', 'left', 'inset', 'z-index', 'float', 'clear',
    'overflow', 'overflow-x', 'overflow-y', 'visibility', 'box-sizing', 'width', 'height', 'min-width', 'min-height', 'max-width',
    'max-height', 'margin', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'padding', 'padding-top', 'padding-right',
    'padding-bottom', 'padding-left', 'flex', 'flex-direction', 'flex-wrap', 'flex-flow', 'flex-grow', 'flex-shrink', 'flex-basis',
    'justify-content', 'align-items', 'align-content', 'align-self', 'order', 'gap', 'row-gap', 'column-gap', 'place-items',
    'place-content', 'place-self', 'justify-items', 'justify-self', 'grid-template-columns', 'grid-template-rows',
    'grid-template-areas', 'grid-area', 'grid-column', 'grid-row', 'grid-column-start', 'grid-column-end', 'grid-row-start',
    'grid-row-end', 'grid-auto-flow', 'grid-auto-columns', 'grid-auto-rows', 'grid-gap', 'color', 'font', 'font-family',
    'font-size', 'font-weight', 'font-style', 'font-variant', 'line-height', 'letter-spacing', 'word-spacing', 'text-align',
    'text-decoration', 'text-decoration-line', 'text-decoration-color', 'text-decoration-style', 'text-indent', 'text-transform',
    'text-overflow', 'text-shadow', 'white-space', 'word-break', 'word-wrap', 'overflow-wrap', 'vertical-align', 'direction',
    'writing-mode', '-webkit-line-clamp', '-webkit-box-orient', 'line-clamp', 'hyphens', 'text-align-last', 'user-select',
    '-webkit-user-select', 'background', 'background-color', 'background-image', 'background-size', 'background-position',
    'background-repeat', 'background-clip', 'background-origin', 'background-attachment', 'border', 'border-top', 'border-right',
    'border-bottom', 'border-left', 'border-width', 'border-style', 'border-color', 'border-radius', 'border-top-left-radius',
    'border-top-right-radius', 'border-bottom-left-radius', 'border-bottom-right-radius', 'border-top-width', 'border-right-width',
    'border-bottom-width', 'border-left-width', 'border-top-style', 'border-right-style', 'border-bottom-style',
    'border-left-style', 'border-top-color', 'border-right-color', 'border-bottom-color', 'border-left-color', 'outline',
    'outline-color', 'outline-style', 'outline-width', 'outline-offset', 'box-shadow', 'opacity', 'transform', 'transform-origin',
    'transition', 'transition-property', 'transition-duration', 'transition-timing-function', 'transition-delay', 'animation',
    'animation-name', 'animation-duration', 'animation-timing-function', 'animation-delay', 'animation-iteration-count',
    'animation-direction', 'animation-fill-mode', 'animation-play-state', 'filter', 'backdrop-filter', '-webkit-backdrop-filter',
    'mix-blend-mode', 'object-fit', 'object-position', 'cursor', 'pointer-events', 'will-change', 'perspective',
    'backface-visibility', 'list-style', 'list-style-type', 'list-style-position', 'table-layout', 'border-collapse',
    'border-spacing', 'resize', 'scroll-behavior', '-webkit-overflow-scrolling', 'touch-action', 'aspect-ratio', 'isolation',
    '-webkit-tap-highlight-color', 'caret-color', 'accent-color', 'content-visibility', 'text-rendering', '-webkit-font-smoothing',
    'font-feature-settings', '-webkit-text-fill-color', '-webkit-text-stroke', '-webkit-box-pack', '-webkit-box-align',
    '-webkit-box-flex']);
  const URL_STYLE_PROPERTIES = new Set(['background', 'background-image']);
  const FORBIDDEN_STYLE = /expression\(|javascript:|vbscript:|behavior|-moz-binding|image-set\(|src\(|data:|@import|\\/i;
  const URL_IN_STYLE = /url\(\s*("([^"]*)"|'([^']*)'|([^"'()\s]*))\s*\)/gi;
  const COLOR = /^(#[0-9A-Fa-f]{3,8}|(rgb|rgba|hsl|hsla)\([0-9.,%\s]{1,64}\)|[a-zA-Z]{1,32})$/;
  const CHROME_FIELDS = new Set(['navigationBarTitle', 'navigationBarFrontColor', 'navigationBarBackgroundColor',
    'navigationBarLoading', 'navigationBarHidden', 'backgroundColor', 'backgroundTextStyle', 'tabBarVisible', 'tabBarSelected',
    'tabBarColor', 'tabBarSelectedColor', 'tabBarBackgroundColor', 'tabBarBorderStyle', 'tabBarItemText', 'tabBarItemIcon',
    'tabBarItemSelectedIcon', 'tabBarItemBadge', 'tabBarItemRedDot', 'pageScrollTop', 'pageScrollDuration', 'pullDownRefreshing']);
  const TAB_BAR_ITEMS_MAX = 5;
  const TYPE_CLASS_PREFIX = '_capsule-';

  // ---- Configuration: only the body's data-* attributes ----
  const body = document.body;
  const config = {
    wsPath: body.dataset.wsPath || '',
    appId: body.dataset.appId || '',
    dev: body.dataset.dev === 'true',
    demo: body.dataset.demo === 'true',
  };
  const $ = (id) => document.getElementById(id);
  const ui = {
    device: $('capsule-device'), frame: $('capsule-frame'), titlebar: $('capsule-titlebar'), title: $('capsule-title'),
    titleLoading: $('capsule-title-loading'), back: $('capsule-back'), tabbar: $('capsule-tabbar'), status: $('capsule-status'),
    toasts: $('capsule-toasts'), sheets: $('capsule-sheets'), appName: $('capsule-app-name'), developer: $('capsule-developer'),
  };

  /** Sets a host-chrome text (always as text; cut to CHROME_TEXT_CHARS_MAX). */
  function chromeText(node, value) {
    const text = typeof value === 'string' ? value : '';
    node.textContent = text.length > CHROME_TEXT_CHARS_MAX ? text.slice(0, CHROME_TEXT_CHARS_MAX) + '\u2026' : text;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      chromeText(node, text);
    }
    return node;
  }

  /** Tells a page that includes the device (the dev preview) what happened; the shadow root stays closed. */
  function announce(type, detail) {
    document.dispatchEvent(new CustomEvent(type, {detail}));
  }

  function setState(state, message) {
    body.dataset.capsuleState = state;
    chromeText(ui.status, message);
    ui.status.dataset.state = state;
    announce('capsule-state', {state});
  }

  // ---- The frame: a closed shadow root inside a contained, clipped element ----
  const host = el('div', 'capsule-frame-host');
  ui.frame.append(host);
  const shadow = host.attachShadow({mode: 'closed'});
  const baseSheet = el('link');
  baseSheet.rel = 'stylesheet';
  baseSheet.href = '/shell/frame.css';
  const pageSheet = el('link');
  pageSheet.rel = 'stylesheet';
  const scroller = el('div', 'capsule-scroller');
  shadow.append(baseSheet, pageSheet, scroller);

  /** The page's nodes by wire id, and back (for events). */
  let nodes = new Map();
  let ids = new WeakMap();
  let route = null;

  class ProtocolError extends Error {}

  function fail(message) {
    throw new ProtocolError(message);
  }

  /** Node ids are integers; negative ones name a text the mapping draws itself (an icon's glyph, a textarea's text). */
  function isId(value) {
    return Number.isSafeInteger(value);
  }

  function isPromptId(value) {
    return Number.isSafeInteger(value) && value >= 0;
  }

  function remember(id, node) {
    if (!isId(id)) {
      fail('node id must be a whole number');
    }
    if (!nodes.has(id) && nodes.size >= NODES_MAX) {
      fail('page has more than ' + NODES_MAX + ' nodes');
    }
    nodes.set(id, node);
    ids.set(node, id);
  }

  function forget(node) {
    const id = ids.get(node);
    if (id !== undefined && nodes.get(id) === node) {
      nodes.delete(id);
    }
    for (const child of node.childNodes) {
      forget(child);
    }
  }

  function object(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  }

  /**
   * A checked style value, or null: url() only where the runtime allows it, each one complete and naming a
   * same-origin path (a url( the strict pattern does not match whole is refused, so no fix-up by the CSS parser
   * can turn it into another fetch).
   */
  function styleValue(property, value) {
    if (typeof value !== 'string' || value.length > VALUE_CHARS_MAX || FORBIDDEN_STYLE.test(value)) {
      return null;
    }
    const opened = (value.match(/url\(/gi) || []).length;
    if (opened === 0) {
      return value;
    }
    if (!URL_STYLE_PROPERTIES.has(property)) {
      return null;
    }
    let allowed = 0;
    for (const match of value.matchAll(URL_IN_STYLE)) {
      if (SAME_ORIGIN(match[2] ?? match[3] ?? match[4] ?? '')) {
        allowed++;
      }
    }
    return allowed === opened ? value : null;
  }

  /** Replaces an element's own attributes, classes and style (never its children) from a wire element. */
  function describe(node, tag, spec) {
    const attrs = object(spec.attrs);
    const wanted = new Map();
    for (const [name, raw] of Object.entries(attrs)) {
      // A boolean attribute (hidden, disabled) comes as null: present, without a value.
      const value = raw === null && FLAGS.has(name) ? '' : raw;
      const check = ATTRIBUTES.get(name);
      if (typeof value !== 'string' || !check || !check(value)) {
        continue;
      }
      if (name === 'type' && !(TYPES_BY_TAG[tag] || []).includes(value)) {
        continue;
      }
      if (name === 'src' && tag !== 'img') {
        continue;
      }
      wanted.set(name, value);
    }
    if (tag === 'button') {
      wanted.set('type', 'button');
    }
    if (tag === 'input' && !wanted.has('type')) {
      wanted.set('type', 'text');
    }
    // The projection leaves an empty value out, so a value attribute that goes away is the session setting ''.
    const sessionValue = wanted.has('value') ? wanted.get('value') : node.hasAttribute('value') ? '' : null;
    for (const name of node.getAttributeNames()) {
      if (!wanted.has(name)) {
        node.removeAttribute(name);
      }
    }
    for (const [name, value] of wanted) {
      if (node.getAttribute(name) !== value) {
        node.setAttribute(name, value);
      }
    }
    // A live control shows the value the session set; typing is the user's until the session sets another. The
    // session's echo of a value this browser sent is older than what the user typed since, so it changes nothing.
    if (tag === 'input' && sessionValue !== null && node.value !== sessionValue) {
      const sent = sentValues.get(node);
      if (!sent || !sent.has(sessionValue)) {
        node.value = sessionValue;
        sentValues.delete(node);
      }
    } else if (tag === 'textarea' && wanted.has('value') && node.value !== wanted.get('value')) {
      node.value = wanted.get('value');
    }
    const classes = Array.isArray(spec.classes) ? spec.classes : [];
    for (const token of classes.slice(0, CLASSES_MAX)) {
      if (typeof token === 'string' && CLASS_TOKEN.test(token)) {
        node.classList.add(token);
      }
    }
    for (const token of [...node.classList]) {
      if (!classes.includes(token)) {
        node.classList.remove(token);
      }
    }
    const style = object(spec.style);
    node.removeAttribute('style');
    for (const [property, raw] of Object.entries(style)) {
      if (!STYLE_PROPERTY.test(property) || !(STYLE_PROPERTIES.has(property) || property.startsWith('--'))) {
        continue;
      }
      const value = styleValue(property, raw);
      if (value !== null) {
        node.style.setProperty(property, value);
      }
    }
    if (!node.hasAttribute('style')) {
      return;
    }
    if (node.style.length === 0) {
      node.removeAttribute('style');
    }
  }

  function createElement(spec) {
    const tag = typeof spec.tag === 'string' && TAGS.has(spec.tag) ? spec.tag : 'div';
    const node = document.createElement(tag);
    describe(node, tag, spec);
    return node;
  }

  /** The "el" op: create the element, or replace the existing one's own attributes, classes and style. */
  function applyElement(op) {
    const existing = nodes.get(op.id);
    const tag = typeof op.tag === 'string' && TAGS.has(op.tag) ? op.tag : 'div';
    if (existing instanceof Element && existing.localName === tag) {
      describe(existing, tag, op);
      return;
    }
    const node = createElement(op);
    if (existing) {
      // Same id, another element: keep its place and children.
      if (existing instanceof Element) {
        node.append(...existing.childNodes);
      }
      if (existing.parentNode) {
        existing.parentNode.replaceChild(node, existing);
      }
      ids.delete(existing);
    }
    remember(op.id, node);
  }

  /** A textarea's text child is its value: once the user typed, the child no longer shows, so set the value too. */
  function syncTextarea(node) {
    const parent = node.parentNode;
    if (parent instanceof HTMLTextAreaElement && parent.value !== parent.textContent) {
      parent.value = parent.textContent;
    }
  }

  function applyText(op) {
    if (typeof op.text !== 'string') {
      fail('text must be a string');
    }
    const existing = nodes.get(op.id);
    if (existing && existing.nodeType === Node.TEXT_NODE) {
      if (existing.textContent !== op.text) {
        existing.textContent = op.text;
        syncTextarea(existing);
      }
      return;
    }
    const node = document.createTextNode('');
    node.textContent = op.text;
    if (existing && existing.parentNode) {
      forget(existing);
      existing.parentNode.replaceChild(node, existing);
    }
    remember(op.id, node);
  }

  function applyInsert(op) {
    const parent = nodes.get(op.parent);
    const node = nodes.get(op.id);
    if (!(parent instanceof Element) || !node) {
      fail('insert names an unknown node');
    }
    if (node.contains(parent)) {
      fail('insert would put a node inside itself');
    }
    let before = null;
    if (op.before !== null && op.before !== undefined) {
      before = nodes.get(op.before);
      if (!before || before.parentNode !== parent) {
        fail('insert before a node that is not a child of the parent');
      }
    }
    if (before !== node) {
      parent.insertBefore(node, before);
      syncTextarea(node);
    }
  }

  function applyRemove(op) {
    const node = nodes.get(op.id);
    if (!node) {
      fail('remove names an unknown node');
    }
    node.remove();
    forget(node);
  }

  /** Builds a NODE of a page frame (depth-first, iteratively: a deep page cannot exhaust the stack). */
  function build(tree) {
    const stack = [[tree, null]];
    let root = null;
    while (stack.length > 0) {
      const [spec, parent] = stack.pop();
      const item = object(spec);
      let node;
      if (typeof item.text === 'string' && item.tag === undefined) {
        node = document.createTextNode('');
        node.textContent = item.text;
      } else {
        node = createElement(item);
        const children = Array.isArray(item.children) ? item.children : [];
        for (let i = children.length - 1; i >= 0; i--) {
          stack.push([children[i], node]);
        }
      }
      remember(item.id, node);
      if (parent) {
        // children are pushed in reverse and popped in order, so append keeps the wire's order
        parent.append(node);
      } else {
        root = node;
      }
    }
    if (!(root instanceof Element)) {
      fail('a page tree is an element');
    }
    return root;
  }

  // ---- Host chrome from the page's chrome fields ----
  let chrome = {};
  let canGoBack = false;
  let sessionId = null;

  function chromeValue(field, index) {
    const values = chrome[field];
    if (!values) {
      return null;
    }
    const value = values[String(index || 0)];
    return typeof value === 'string' ? value : null;
  }

  function setColor(node, property, value) {
    if (value !== null && COLOR.test(value)) {
      node.style.setProperty(property, value);
    } else {
      node.style.removeProperty(property);
    }
  }

  /** A tab bar icon: a same-origin URL as BrowserView writes it; anything else shows no icon. */
  function iconUrl(value) {
    return value !== null && SAME_ORIGIN(value) ? value : null;
  }

  function drawChrome() {
    chromeText(ui.title, chromeValue('navigationBarTitle') || '');
    ui.titlebar.hidden = chromeValue('navigationBarHidden') === 'true';
    setColor(ui.titlebar, 'background-color', chromeValue('navigationBarBackgroundColor'));
    const front = chromeValue('navigationBarFrontColor');
    setColor(ui.titlebar, 'color', front === '#ffffff' || front === '#000000' ? front : null);
    ui.titleLoading.hidden = chromeValue('navigationBarLoading') !== 'true' && chromeValue('pullDownRefreshing') !== 'true';
    ui.back.hidden = !canGoBack;
    setColor(host, 'background-color', chromeValue('backgroundColor'));
    drawTabBar();
  }

  function drawTabBar() {
    const items = [];
    for (let i = 0; i < TAB_BAR_ITEMS_MAX; i++) {
      if (chromeValue('tabBarItemText', i) !== null || chromeValue('tabBarItemIcon', i) !== null) {
        items.push(i);
      }
    }
    ui.tabbar.replaceChildren();
    ui.tabbar.hidden = items.length === 0 || chromeValue('tabBarVisible') === 'false';
    setColor(ui.tabbar, 'background-color', chromeValue('tabBarBackgroundColor'));
    const border = chromeValue('tabBarBorderStyle');
    setColor(ui.tabbar, 'border-top-color', border === 'black' || border === 'white' ? border : null);
    const selected = Number(chromeValue('tabBarSelected') || '0');
    for (const i of items) {
      const on = i === selected;
      const item = el('button', on ? 'capsule-tab capsule-tab-selected' : 'capsule-tab');
      item.type = 'button';
      item.dataset.index = String(i);
      setColor(item, 'color', chromeValue(on ? 'tabBarSelectedColor' : 'tabBarColor'));
      const icon = iconUrl(on ? (chromeValue('tabBarItemSelectedIcon', i) || chromeValue('tabBarItemIcon', i))
        : chromeValue('tabBarItemIcon', i));
      if (icon) {
        const img = el('img', 'capsule-tab-icon');
        img.alt = '';
        img.src = icon;
        item.append(img);
      }
      item.append(el('span', 'capsule-tab-text', chromeValue('tabBarItemText', i) || ''));
      const badge = chromeValue('tabBarItemBadge', i);
      if (badge) {
        item.append(el('span', 'capsule-tab-badge', badge));
      } else if (chromeValue('tabBarItemRedDot', i) === 'true') {
        item.append(el('span', 'capsule-tab-dot'));
      }
      item.addEventListener('click', () => send({t: 'tab', index: i}));
      ui.tabbar.append(item);
    }
  }

  function setChrome(field, index, value) {
    if (!CHROME_FIELDS.has(field) || !Number.isInteger(index) || index < 0 || index >= TAB_BAR_ITEMS_MAX) {
      return;
    }
    const values = Object.assign({}, chrome[field]);
    if (value === null || value === undefined) {
      delete values[String(index)];
    } else if (typeof value === 'string') {
      values[String(index)] = value;
    }
    chrome[field] = values;
    if (field === 'pageScrollTop') {
      const top = Number(value);
      if (Number.isFinite(top)) {
        const duration = Number(chromeValue('pageScrollDuration') || '0');
        scroller.scrollTo({top, behavior: duration > 0 ? 'smooth' : 'auto'});
      }
    }
  }

  function readChrome(raw) {
    chrome = {};
    for (const [field, values] of Object.entries(object(raw))) {
      for (const [index, value] of Object.entries(object(values))) {
        setChrome(field, Number(index), value);
      }
    }
  }

  // ---- Applying frames ----
  function showPage(frame) {
    if (typeof frame.route !== 'string') {
      fail('page without a route');
    }
    nodes = new Map();
    ids = new WeakMap();
    const root = build(frame.tree);
    route = frame.route;
    if (typeof frame.css === 'string' && SAME_ORIGIN(frame.css)) {
      if (pageSheet.getAttribute('href') !== frame.css) {
        pageSheet.href = frame.css;
      }
    } else {
      pageSheet.removeAttribute('href');
    }
    canGoBack = frame.canGoBack === true;
    readChrome(frame.chrome);
    clearPickers();
    scroller.replaceChildren(root);
    scroller.scrollTop = 0;
    drawChrome();
    body.dataset.capsuleRoute = route;
    announce('capsule-page', {route});
  }

  function applyOps(frame) {
    if (frame.route !== route) {
      // A batch of a page the browser no longer shows (the next page frame replaces it): nothing to do.
      return;
    }
    const ops = Array.isArray(frame.ops) ? frame.ops : [];
    let chromeChanged = false;
    for (const raw of ops) {
      const op = object(raw);
      switch (op.op) {
        case 'el': applyElement(op); break;
        case 'text': applyText(op); break;
        case 'insert': applyInsert(op); break;
        case 'remove': applyRemove(op); break;
        case 'chrome':
          setChrome(op.field, op.index, op.value);
          chromeChanged = true;
          break;
        default: fail('unknown op');
      }
    }
    if (typeof frame.canGoBack === 'boolean') {
      canGoBack = frame.canGoBack;
      chromeChanged = true;
    }
    if (chromeChanged) {
      drawChrome();
    }
    announce('capsule-ops', {route, count: ops.length});
  }

  // ---- Toasts, loading and prompts: host chrome outside the frame ----
  let loading = null;

  function toast(args, persistent) {
    const box = el('div', persistent ? 'capsule-toast capsule-toast-loading' : 'capsule-toast');
    box.setAttribute('role', 'status');
    box.append(el('span', 'capsule-toast-mark', ''), el('span', 'capsule-toast-text', typeof args.title === 'string' ? args.title : ''));
    if (!persistent && ['success', 'error', 'loading', 'none'].includes(args.icon)) {
      box.dataset.icon = args.icon;
    }
    ui.toasts.append(box);
    if (!persistent) {
      const asked = Number(args.duration);
      const ms = Number.isFinite(asked) && asked > 0 ? Math.min(asked, TOAST_MS_MAX) : TOAST_MS_DEFAULT;
      setTimeout(() => box.remove(), ms);
    }
    return box;
  }

  function onUi(frame) {
    const args = object(frame.args);
    switch (frame.kind) {
      case 'toast':
      case 'showToast':
        toast(args, false);
        break;
      case 'hideToast':
        for (const box of ui.toasts.querySelectorAll('.capsule-toast:not(.capsule-toast-loading)')) {
          box.remove();
        }
        break;
      case 'loading':
      case 'showLoading':
        if (loading) {
          loading.remove();
        }
        loading = toast(args, true);
        break;
      case 'hideLoading':
        if (loading) {
          loading.remove();
          loading = null;
        }
        break;
      default:
        // showModal/showActionSheet report an answered prompt; openSetting and the rest draw nothing here.
        break;
    }
  }

  const prompts = new Map();

  /** A host sheet: titled with the mini-program's verified identity from the page, never with guest text alone. */
  function sheet(kind, id, label) {
    const backdrop = el('div', 'capsule-backdrop');
    const box = el('div', 'capsule-sheet capsule-sheet-' + kind);
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-modal', 'true');
    box.setAttribute('aria-label', label);
    box.dataset.prompt = String(id);
    box.dataset.kind = kind;
    const who = el('div', 'capsule-sheet-from');
    who.append(el('span', 'capsule-mark'), el('span', 'capsule-sheet-app', ui.appName ? ui.appName.textContent : config.appId),
      el('span', 'capsule-sheet-developer', ui.developer ? ui.developer.textContent : ''));
    box.append(who);
    backdrop.append(box);
    ui.sheets.append(backdrop);
    return {backdrop, box};
  }

  function button(text, className, onClick) {
    const b = el('button', 'capsule-button ' + className, text);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  function onPrompt(frame) {
    const id = frame.id;
    if (!isPromptId(id) || prompts.has(id)) {
      return;
    }
    let done = false;
    let parts;
    const answer = (fields) => {
      if (done) {
        return;
      }
      done = true;
      prompts.delete(id);
      parts.backdrop.remove();
      send(Object.assign({t: 'answer', id}, fields));
    };
    switch (frame.kind) {
      case 'modal': {
        parts = sheet('modal', id, 'Message from the mini-program');
        parts.box.append(el('div', 'capsule-sheet-title', frame.title), el('div', 'capsule-sheet-content', frame.content));
        const actions = el('div', 'capsule-sheet-actions');
        if (frame.showCancel !== false) {
          actions.append(button(typeof frame.cancelText === 'string' && frame.cancelText ? frame.cancelText : 'Cancel',
            'capsule-cancel', () => answer({confirm: false})));
        }
        actions.append(button(typeof frame.confirmText === 'string' && frame.confirmText ? frame.confirmText : 'OK',
          'capsule-confirm', () => answer({confirm: true})));
        parts.box.append(actions);
        break;
      }
      case 'actionSheet': {
        parts = sheet('action-sheet', id, 'Choices from the mini-program');
        const items = Array.isArray(frame.items) ? frame.items.slice(0, ACTION_SHEET_ITEMS_MAX) : [];
        items.forEach((text, index) => parts.box.append(button(typeof text === 'string' ? text : '', 'capsule-item',
          () => answer({index}))));
        parts.box.append(button('Cancel', 'capsule-cancel', () => answer({index: -1})));
        break;
      }
      case 'consent': {
        parts = sheet('consent', id, 'Permission request');
        parts.box.append(el('div', 'capsule-sheet-title', 'This mini-program asks for permission'),
          el('div', 'capsule-consent-scope', frame.scope),
          el('div', 'capsule-sheet-label', 'Purpose stated by the developer:'),
          el('div', 'capsule-consent-purpose', frame.purpose),
          el('div', 'capsule-sheet-note', 'Capsule remembers your decision; you can change it in Settings.'));
        const actions = el('div', 'capsule-sheet-actions');
        actions.append(button('Deny', 'capsule-deny', () => answer({allow: false})),
          button('Allow', 'capsule-allow', () => answer({allow: true})));
        parts.box.append(actions);
        break;
      }
      case 'payment':
        parts = sheet('payment', id, 'Payment');
        paymentSheet(parts.box, frame, answer);
        break;
      case 'paymentChallenge':
        parts = sheet('payment-challenge', id, 'Card issuer check');
        challengeSheet(parts.box, frame, answer);
        break;
      default:
        return;
    }
    prompts.set(id, parts);
    const first = parts.box.querySelector('button');
    if (first) {
      first.focus();
    }
  }

  // ---- The payment sheet (docs/host.md, "The payment sheet"): what the platform prepared, never guest text ----
  /** The card endpoint: card details go there over HTTPS, never through the WebSocket. */
  const CARDS_PATH = '/shell/cards';
  /** Saved cards shown in one sheet at most. */
  const PAYMENT_CARDS_MAX = 20;

  /** An amount as the user's locale writes it in its currency, from the exact decimal the server computed. */
  function money(amount) {
    const value = object(amount);
    const decimal = typeof value.decimal === 'string' && /^-?[0-9]{1,19}(\.[0-9]{1,4})?$/.test(value.decimal) ? value.decimal : '0';
    const currency = typeof value.currency === 'string' && /^[A-Z]{3}$/.test(value.currency) ? value.currency : '';
    try {
      return new Intl.NumberFormat(document.documentElement.lang || undefined, {style: 'currency', currency}).format(decimal);
    } catch (e) {
      return decimal + ' ' + currency;
    }
  }

  function cardLabel(card) {
    const brand = typeof card.brand === 'string' ? card.brand : 'card';
    const last4 = typeof card.last4 === 'string' && /^[0-9]{4}$/.test(card.last4) ? card.last4 : '????';
    return brand.charAt(0).toUpperCase() + brand.slice(1) + ' \u2022\u2022\u2022\u2022 ' + last4;
  }

  function field(label, name, autocomplete, inputMode) {
    const wrap = el('label', 'capsule-payment-field');
    const input = el('input', 'capsule-input capsule-card-' + name);
    input.type = 'text';
    input.autocomplete = autocomplete;
    if (inputMode) {
      input.inputMode = inputMode;
    }
    input.spellcheck = false;
    wrap.append(el('span', 'capsule-sheet-label', label), input);
    return {wrap, input};
  }

  function paymentSheet(box, frame, answer) {
    const merchant = object(frame.merchant);
    box.append(el('div', 'capsule-sheet-title', 'Pay ' + (typeof merchant.name === 'string' ? merchant.name : '')),
      el('div', 'capsule-payment-amount', money(frame.amount)),
      el('div', 'capsule-payment-description', frame.description));
    const methods = el('div', 'capsule-payment-methods');
    methods.setAttribute('role', 'radiogroup');
    methods.setAttribute('aria-label', 'Pay with');
    const pay = button('Pay ' + money(frame.amount), 'capsule-confirm capsule-pay', async () => {
      const chosen = methods.querySelector('[aria-checked="true"]');
      if (!chosen) {
        return;
      }
      const payment = {method: chosen.dataset.method};
      if (stepUpInput) {
        payment.stepUp = {code: stepUpInput.value.trim()};
      } else if (passkey) {
        // The passkey signs the platform's challenge for this payer and intent; the session passes it to PayerStepUp.
        pay.disabled = true;
        try {
          const credential = await navigator.credentials.get({publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(passkey)});
          payment.stepUp = credential.toJSON();
        } catch (e) {
          chromeText(error, 'Your passkey did not confirm the payment. Try again or cancel.');
          pay.disabled = false;
          return;
        }
      }
      answer({payment});
    });
    pay.disabled = true;
    const choose = (item) => {
      for (const other of methods.children) {
        other.setAttribute('aria-checked', other === item ? 'true' : 'false');
      }
      pay.disabled = false;
    };
    const addMethod = (method, text, className) => {
      const item = button(text, 'capsule-payment-method ' + className, () => choose(item));
      item.setAttribute('role', 'radio');
      item.setAttribute('aria-checked', 'false');
      item.dataset.method = method;
      methods.append(item);
      return item;
    };
    const cards = Array.isArray(frame.cards) ? frame.cards.slice(0, PAYMENT_CARDS_MAX) : [];
    for (const card of cards.map(object)) {
      if (typeof card.token === 'string' && /^tok_[a-z2-7]{26}$/.test(card.token)) {
        addMethod(card.token, cardLabel(card), 'capsule-payment-card');
      }
    }
    if (frame.wallet !== null && typeof frame.wallet === 'object') {
      addMethod('wallet', 'Wallet \u00b7 balance ' + money(frame.wallet), 'capsule-payment-wallet');
    }
    box.append(el('div', 'capsule-sheet-label', 'Pay with'), methods);

    // Add a card: posted straight to the card endpoint with the shell session's CSRF token; the answer is a token.
    const error = el('div', 'capsule-payment-error');
    error.setAttribute('role', 'alert');
    const form = el('div', 'capsule-payment-add');
    form.hidden = true;
    const number = field('Card number', 'number', 'cc-number', 'numeric');
    const expiry = field('Expiry (MM/YY)', 'expiry', 'cc-exp', 'numeric');
    const code = field('Security code', 'code', 'cc-csc', 'numeric');
    const name = field('Name on the card', 'name', 'cc-name', null);
    const save = button('Save card', 'capsule-confirm capsule-card-save', async () => {
      chromeText(error, '');
      save.disabled = true;
      const card = {merchant: merchant.id, number: number.input.value, expiry: expiry.input.value, name: name.input.value};
      if (code.input.value) {
        card.code = code.input.value;
      }
      try {
        const response = await fetch(CARDS_PATH, {method: 'POST', credentials: 'same-origin', cache: 'no-store',
          headers: {'Content-Type': 'application/json', 'X-Shell-Csrf': body.dataset.shellCsrf || ''}, body: JSON.stringify(card)});
        const answered = object(await response.json().catch(() => ({})));
        if (response.status !== 201 || typeof answered.token !== 'string' || !/^tok_[a-z2-7]{26}$/.test(answered.token)) {
          chromeText(error, typeof answered.detail === 'string' ? answered.detail : 'The card could not be saved.');
          return;
        }
        // The card's details leave the page as soon as the vault has them; only brand and last four stay.
        for (const input of [number.input, expiry.input, code.input, name.input]) {
          input.value = '';
        }
        form.hidden = true;
        choose(addMethod(answered.token, cardLabel(answered), 'capsule-payment-card'));
      } catch (e) {
        chromeText(error, 'The card could not be saved: the server did not answer.');
      } finally {
        save.disabled = false;
      }
    });
    form.append(number.wrap, expiry.wrap, code.wrap, name.wrap, save);
    const add = button('Add a card', 'capsule-payment-add-card', () => {
      form.hidden = false;
      number.input.focus();
    });
    box.append(add, form, error);

    let stepUpInput = null;
    let passkey = null;
    const stepUp = frame.stepUp !== null && typeof frame.stepUp === 'object' ? frame.stepUp : null;
    if (stepUp && stepUp.kind === 'passkey' && stepUp.publicKey !== null && typeof stepUp.publicKey === 'object'
      && window.PublicKeyCredential && typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function') {
      passkey = stepUp.publicKey;
      box.append(el('div', 'capsule-sheet-title capsule-payment-step-up', 'Confirm it is you'),
        el('div', 'capsule-sheet-note', 'Paying asks for your passkey.'));
    } else if (stepUp && stepUp.kind === 'code') {
      const f = field(typeof stepUp.label === 'string' ? stepUp.label : 'Confirmation code', 'step-up', 'one-time-code', 'numeric');
      stepUpInput = f.input;
      box.append(el('div', 'capsule-sheet-title capsule-payment-step-up', 'Confirm it is you'), f.wrap);
    } else if (stepUp) {
      box.append(el('div', 'capsule-sheet-note', 'This payment needs a confirmation this browser cannot give.'));
      pay.hidden = true;
    }
    const actions = el('div', 'capsule-sheet-actions');
    actions.append(button('Cancel', 'capsule-cancel', () => answer({payment: false})), pay);
    box.append(el('div', 'capsule-sheet-note', 'Capsule shows this sheet; the mini-program learns only whether you paid.'), actions);
  }

  function challengeSheet(box, frame, answer) {
    const merchant = object(frame.merchant);
    const challenge = object(frame.challenge);
    box.append(el('div', 'capsule-sheet-title', 'Your card issuer asks you to confirm this payment'),
      el('div', 'capsule-payment-amount', money(frame.amount) + ' \u00b7 ' + (typeof merchant.name === 'string' ? merchant.name : '')));
    const actions = el('div', 'capsule-sheet-actions');
    actions.append(button('Cancel', 'capsule-cancel', () => answer({challenge: false})));
    if (challenge.kind === 'code') {
      const f = field(typeof challenge.label === 'string' ? challenge.label : 'Code from your card issuer', 'challenge', 'one-time-code',
        'numeric');
      box.append(f.wrap);
      actions.append(button('Confirm', 'capsule-confirm', () => answer({challenge: {code: f.input.value.trim()}})));
    } else {
      box.append(el('div', 'capsule-sheet-note', 'This check cannot be answered in this browser.'));
    }
    box.append(actions);
  }

  function onPaymentResult(frame) {
    const paid = frame.outcome === 'paid';
    toast({title: paid ? 'Paid' : 'Payment not completed (' + (typeof frame.outcome === 'string' ? frame.outcome : '') + ')',
      icon: paid ? 'success' : 'error'}, false).classList.add('capsule-payment-result');
  }

  /** Open pickers belong to the page that opened them: a new page or a lost connection closes them. */
  const pickers = new Set();

  function clearPickers() {
    for (const backdrop of pickers) {
      backdrop.remove();
    }
    pickers.clear();
  }

  function clearPrompts() {
    for (const parts of prompts.values()) {
      parts.backdrop.remove();
    }
    prompts.clear();
    clearPickers();
  }

  // ---- Events from the frame to the session ----
  const pendingInput = new Map();

  function targetId(event) {
    for (const node of event.composedPath()) {
      if (node === host) {
        return null;
      }
      const id = ids.get(node);
      if (id !== undefined && node.nodeType === Node.ELEMENT_NODE) {
        return {id, node};
      }
    }
    return null;
  }

  function sendEvent(id, type, detail) {
    flushInputs();
    send({t: 'event', node: id, type, detail: detail || {}});
  }

  /** Sends every control's latest pending input first, so the session sees the value before a tap or confirm. */
  function flushInputs() {
    for (const [id, pending] of pendingInput) {
      clearTimeout(pending.timer);
      pendingInput.delete(id);
      if (pending.detail !== null) {
        sendInput(id, pending.type, pending.detail);
      }
    }
  }

  /** Values sent for a control since the session last set one of its own (element → Set, bounded). */
  const sentValues = new WeakMap();

  function sendInput(id, type, detail) {
    const node = nodes.get(id);
    if (type === 'input' && node && typeof detail.value === 'string') {
      let sent = sentValues.get(node);
      if (!sent) {
        sent = new Set();
        sentValues.set(node, sent);
      }
      if (sent.size >= SENT_VALUES_MAX) {
        sent.delete(sent.values().next().value);
      }
      sent.add(detail.value);
    }
    send({t: 'event', node: id, type, detail});
  }

  /** Sends an input-like event at most every INPUT_INTERVAL_MS per control, always the latest value last. */
  function throttled(id, type, detail) {
    const pending = pendingInput.get(id);
    if (pending) {
      pending.detail = detail;
      pending.type = type;
      return;
    }
    sendInput(id, type, detail);
    const entry = {type, detail: null, timer: 0};
    entry.timer = setTimeout(() => {
      pendingInput.delete(id);
      if (entry.detail !== null) {
        sendInput(id, entry.type, entry.detail);
      }
    }, INPUT_INTERVAL_MS);
    pendingInput.set(id, entry);
  }

  function component(node) {
    for (const token of node.classList) {
      if (token.startsWith(TYPE_CLASS_PREFIX)) {
        return token.slice(TYPE_CLASS_PREFIX.length);
      }
    }
    return null;
  }

  /** The nearest element (the node itself included) rendered for a component. */
  function closest(node, name) {
    for (let up = node; up && up !== scroller; up = up.parentElement) {
      if (ids.has(up) && component(up) === name) {
        return up;
      }
    }
    return null;
  }

  function isDisabled(node) {
    return node.getAttribute('aria-disabled') === 'true' || node.hasAttribute('disabled');
  }

  function onClick(event) {
    const target = targetId(event);
    if (!target) {
      return;
    }
    const rect = host.getBoundingClientRect();
    sendEvent(target.id, 'tap', {x: Math.round(event.clientX - rect.left), y: Math.round(event.clientY - rect.top + scroller.scrollTop)});
    const node = target.node;
    const toggle = closest(node, 'switch') || closest(node, 'checkbox') || closest(node, 'radio');
    if (toggle && !isDisabled(toggle)) {
      toggled(toggle);
      return;
    }
    const picker = closest(node, 'picker');
    if (picker && !picker.hasAttribute('disabled')) {
      openPicker(picker);
    }
  }

  /** switch, checkbox and radio change their own state as WeChat's do, and their group reports the change. */
  function toggled(node) {
    const kind = component(node);
    const checked = node.getAttribute('aria-checked') === 'true';
    if (kind === 'switch') {
      node.setAttribute('aria-checked', String(!checked));
      sendEvent(ids.get(node), 'change', {value: !checked});
      return;
    }
    const group = closest(node.parentElement, kind === 'checkbox' ? 'checkbox-group' : 'radio-group');
    if (kind === 'radio') {
      if (checked) {
        return;
      }
      if (group) {
        for (const other of group.querySelectorAll('[role="radio"]')) {
          other.setAttribute('aria-checked', 'false');
        }
      }
      node.setAttribute('aria-checked', 'true');
      if (group) {
        sendEvent(ids.get(group), 'change', {value: node.getAttribute('value') || ''});
      }
      return;
    }
    node.setAttribute('aria-checked', String(!checked));
    if (group) {
      const value = [...group.querySelectorAll('[role="checkbox"][aria-checked="true"]')].map((box) => box.getAttribute('value') || '');
      sendEvent(ids.get(group), 'change', {value});
    }
  }

  /** picker: the host draws the choice (selector, date and time modes); other modes are absent (a tap only). */
  function openPicker(node) {
    const mode = node.getAttribute('mode') || 'selector';
    const pickerId = ids.get(node);
    const parts = sheet('picker', 'picker', 'Pick a value');
    pickers.add(parts.backdrop);
    const close = () => {
      pickers.delete(parts.backdrop);
      parts.backdrop.remove();
    };
    if (mode === 'selector') {
      let range = [];
      try {
        const parsed = JSON.parse(node.getAttribute('range') || '[]');
        range = Array.isArray(parsed) ? parsed.slice(0, PICKER_ITEMS_MAX) : [];
      } catch (e) {
        range = [];
      }
      const key = node.getAttribute('range-key');
      range.forEach((item, index) => {
        const label = item !== null && typeof item === 'object' && key ? item[key] : item;
        parts.box.append(button(typeof label === 'string' || typeof label === 'number' ? String(label) : '', 'capsule-item', () => {
          close();
          sendEvent(pickerId, 'change', {value: index});
        }));
      });
    } else if (mode === 'date' || mode === 'time') {
      const input = el('input', 'capsule-picker-input');
      input.type = mode;
      input.value = node.getAttribute('value') || '';
      parts.box.append(input, button('OK', 'capsule-confirm', () => {
        close();
        sendEvent(pickerId, 'change', {value: input.value});
      }));
    } else {
      parts.box.append(el('div', 'capsule-sheet-note', 'This picker mode is not available in the shell.'));
    }
    parts.box.append(button('Cancel', 'capsule-cancel', () => {
      close();
      sendEvent(pickerId, 'cancel', {});
    }));
  }

  function textControl(node) {
    const kind = component(node);
    return kind === 'input' || kind === 'textarea' ? kind : null;
  }

  function onInput(event) {
    const target = targetId(event);
    if (!target) {
      return;
    }
    const node = target.node;
    if (component(node) === 'slider') {
      throttled(target.id, 'changing', {value: Number(node.value)});
    } else if (textControl(node)) {
      throttled(target.id, 'input', {value: node.value, cursor: node.selectionStart ?? node.value.length});
    }
  }

  function onChange(event) {
    const target = targetId(event);
    if (target && component(target.node) === 'slider') {
      sendEvent(target.id, 'change', {value: Number(target.node.value)});
    }
  }

  function onKeyDown(event) {
    const target = targetId(event);
    if (target && event.key === 'Enter' && textControl(target.node) === 'input') {
      sendEvent(target.id, 'confirm', {value: target.node.value});
    }
  }

  function onFocus(event) {
    const target = targetId(event);
    if (target && textControl(target.node)) {
      sendEvent(target.id, event.type === 'focus' ? 'focus' : 'blur', {value: target.node.value});
    }
  }

  shadow.addEventListener('click', onClick);
  shadow.addEventListener('input', onInput);
  shadow.addEventListener('change', onChange);
  shadow.addEventListener('keydown', onKeyDown);
  shadow.addEventListener('focus', onFocus, true);
  shadow.addEventListener('blur', onFocus, true);
  ui.back.addEventListener('click', () => send({t: 'back'}));

  // ---- The connection ----
  let socket = null;
  let attempts = 0;
  let ended = false;
  let retryTimer = 0;

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(message));
    }
  }

  function socketUrl(resume) {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    return scheme + location.host + config.wsPath + (resume ? '?resume=' + encodeURIComponent(resume) : '');
  }

  function connect(resume) {
    clearTimeout(retryTimer);
    ended = false;
    if (!SAME_ORIGIN(config.wsPath) || config.wsPath.includes('?')) {
      showEnded('This page has no valid connection address.');
      return;
    }
    setState(resume ? 'reconnecting' : 'connecting', resume ? 'Reconnecting\u2026' : 'Connecting\u2026');
    const ws = new WebSocket(socketUrl(resume));
    socket = ws;
    ws.addEventListener('message', (message) => {
      if (socket === ws) {
        receive(message.data);
      }
    });
    ws.addEventListener('close', (close) => {
      if (socket === ws) {
        socket = null;
        dropped(close.code);
      }
    });
  }

  function dropped(code) {
    clearPrompts();
    if (ended) {
      return;
    }
    if (code === 1008 || code === 1003) {
      showEnded('The connection was refused.');
      return;
    }
    if (attempts >= RECONNECT_ATTEMPTS_MAX) {
      showEnded('The connection to the mini-program was lost.');
      return;
    }
    const delay = Math.min(RECONNECT_DELAY_MS_MAX, RECONNECT_DELAY_MS_MIN * 2 ** attempts);
    attempts++;
    setState('reconnecting', 'Connection lost; reconnecting (attempt ' + attempts + ' of ' + RECONNECT_ATTEMPTS_MAX + ')\u2026');
    retryTimer = setTimeout(() => connect(sessionId), delay);
  }

  function showEnded(reason) {
    ended = true;
    clearPrompts();
    setState('ended', 'This mini-program has ended: ' + reason);
    const parts = sheet('ended', 'ended', 'Session ended');
    parts.box.append(el('div', 'capsule-sheet-title', 'This mini-program has ended'), el('div', 'capsule-sheet-content', reason),
      button('Open it again', 'capsule-confirm', () => {
        parts.backdrop.remove();
        sessionId = null;
        attempts = 0;
        connect(null);
      }));
  }

  function receive(data) {
    let frame;
    try {
      frame = object(JSON.parse(data));
    } catch (e) {
      return resync('a frame that is not JSON');
    }
    try {
      switch (frame.t) {
        case 'open':
          if (typeof frame.session === 'string' && /^[0-9a-f]{32}$/.test(frame.session)) {
            sessionId = frame.session;
          }
          attempts = 0;
          setState('open', '');
          break;
        case 'page': showPage(frame); break;
        case 'ops': applyOps(frame); break;
        case 'ui': onUi(frame); break;
        case 'prompt': onPrompt(frame); break;
        case 'paymentResult': onPaymentResult(frame); break;
        case 'dev':
          if (config.dev) {
            announce('capsule-dev', {kind: frame.kind, entry: frame.entry});
          }
          break;
        case 'reload':
          sessionId = null;
          attempts = 0;
          reconnectNow(null);
          break;
        case 'ended':
          showEnded(typeof frame.reason === 'string' && frame.reason ? frame.reason : 'the session ended.');
          break;
        case 'refused':
          toast({title: 'Capsule refused this: ' + (typeof frame.message === 'string' ? frame.message : '')}, false)
            .classList.add('capsule-toast-refused');
          break;
        default:
          break;
      }
    } catch (e) {
      if (!(e instanceof ProtocolError)) {
        throw e;
      }
      resync(e.message);
    }
    return undefined;
  }

  /** The browser's copy of the page went out of step: resume, which sends the whole page again. */
  function resync(why) {
    console.warn('capsule shell: resynchronising after ' + why);
    reconnectNow(sessionId);
  }

  function reconnectNow(resume) {
    const old = socket;
    socket = null;
    clearPrompts();
    if (old) {
      old.close(1000);
    }
    connect(resume);
  }

  connect(null);
})();
