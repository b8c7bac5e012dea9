// Capsule's trusted framework layer, evaluated in every session's context before any mini-program
// code. It is a function of the host bridge object, which it keeps in this closure: guest code
// never sees `host`. It captures the intrinsics it relies on first, so a mini-program that later
// replaces globals or pollutes prototypes cannot change how its arguments are copied for the host.
(function (host) {
  'use strict';

  // ---- captured intrinsics -------------------------------------------------------------------
  const global = globalThis;
  const R = Reflect;
  const apply = R.apply, ownKeys = R.ownKeys, getOwnPropertyDescriptor = R.getOwnPropertyDescriptor;
  const defineProperty = R.defineProperty, setPrototypeOf = R.setPrototypeOf, deleteProperty = R.deleteProperty;
  const create = Object.create, freeze = Object.freeze, hasOwn = Object.hasOwn;
  const isArray = Array.isArray, isFinite = Number.isFinite;
  const stringify = JSON.stringify, parse = JSON.parse;
  const DateCtor = Date, dateGetTime = Date.prototype.getTime, dateToISOString = Date.prototype.toISOString;
  const ErrorCtor = Error, TypeErrorCtor = TypeError, SyntaxErrorCtor = SyntaxError;
  const PromiseCtor = Promise, promiseThen = Promise.prototype.then, promiseResolve = Promise.resolve.bind(Promise);
  const WeakSetCtor = WeakSet, weakSetAdd = WeakSet.prototype.add, weakSetHas = WeakSet.prototype.has;
  // From the global object: a local function named Proxy below would shadow (and hoist over) the name.
  const OrigProxy = global.Proxy, origRevocable = OrigProxy.revocable;
  const StringCtor = String, strSlice = String.prototype.slice, strIndexOf = String.prototype.indexOf, strLastIndexOf = String.prototype.lastIndexOf;
  const strSplit = String.prototype.split, strReplace = String.prototype.replace, strStartsWith = String.prototype.startsWith;
  const Uint8ArrayCtor = Uint8Array;
  const typedArrayBuffer = getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'buffer').get;
  const strToUpperCase = String.prototype.toUpperCase;
  const arrayBufferByteLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;

  // What the host tells the framework once, before any guest code: the wx registry and the data limits.
  const config = parse(host.config());
  const LIMITS = freeze({ depth: config.dataDepthMax, nodes: 200000 });

  // GraalJS's promise rejection tracker (js.unhandled-rejections=handler), taken from its Graal builtin
  // before that global is deleted below: the one way the engine tells of a rejection nobody handled.
  const setRejectionHandler = global.Graal.setUnhandledPromiseRejectionHandler;

  // ---- globals the contract excludes -----------------------------------------------------------
  // SharedArrayBuffer and Atomics (spec: not available), the 'arguments' global GraalJS adds.
  for (const name of ['SharedArrayBuffer', 'Atomics', 'WebAssembly', 'arguments', 'Graal', 'Polyglot', 'Java', 'Packages', 'print', 'load', 'console']) {
    deleteProperty(global, name);
  }

  // ---- Proxy tracking --------------------------------------------------------------------------
  // JavaScript cannot tell a Proxy from its target without running traps. Every proxy a guest can
  // create goes through these constructors, so the bridge recognises them and refuses them as data.
  const proxies = new WeakSetCtor();
  const isProxy = (v) => apply(weakSetHas, proxies, [v]);
  function CapsuleProxy(target, handler) {
    if (new.target === undefined) throw new TypeErrorCtor("Constructor Proxy requires 'new'");
    const p = new OrigProxy(target, handler);
    apply(weakSetAdd, proxies, [p]);
    return p;
  }
  defineProperty(CapsuleProxy, 'name', { value: 'Proxy', configurable: true });
  defineProperty(CapsuleProxy, 'revocable', {
    value: function revocable(target, handler) {
      const r = apply(origRevocable, OrigProxy, [target, handler]);
      apply(weakSetAdd, proxies, [r.proxy]);
      return r;
    }, writable: true, configurable: true
  });
  defineProperty(global, 'Proxy', { value: CapsuleProxy, writable: true, configurable: true, enumerable: false });

  // ---- plain-data snapshots --------------------------------------------------------------------
  // Copies a guest value into fresh, null-prototype objects reading only own, enumerable data
  // properties: no getter, Proxy trap or toJSON ever runs. The result is JSON text for the host.
  // defineProperty, not assignment: a guest setter on Object.prototype.message must not run here.
  // Framework-private: every caller catches it and gives the guest a plain Error (or nothing) instead.
  class SnapshotError {
    constructor(message, deep) {
      defineProperty(this, 'message', { value: StringCtor(message) });
      defineProperty(this, 'deep', { value: deep === true });
    }
  }
  function dataValue(descriptor) {
    return descriptor !== undefined && hasOwn(descriptor, 'value') ? descriptor.value : undefined;
  }
  function snapshot(value) {
    let nodes = 0;
    function copy(v, depth) {
      if (++nodes > LIMITS.nodes) throw new SnapshotError('data has more than ' + LIMITS.nodes + ' values');
      switch (typeof v) {
        case 'string': case 'boolean': return v;
        case 'number': return isFinite(v) ? v : null;
        case 'object': break;
        case 'bigint': throw new SnapshotError('BigInt values are not data');
        default: return undefined; // undefined, functions and symbols are dropped, as JSON does
      }
      if (v === null) return null;
      // depth counts the objects above v: v itself is level depth + 1, as the host's JSON parser counts.
      if (depth >= LIMITS.depth) throw new SnapshotError('data is nested more than ' + LIMITS.depth + ' levels', true);
      if (isProxy(v)) throw new SnapshotError('a Proxy is not data');
      let time;
      try { time = apply(dateGetTime, v, []); } catch (e) { time = undefined; }
      if (time !== undefined) return isFinite(time) ? apply(dateToISOString, new DateCtor(time), []) : null;
      if (isArray(v)) {
        const length = dataValue(getOwnPropertyDescriptor(v, 'length'));
        const out = [];
        setPrototypeOf(out, null);
        for (let i = 0; i < length; i++) {
          const c = copy(dataValue(getOwnPropertyDescriptor(v, StringCtor(i))), depth + 1);
          out[i] = c === undefined ? null : c;
        }
        return out;
      }
      const out = create(null);
      const keys = ownKeys(v);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        if (typeof k !== 'string') continue;
        const d = getOwnPropertyDescriptor(v, k);
        if (d === undefined || !d.enumerable || !hasOwn(d, 'value')) continue;
        const c = copy(d.value, depth + 1);
        if (c !== undefined) out[k] = c;
      }
      return out;
    }
    const copied = copy(value, 0);
    return copied === undefined ? 'null' : stringify(copied);
  }

  function ownFunction(object, name) {
    if (object === null || typeof object !== 'object' || isProxy(object)) return undefined;
    const v = dataValue(getOwnPropertyDescriptor(object, name));
    return typeof v === 'function' ? v : undefined;
  }
  function callGuest(fn, self, args) {
    if (typeof fn === 'function') return apply(fn, self, args);
    return undefined;
  }
  function later(fn) { apply(promiseThen, promiseResolve(undefined), [fn]); }

  // ---- the wx bridge ---------------------------------------------------------------------------
  const pending = create(null);
  let nextCallId = 1;

  // taskId: the call is a task's (its creation or one of its methods); it never answers with a Promise,
  // and the host gets {task, options} so it knows which task the call is about.
  function callAsync(name, options, buffer, taskId, opensTask) {
    const callbacks = {
      success: ownFunction(options, 'success'),
      fail: ownFunction(options, 'fail'),
      complete: ownFunction(options, 'complete')
    };
    const usePromise = taskId === undefined && callbacks.success === undefined && callbacks.fail === undefined && callbacks.complete === undefined;
    const id = nextCallId++;
    let settle;
    const promise = usePromise ? new PromiseCtor((resolve, reject) => { settle = { resolve, reject }; }) : undefined;
    pending[id] = { callbacks, settle, buffer, opens: opensTask === true ? taskId : undefined };
    let args;
    try {
      if (options !== undefined && (options === null || typeof options !== 'object')) {
        throw new SnapshotError('options must be an object');
      }
      args = snapshot(options === undefined ? {} : options);
      if (taskId !== undefined) args = '{"task":' + taskId + ',"options":' + args + '}';
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      host.reject(name, id, StringCtor(e.message));
      return promise;
    }
    host.call(name, id, args);
    return promise;
  }

  function callSync(name, args) {
    let json;
    try {
      json = snapshot(args);
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      throw new ErrorCtor(name + ':fail ' + e.message);
    }
    const reply = parse(host.callSync(name, json));
    if (!reply.ok) throw new ErrorCtor(reply.errMsg);
    return reply.value;
  }

  // A result field the host answers as bytes (plain numbers) reaches the guest as an ArrayBuffer, as in WeChat.
  function toBuffer(result, field) {
    const values = dataValue(getOwnPropertyDescriptor(result, field));
    if (!isArray(values)) return;
    const bytes = new Uint8ArrayCtor(values.length);
    for (let i = 0; i < values.length; i++) bytes[i] = values[i];
    defineProperty(result, field, { value: apply(typedArrayBuffer, bytes, []), writable: true, enumerable: true, configurable: true });
  }

  function deliver(id, ok, resultJson) {
    const call = pending[id];
    if (call === undefined) return;
    delete pending[id];
    const result = parse(resultJson);
    if (ok && call.buffer !== undefined) toBuffer(result, call.buffer);
    const cb = call.callbacks;
    try {
      callGuest(ok ? cb.success : cb.fail, undefined, [result]);
    } finally {
      callGuest(cb.complete, undefined, [result]);
      if (call.settle !== undefined) (ok ? call.settle.resolve : call.settle.reject)(result);
      // A task's creation settles as its open or its first error, in this same event: no task event can come first.
      if (call.opens !== undefined) fireTask(call.opens, ok ? 'open' : 'error', result, !ok);
    }
  }

  // Listener channels (wx.onX / wx.offX): kept here, never cross the bridge.
  const channels = create(null);
  function listen(channel, listener) {
    if (typeof listener !== 'function') return;
    let list = channels[channel];
    if (list === undefined) { list = []; setPrototypeOf(list, null); channels[channel] = list; }
    list[list.length] = listener;
  }
  function unlisten(channel, listener) {
    const list = channels[channel];
    if (list === undefined) return;
    const kept = [];
    setPrototypeOf(kept, null);
    for (let i = 0; i < list.length; i++) {
      if (listener !== undefined && list[i] !== listener) kept[kept.length] = list[i];
    }
    channels[channel] = kept;
  }
  function notify(channel, payload) {
    const list = channels[channel];
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) callGuest(list[i], undefined, [payload]);
  }

  // ---- task objects (SocketTask) ----------------------------------------------------------------
  // An API whose registry entry has a task returns a fresh task object: each method is a host call
  // "api.method" about this task, each event an onX(listener) the host's taskEvent reaches.
  const tasks = create(null);
  let nextTaskId = 1;
  function isArrayBuffer(v) {
    try { apply(arrayBufferByteLength, v, []); return true; } catch (e) { return false; }
  }
  // The options a task method sends: an ArrayBuffer in the buffer field travels as bytes, marked binary.
  function taskOptions(options, field) {
    if (field === undefined || options === null || typeof options !== 'object') return options;
    const value = dataValue(getOwnPropertyDescriptor(options, field));
    if (value === undefined || !isArrayBuffer(value)) return options;
    const bytes = new Uint8ArrayCtor(value);
    const plain = [];
    setPrototypeOf(plain, null); // appending must not run guest setters on Array.prototype
    for (let i = 0; i < bytes.length; i++) plain[i] = bytes[i];
    const copy = create(null);
    const keys = ownKeys(options);
    for (let i = 0; i < keys.length; i++) {
      const d = getOwnPropertyDescriptor(options, keys[i]);
      if (typeof keys[i] === 'string' && d !== undefined && hasOwn(d, 'value')) copy[keys[i]] = d.value;
    }
    copy[field] = plain;
    copy.binary = true;
    return copy;
  }
  function newTask(name, spec, options) {
    const id = nextTaskId++;
    const listeners = create(null);
    const task = {};
    const methods = spec.methods, events = spec.events, field = dataValue(getOwnPropertyDescriptor(spec, 'buffer'));
    for (let i = 0; i < methods.length; i++) {
      const method = methods[i];
      defineProperty(task, method, { value: function (o) { callAsync(name + '.' + method, taskOptions(o === undefined ? {} : o, field), undefined, id); },
        writable: true, enumerable: true, configurable: true });
    }
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      const list = []; setPrototypeOf(list, null);
      listeners[event] = list;
      const on = 'on' + apply(strToUpperCase, apply(strSlice, event, [0, 1]), []) + apply(strSlice, event, [1]);
      defineProperty(task, on, { value: function (listener) { if (typeof listener === 'function') list[list.length] = listener; },
        writable: true, enumerable: true, configurable: true });
    }
    tasks[id] = { listeners, field };
    callAsync(name, options, undefined, id, true);
    return task;
  }
  // last: the task is over (closed, or never opened); nothing more reaches it.
  function fireTask(id, event, payload, last) {
    const t = tasks[id];
    if (t === undefined) return;
    const list = t.listeners[event];
    if (last) delete tasks[id];
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) callGuest(list[i], undefined, [payload]);
  }
  function taskEvent(id, event, payloadJson) {
    const t = tasks[id];
    if (t === undefined) return;
    const payload = parse(payloadJson);
    if (t.field !== undefined && dataValue(getOwnPropertyDescriptor(payload, 'binary')) === true) { toBuffer(payload, t.field); delete payload.binary; }
    fireTask(id, event, payload, event === 'close');
  }

  // wx is built from the host's registry: this file names no API. It is the guest's own ordinary
  // object, as in WeChat: apps wrap, add and delete its members. Nothing here ever reads it back;
  // each member is a closure over callAsync/callSync/listen, and the host decides policy for every
  // call, so a guest that changes its wx only changes what its own code calls.
  const wx = {};
  function install(api) {
    // Read now, before any guest code: a field the entry lacks must not come from a polluted prototype later.
    const name = api.name, channel = dataValue(getOwnPropertyDescriptor(api, 'channel'));
    const buffer = dataValue(getOwnPropertyDescriptor(api, 'buffer'));
    const params = hasOwn(api, 'params') ? api.params : [];
    const task = dataValue(getOwnPropertyDescriptor(api, 'task'));
    switch (api.style) {
      case 'async':
        if (task !== undefined) member(name, function (options) { return newTask(name, task, options); });
        else member(name, function (options) { return callAsync(name, options, buffer); });
        break;
      case 'sync':
        member(name, function () {
          const args = create(null); // no prototype: a guest setter on Object.prototype never sees the arguments
          for (let i = 0; i < params.length; i++) args[params[i]] = arguments[i];
          return callSync(name, args);
        });
        break;
      case 'defer':
        member(name, function (callback) {
          if (typeof callback !== 'function') throw new TypeErrorCtor(name + '() takes a function');
          const id = nextDeferredId++;
          deferred[id] = callback;
          try { callSync(name, { id }); } catch (e) { delete deferred[id]; throw e; }
        });
        break;
      case 'on':
        member(name, function (listener) { listen(channel, listener); });
        break;
      case 'off':
        member(name, function (listener) { unlisten(channel, listener); });
        break;
      default:
        throw new TypeErrorCtor('unknown wx API style ' + api.style);
    }
  }
  // Defined, not assigned: never runs a setter (there is none before guest code, but say so).
  function member(name, fn) { defineProperty(wx, name, { value: fn, writable: true, enumerable: true, configurable: true }); }
  for (let i = 0; i < config.apis.length; i++) install(config.apis[i]);
  defineProperty(global, 'wx', { value: wx, writable: true, configurable: true, enumerable: false });

  // WeChat's `global`: the guest's own global object (the host's names were deleted above), the same
  // object in every module. A guest-owned binding like wx: the framework never reads it.
  defineProperty(global, 'global', { value: global, writable: true, configurable: true, enumerable: false });

  // ---- console ---------------------------------------------------------------------------------
  function logText(args) {
    let text = '';
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      let s;
      if (typeof a === 'string') s = a;
      else if (a instanceof ErrorCtor) s = StringCtor(a.message);
      else { try { s = snapshot(a); } catch (e) { s = '[unprintable]'; } }
      text += (i > 0 ? ' ' : '') + s;
    }
    return text;
  }
  // The guest's own object too (apps wrap console.log to filter or tag lines); each member is a
  // closure over host.log, and a replaced member only changes what the guest's own code calls.
  const guestConsole = create(null);
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    defineProperty(guestConsole, level, { value: function () { host.log(level, logText(arguments)); }, writable: true, enumerable: true, configurable: true });
  }
  defineProperty(global, 'console', { value: guestConsole, writable: true, configurable: true, enumerable: false });

  // ---- deferred callbacks ----------------------------------------------------------------------
  // Callbacks the session runs later as their own events (the 'defer' style): kept here, only their ids cross.
  const deferred = create(null);
  let nextDeferredId = 1;
  function runDeferred(id) {
    const fn = deferred[id];
    if (fn === undefined) return;
    delete deferred[id];
    apply(fn, undefined, []);
  }

  // ---- timers ----------------------------------------------------------------------------------
  const timers = create(null);
  let nextTimerId = 1;
  function addTimer(fn, delay, args, repeat) {
    if (typeof fn !== 'function') throw new TypeErrorCtor('timer callback must be a function (code strings are not allowed)');
    const id = nextTimerId++;
    const ms = typeof delay === 'number' && isFinite(delay) && delay > 0 ? delay : 0;
    timers[id] = { fn, args, repeat };
    if (!host.setTimer(id, ms, repeat)) { delete timers[id]; return 0; }
    return id;
  }
  function clearTimer(id) {
    if (typeof id === 'number' && timers[id] !== undefined) { delete timers[id]; host.clearTimer(id); }
  }
  defineProperty(global, 'setTimeout', { value: function setTimeout(fn, delay, ...args) { return addTimer(fn, delay, args, false); }, writable: true, configurable: true });
  defineProperty(global, 'setInterval', { value: function setInterval(fn, delay, ...args) { return addTimer(fn, delay, args, true); }, writable: true, configurable: true });
  defineProperty(global, 'clearTimeout', { value: function clearTimeout(id) { clearTimer(id); }, writable: true, configurable: true });
  defineProperty(global, 'clearInterval', { value: function clearInterval(id) { clearTimer(id); }, writable: true, configurable: true });
  function runTimer(id) {
    const t = timers[id];
    if (t === undefined) return;
    if (!t.repeat) delete timers[id];
    apply(t.fn, undefined, t.args);
  }

  // ---- modules ---------------------------------------------------------------------------------
  const modules = create(null);
  function makeRequire(fromFile) {
    return function require(request) {
      if (typeof request !== 'string') throw new TypeErrorCtor('require() takes a string path');
      const resolved = host.resolve(fromFile, request);
      if (apply(strStartsWith, resolved, ['!'])) throw new ErrorCtor(apply(strSlice, resolved, [1]));
      return load(resolved);
    };
  }
  function load(path) {
    const cached = modules[path];
    if (cached !== undefined) return cached.exports; // a cycle sees the partial exports, as in Node
    const fn = host.compile(path);
    if (typeof fn === 'string') throw new SyntaxErrorCtor(fn); // refused before the engine compiled it
    const module = { exports: {} };
    modules[path] = module;
    const dir = apply(strSlice, path, [0, apply(strLastIndexOf, path, ['/']) + 1]);
    apply(fn, module.exports, [module.exports, makeRequire(path), module, '/' + path, '/' + dir]);
    return module.exports;
  }

  // ---- App / Page ------------------------------------------------------------------------------
  let app;
  let appDefined = false;
  // getApp({allowDefault: true}) before App(): WeChat's default implementation, one object, whose own
  // properties App() later merges over the definition's (an independent subpackage's state wins).
  let defaultApp;
  let loadingRoute = null;
  const pageDefinitions = create(null);
  const pages = create(null);
  let stack = [];

  // Guest-owned bindings like wx and console: apps wrap Page/App (mixins, analytics) and call the
  // original, which registers through this closure; the framework never reads these names back.
  defineProperty(global, 'App', { value: function App(definition) {
    if (appDefined) throw new ErrorCtor('App() may be called only once');
    if (definition === null || typeof definition !== 'object') throw new TypeErrorCtor('App() takes an object');
    appDefined = true;
    app = definition;
    if (defaultApp !== undefined) {
      const keys = ownKeys(defaultApp);
      for (let i = 0; i < keys.length; i++) {
        const d = getOwnPropertyDescriptor(defaultApp, keys[i]);
        if (d !== undefined && d.enumerable && hasOwn(d, 'value')) put(app, keys[i], d.value);
      }
    }
  }, writable: true, configurable: true });
  defineProperty(global, 'getApp', { value: function getApp(options) {
    if (appDefined) return app;
    if (options === null || typeof options !== 'object' || isProxy(options)) return undefined;
    if (dataValue(getOwnPropertyDescriptor(options, 'allowDefault')) !== true) return undefined;
    if (defaultApp === undefined) defaultApp = {};
    return defaultApp;
  }, writable: true, configurable: true });

  // App-level events (an uncaught error, an unhandled rejection, a missing launch page): the App's handler, then the
  // wx.onX listeners of the channel, as WeChat; both get the same argument.
  function appEvent(name, channel, arg) {
    const fn = app === undefined ? undefined : app[name]; // the guest's own object, read in the guest's event, as hook() does
    if (typeof fn === 'function') apply(fn, app, [arg]);
    notify(channel, arg);
  }

  // ---- unhandled promise rejections -----------------------------------------------------------
  // The engine reports each rejection nobody handled once its promise jobs ran (the end of the event
  // that rejected). Each is logged at once; the App's handler and the channel's listeners run
  // as the session's next event, at most config.rejectionsQueuedMax per batch.
  function emptyList() { const list = []; setPrototypeOf(list, null); return list; } // appending runs no guest setter
  let rejections = emptyList();
  function rejectionText(reason) {
    if (reason instanceof ErrorCtor) {
      try { return StringCtor(reason.name) + ': ' + StringCtor(reason.message); } catch (e) { return 'Error'; }
    }
    return logText([reason]);
  }
  setRejectionHandler(function (reason, promise) {
    const first = rejections.length === 0;
    let text;
    try { text = rejectionText(reason); } catch (e) { text = '[unprintable]'; }
    if (rejections.length < config.rejectionsQueuedMax) rejections[rejections.length] = { reason, promise };
    host.rejected(text, first);
  });
  // The host names the App hook and the channel, as for every app event (this file names no API).
  function reportRejections(name, channel) {
    const batch = rejections;
    rejections = emptyList();
    for (let i = 0; i < batch.length; i++) appEvent(name, channel, { reason: batch[i].reason, promise: batch[i].promise });
  }
  defineProperty(global, 'Page', { value: function Page(definition) {
    if (loadingRoute === null) throw new ErrorCtor('Page() must be called from a page file while it loads');
    if (definition === null || typeof definition !== 'object') throw new TypeErrorCtor('Page() takes an object');
    pageDefinitions[loadingRoute] = definition;
  }, writable: true, configurable: true });
  defineProperty(global, 'getCurrentPages', { value: function getCurrentPages() {
    const out = [];
    for (let i = 0; i < stack.length; i++) out[i] = pages[stack[i]];
    return out;
  }, writable: true, configurable: true });

  // Defines an own data property: plain assignment would run a guest setter inherited from a prototype.
  function put(object, key, value) {
    defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  }

  function parsePath(key) {
    // "a.b[2].c" -> ['a', 'b', 2, 'c']; a bad or forbidden path is a plain Error, thrown before any change
    const parts = [];
    setPrototypeOf(parts, null); // appending must not run guest setters on Array.prototype
    const pieces = apply(strSplit, key, ['.']);
    for (let i = 0; i < pieces.length; i++) {
      let piece = pieces[i];
      let bracket = apply(strIndexOf, piece, ['[']);
      const name = bracket < 0 ? piece : apply(strSlice, piece, [0, bracket]);
      if (name === '__proto__' || name === 'constructor' || name === 'prototype') throw new ErrorCtor('setData: forbidden path ' + key);
      if (name !== '') parts[parts.length] = name;
      while (bracket >= 0) {
        const close = apply(strIndexOf, piece, [']', bracket]);
        if (close < 0) throw new ErrorCtor('setData: bad path ' + key);
        const index = +apply(strSlice, piece, [bracket + 1, close]);
        if (!(index >= 0 && index === (index | 0))) throw new ErrorCtor('setData: bad index in ' + key);
        parts[parts.length] = index;
        piece = apply(strSlice, piece, [close + 1]);
        bracket = apply(strIndexOf, piece, ['[']);
      }
    }
    if (parts.length === 0) throw new ErrorCtor('setData: bad path ' + key);
    return parts;
  }
  function setPath(data, parts, value) {
    let target = data;
    for (let i = 0; i < parts.length - 1; i++) {
      let next = dataValue(getOwnPropertyDescriptor(target, parts[i]));
      if (next === null || typeof next !== 'object') {
        next = typeof parts[i + 1] === 'number' ? [] : {};
        put(target, parts[i], next);
      }
      target = next;
    }
    put(target, parts[parts.length - 1], value);
  }

  // The change applied to a copy of the page's data, checked whole (depth, size, values) before the
  // page's data is replaced by it: a refused setData leaves the data as it was, and the next one works.
  // Returns the new data, or undefined when the host refused it (a setData violation: this event stops).
  function nextData(id, route, data, change) {
    if (change === null || typeof change !== 'object') throw new TypeErrorCtor('setData() takes an object');
    let changeJson = null, next, nextJson = null;
    try {
      changeJson = snapshot(change);
      const parsed = parse(changeJson);
      const keys = ownKeys(parsed);
      const paths = [];
      setPrototypeOf(paths, null);
      for (let i = 0; i < keys.length; i++) {
        paths[i] = parsePath(keys[i]);
        if (paths[i].length >= LIMITS.depth) throw new SnapshotError('path ' + keys[i] + ' is too deep', true);
      }
      next = parse(snapshot(data));
      if (next === null || typeof next !== 'object' || isArray(next)) next = {};
      for (let i = 0; i < keys.length; i++) setPath(next, paths[i], parsed[keys[i]]);
      nextJson = snapshot(next);
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      if (!e.deep) throw new ErrorCtor('setData: ' + e.message);
    }
    // Too deep: changeJson or nextJson is null, and the host reports the violation.
    return host.setData(id, route, changeJson, nextJson) ? next : undefined;
  }

  function createPage(id, route, queryJson) {
    if (pageDefinitions[route] === undefined) {
      loadingRoute = route;
      try { load(route + '.js'); } finally { loadingRoute = null; }
      if (pageDefinitions[route] === undefined) throw new ErrorCtor('page ' + route + ' did not call Page()');
    }
    const definition = pageDefinitions[route];
    const page = {};
    const keys = ownKeys(definition);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k === 'data' || typeof k !== 'string') continue;
      const v = dataValue(getOwnPropertyDescriptor(definition, k));
      if (v !== undefined) put(page, k, v);
    }
    let dataJson;
    try {
      dataJson = snapshot(dataValue(getOwnPropertyDescriptor(definition, 'data')) || {});
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      throw new ErrorCtor('page ' + route + ' data: ' + e.message);
    }
    put(page, 'data', parse(dataJson));
    put(page, 'route', route);
    put(page, 'options', parse(queryJson));
    // The guest's own page object, as wx is: apps wrap this.setData (profilers, loggers) and call the
    // original, so it is writable. The original is a closure over this page's id, route and the
    // checks in nextData; it ignores `this`, so a wrapper (or a call with any receiver) still passes
    // every limit, and a replacement that never calls it only leaves the page's data as it was.
    defineProperty(page, 'setData', { value: function setData(change, callback) {
      const next = nextData(id, route, dataValue(getOwnPropertyDescriptor(page, 'data')), change);
      if (next === undefined) return;
      put(page, 'data', next);
      if (typeof callback === 'function') later(callback);
    }, writable: true, configurable: true, enumerable: false });
    pages[id] = page;
    host.dataChanged(id, route, dataJson);
  }

  function target(id) { return id === 0 ? app : pages[id]; }

  // What the host calls; returned to the host only.
  return freeze({
    start(appFile) { load(appFile); if (!appDefined) throw new ErrorCtor('app.js did not call App()'); },
    appEvent(name, channel, argJson) { appEvent(name, channel, parse(argJson)); },
    reportRejections,
    runDeferred,
    hook(id, name, argJson) {
      const t = target(id);
      if (t === undefined) return false;
      const fn = t[name];
      if (typeof fn !== 'function') return false;
      apply(fn, t, argJson === undefined ? [] : [parse(argJson)]);
      return true;
    },
    hasHandler(id, name) { const t = target(id); return t !== undefined && typeof t[name] === 'function'; },
    createPage,
    dropPage(id) { delete pages[id]; },
    setStack(idsJson) { stack = parse(idsJson); },
    deliver,
    taskEvent,
    runTimer,
    notify(channel, payloadJson) { notify(channel, parse(payloadJson)); }
  });
})
