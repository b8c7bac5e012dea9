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
  const builderApis = create(null); // builder name -> the API that returns it (for the instance methods that delegate)
  function install(api) {
    // Read now, before any guest code: a field the entry lacks must not come from a polluted prototype later.
    const name = api.name, channel = dataValue(getOwnPropertyDescriptor(api, 'channel'));
    const buffer = dataValue(getOwnPropertyDescriptor(api, 'buffer'));
    const params = hasOwn(api, 'params') ? api.params : [];
    const task = dataValue(getOwnPropertyDescriptor(api, 'task'));
    const builder = dataValue(getOwnPropertyDescriptor(api, 'builder'));
    if (builder !== undefined) { // an object built below (view builders); the registry names which
      builderApis[builder] = name;
      member(name, function (options) { return buildObject(builder, name, options); });
      return;
    }
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
  let lastDataJson = null; // the JSON text of the data nextData last produced (what the view renders)
  function nextData(id, route, data, change) {
    if (change === null || typeof change !== 'object') throw new TypeErrorCtor('setData() takes an object');
    lastDataJson = null;
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
      lastDataJson = nextJson;
    } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      if (!e.deep) throw new ErrorCtor('setData: ' + e.message);
    }
    // Too deep: changeJson or nextJson is null, and the host reports the violation.
    return host.setData(id, route, changeJson, nextJson) ? next : undefined;
  }

  function createPage(id, route, queryJson) {
    if (pageDefinitions[route] === undefined && pageComponents[route] === undefined) {
      loadingRoute = route;
      try { load(route + '.js'); } finally { loadingRoute = null; }
      if (pageDefinitions[route] === undefined && pageComponents[route] === undefined) throw new ErrorCtor('page ' + route + ' did not call Page() or Component()');
    }
    if (pageComponents[route] !== undefined) { createComponentPage(id, route, queryJson); return; }
    const definition = pageDefinitions[route];
    const page = {};
    addInstanceMethods(page, id);
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
      host.viewData(id, lastDataJson);
      if (typeof callback === 'function') later(callback);
    }, writable: true, configurable: true, enumerable: false });
    pages[id] = page;
    host.dataChanged(id, route, dataJson);
  }

  // ---- custom components: Component() and Behavior() --------------------------------------------
  // A definition is normalized once, when its file loads: behaviors flattened in order (each one's own
  // behaviors first), then the definition's own fields, so an instance never reads the guest's
  // definition object again. Instances are guest-owned objects like pages; the framework keeps each
  // one's id, normalized definition and data reference in a record the guest cannot reach.
  const StringType = String, NumberType = Number, BooleanType = Boolean, ObjectType = Object, ArrayType = Array, FunctionType = Function;
  const regExpTest = RegExp.prototype.test, regExpSource = getOwnPropertyDescriptor(RegExp.prototype, 'source').get;
  const WeakMapCtor = WeakMap, weakMapGet = WeakMap.prototype.get, weakMapSet = WeakMap.prototype.set;
  const strTrim = String.prototype.trim;
  const LIFETIMES = ['created', 'attached', 'ready', 'moved', 'detached', 'error'];
  const PAGE_LIFETIMES = ['show', 'hide', 'resize', 'routeDone'];
  const RELATION_TYPES = ['parent', 'child', 'ancestor', 'descendant'];
  const RELATION_CALLBACKS = { linked: 'linked', linkChanged: 'linkChanged', unlinked: 'unlinked' };
  const behaviorSpecs = new WeakMapCtor(); // opaque Behavior() token -> normalized spec
  let nextBehaviorId = 1;
  let loadingComponent = null;
  const componentDefinitions = create(null); // component path -> normalized definition
  const pageComponents = create(null); // page route -> normalized definition (a page built with Component())
  const records = create(null); // instance id -> { id, path, def, inst, isPage }

  function fail(message) { throw new ErrorCtor(message); }
  function own(object, key) { return object === null || typeof object !== 'object' || isProxy(object) ? undefined : dataValue(getOwnPropertyDescriptor(object, key)); }
  function ownObject(object, key) { const v = own(object, key); return v !== null && typeof v === 'object' && !isProxy(v) ? v : undefined; }
  function stringKeys(object) {
    const out = emptyList();
    if (object === undefined) return out;
    const keys = ownKeys(object);
    for (let i = 0; i < keys.length; i++) if (typeof keys[i] === 'string') out[out.length] = keys[i];
    return out;
  }
  function plainCopy(value, what) {
    try { return parse(snapshot(value === undefined ? null : value)); } catch (e) {
      if (!(e instanceof SnapshotError)) throw e;
      throw new ErrorCtor(what + ': ' + e.message);
    }
  }

  function typeName(t, where) {
    if (t === StringType) return 'String';
    if (t === NumberType) return 'Number';
    if (t === BooleanType) return 'Boolean';
    if (t === ObjectType) return 'Object';
    if (t === ArrayType) return 'Array';
    if (t === FunctionType) return 'Function';
    if (t === null || t === undefined) return 'Any';
    throw new TypeErrorCtor(where + ': type must be String, Number, Boolean, Object, Array, Function or null');
  }
  function typeDefault(type) {
    switch (type) {
      case 'String': return '';
      case 'Number': return 0;
      case 'Boolean': return false;
      case 'Array': return [];
      default: return null;
    }
  }
  function matchesType(type, v) {
    switch (type) {
      case 'String': return typeof v === 'string';
      case 'Number': return typeof v === 'number' && isFinite(v);
      case 'Boolean': return typeof v === 'boolean';
      case 'Object': return v !== null && typeof v === 'object' && !isArray(v);
      case 'Array': return isArray(v);
      case 'Function': return false;
      default: return v !== undefined;
    }
  }
  // WeChat's coercion of a property value (glass-easel's rules): optional types first, then the type's own.
  function coerce(prop, v) {
    for (let i = 0; i < prop.optionalTypes.length; i++) if (matchesType(prop.optionalTypes[i], v)) return v;
    const fallback = () => plainCopy(prop.value, 'property default');
    switch (prop.type) {
      // An object becomes its tag, never running a guest toString (glass-easel force-converts with String()).
      case 'String': return v === null || v === undefined ? fallback() : typeof v === 'object' ? (isArray(v) ? '' : '[object Object]') : StringCtor(v);
      case 'Number': { const n = v === null ? 0 : typeof v === 'boolean' || typeof v === 'string' || typeof v === 'number' ? +v : NaN; return isFinite(n) ? n : fallback(); }
      case 'Boolean': return !!v;
      case 'Array': return isArray(v) ? v : fallback();
      case 'Object': return typeof v === 'object' ? v : fallback();
      case 'Function': return fallback();
      default: return v === undefined ? fallback() : v;
    }
  }

  function normalizeProperty(name, d, where) {
    if (d === null || typeof d === 'function') {
      const type = typeName(d, where + ' property ' + name);
      return freeze({ type, optionalTypes: [], value: typeDefault(type), observer: undefined });
    }
    if (typeof d !== 'object' || isProxy(d)) throw new TypeErrorCtor(where + ' property ' + name + ': a type or {type, value, observer}');
    const type = typeName(own(d, 'type'), where + ' property ' + name);
    const optional = own(d, 'optionalTypes');
    const optionalTypes = [];
    if (isArray(optional)) for (let i = 0; i < optional.length; i++) optionalTypes[i] = typeName(dataValue(getOwnPropertyDescriptor(optional, StringCtor(i))), where + ' property ' + name);
    const hasValue = hasOwn(d, 'value');
    let value = hasValue ? plainCopy(own(d, 'value'), where + ' property ' + name + ' value') : typeDefault(type);
    const observer = own(d, 'observer');
    if (observer !== undefined && typeof observer !== 'function' && typeof observer !== 'string') throw new TypeErrorCtor(where + ' property ' + name + ': observer must be a function or a method name');
    return freeze({ type, optionalTypes, value, observer });
  }

  // 'a, b.c, arr[0], x.**' -> [['a'], ['b','c'], ['arr', 0], ['x', '**']]
  function observerPaths(key) {
    const out = emptyList();
    const pieces = apply(strSplit, key, [',']);
    for (let i = 0; i < pieces.length; i++) {
      const text = apply(strTrim, pieces[i], []);
      if (text === '**') { const all = emptyList(); all[0] = '**'; out[out.length] = all; continue; }
      const wildcard = text.length > 3 && apply(strSlice, text, [-3]) === '.**';
      const parts = parsePath(wildcard ? apply(strSlice, text, [0, -3]) : text);
      if (wildcard) parts[parts.length] = '**';
      out[out.length] = parts;
    }
    return out;
  }

  function emptySpec() {
    const spec = create(null);
    spec.properties = create(null); spec.data = create(null); spec.methods = create(null);
    spec.observers = emptyList(); spec.lifetimes = create(null); spec.pageLifetimes = create(null);
    spec.relations = create(null); spec.externalClasses = emptyList(); spec.behaviors = emptyList();
    for (let l_i = 0, l_list = LIFETIMES, l; l_i < l_list.length && ((l = l_list[l_i]), true); l_i++) spec.lifetimes[l] = emptyList();
    for (let l_i = 0, l_list = PAGE_LIFETIMES, l; l_i < l_list.length && ((l = l_list[l_i]), true); l_i++) spec.pageLifetimes[l] = emptyList();
    return spec;
  }
  function append(list, value) { list[list.length] = value; }
  function mergeSpec(into, from) {
    for (let i = 0; i < from.behaviors.length; i++) if (!includes(into.behaviors, from.behaviors[i])) append(into.behaviors, from.behaviors[i]);
    for (let k_i = 0, k_list = stringKeys(from.properties), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) into.properties[k] = from.properties[k];
    for (let k_i = 0, k_list = stringKeys(from.data), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) into.data[k] = mergeData(into.data[k], from.data[k]);
    for (let k_i = 0, k_list = stringKeys(from.methods), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) into.methods[k] = from.methods[k];
    for (let i = 0; i < from.observers.length; i++) append(into.observers, from.observers[i]);
    for (let l_i = 0, l_list = LIFETIMES, l; l_i < l_list.length && ((l = l_list[l_i]), true); l_i++) for (let i = 0; i < from.lifetimes[l].length; i++) append(into.lifetimes[l], from.lifetimes[l][i]);
    for (let l_i = 0, l_list = PAGE_LIFETIMES, l; l_i < l_list.length && ((l = l_list[l_i]), true); l_i++) for (let i = 0; i < from.pageLifetimes[l].length; i++) append(into.pageLifetimes[l], from.pageLifetimes[l][i]);
    for (let k_i = 0, k_list = stringKeys(from.relations), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) into.relations[k] = from.relations[k];
    for (let i = 0; i < from.externalClasses.length; i++) if (!includes(into.externalClasses, from.externalClasses[i])) append(into.externalClasses, from.externalClasses[i]);
  }
  // Data of the same name from a later behavior or the definition: plain objects merge, anything else replaces.
  function mergeData(before, after) {
    if (before === null || typeof before !== 'object' || isArray(before) || after === null || typeof after !== 'object' || isArray(after)) return after;
    const out = create(null);
    for (let k_i = 0, k_list = stringKeys(before), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) out[k] = before[k];
    for (let k_i = 0, k_list = stringKeys(after), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) out[k] = mergeData(out[k], after[k]);
    return out;
  }
  function includes(list, v) { for (let i = 0; i < list.length; i++) if (list[i] === v) return true; return false; }

  // The definition's own fields as a spec (its behaviors already merged into `spec` by the caller).
  function ownSpec(definition, where, spec) {
    const props = ownObject(definition, 'properties');
    for (let k_i = 0, k_list = stringKeys(props), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) spec.properties[k] = normalizeProperty(k, dataValue(getOwnPropertyDescriptor(props, k)), where);
    const data = own(definition, 'data');
    if (data !== undefined) {
      const copied = plainCopy(data, where + ' data');
      for (let k_i = 0, k_list = stringKeys(copied), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) spec.data[k] = mergeData(spec.data[k], copied[k]);
    }
    const methods = ownObject(definition, 'methods');
    for (let k_i = 0, k_list = stringKeys(methods), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) {
      const fn = own(methods, k);
      if (typeof fn === 'function') spec.methods[k] = fn;
    }
    const observers = ownObject(definition, 'observers');
    for (let k_i = 0, k_list = stringKeys(observers), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) {
      const fn = own(observers, k);
      if (typeof fn === 'function') append(spec.observers, freeze({ paths: observerPaths(k), fn }));
    }
    const lifetimes = ownObject(definition, 'lifetimes');
    for (let l_i = 0, l_list = LIFETIMES, l; l_i < l_list.length && ((l = l_list[l_i]), true); l_i++) {
      // lifetimes.x wins over the legacy top-level key of the same definition, as in WeChat
      const fn = own(lifetimes, l) !== undefined ? own(lifetimes, l) : own(definition, l);
      if (typeof fn === 'function') append(spec.lifetimes[l], fn);
    }
    const pageLifetimes = ownObject(definition, 'pageLifetimes');
    for (let l_i = 0, l_list = PAGE_LIFETIMES, l; l_i < l_list.length && ((l = l_list[l_i]), true); l_i++) {
      const fn = own(pageLifetimes, l);
      if (typeof fn === 'function') append(spec.pageLifetimes[l], fn);
    }
    const relations = ownObject(definition, 'relations');
    for (let k_i = 0, k_list = stringKeys(relations), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) {
      const r = ownObject(relations, k);
      const type = own(r, 'type');
      if (!includes(RELATION_TYPES, type)) throw new TypeErrorCtor(where + ' relation ' + k + ': type must be parent, child, ancestor or descendant');
      const target = own(r, 'target');
      const rel = create(null);
      rel.type = type;
      rel.target = target === undefined ? null : behaviorSpec(target, where).id;
      for (let c_i = 0, c_list = stringKeys(RELATION_CALLBACKS), c; c_i < c_list.length && ((c = c_list[c_i]), true); c_i++) { const fn = own(r, c); if (typeof fn === 'function') rel[c] = fn; }
      spec.relations[k] = freeze(rel);
    }
    const external = own(definition, 'externalClasses');
    if (isArray(external)) for (let i = 0; i < external.length; i++) {
      const c = dataValue(getOwnPropertyDescriptor(external, StringCtor(i)));
      if (typeof c === 'string' && !includes(spec.externalClasses, c)) append(spec.externalClasses, c);
    }
  }

  // Built-in behaviors: form participation (name/value properties the engine reads for forms) and
  // export() deciding what selectComponent returns.
  function builtin(id, properties) {
    const spec = emptySpec();
    spec.id = id;
    append(spec.behaviors, id);
    const keys = stringKeys(properties);
    for (let i = 0; i < keys.length; i++) spec.properties[keys[i]] = normalizeProperty(keys[i], properties[keys[i]], id);
    return freeze(spec);
  }
  const BUILTIN_BEHAVIORS = freeze({
    'wx://form-field': builtin('wx://form-field', { name: StringType, value: null }),
    'wx://form-field-group': builtin('wx://form-field-group', {}),
    'wx://form-field-button': builtin('wx://form-field-button', {}),
    'wx://component-export': builtin('wx://component-export', {})
  });
  function behaviorSpec(b, where) {
    if (typeof b === 'string') {
      const spec = BUILTIN_BEHAVIORS[b];
      if (spec === undefined) throw new ErrorCtor(where + ': unknown built-in behavior ' + b);
      return spec;
    }
    const spec = b !== null && typeof b === 'object' ? apply(weakMapGet, behaviorSpecs, [b]) : undefined;
    if (spec === undefined) throw new TypeErrorCtor(where + ': behaviors must be Behavior() results or built-in behavior names');
    return spec;
  }

  // A definition (of a component, a page or a behavior) to its spec: definitionFilter of its behaviors
  // first (they may rewrite the definition), then each behavior in order, then its own fields.
  function normalize(definition, where) {
    if (definition === null || typeof definition !== 'object' || isProxy(definition)) throw new TypeErrorCtor(where + ' takes an object');
    const spec = emptySpec();
    const list = own(definition, 'behaviors');
    const used = emptyList();
    if (list !== undefined) {
      if (!isArray(list)) throw new TypeErrorCtor(where + ': behaviors must be an array');
      for (let i = 0; i < list.length; i++) append(used, behaviorSpec(dataValue(getOwnPropertyDescriptor(list, StringCtor(i))), where));
    }
    for (let i = 0; i < used.length; i++) if (used[i].definitionFilter !== undefined) apply(used[i].definitionFilter, undefined, [definition, []]);
    for (let i = 0; i < used.length; i++) mergeSpec(spec, used[i]);
    ownSpec(definition, where, spec);
    const options = ownObject(definition, 'options');
    const pattern = own(options, 'pureDataPattern');
    let pureDataPattern = null;
    if (pattern !== undefined) {
      try { apply(regExpSource, pattern, []); } catch (e) { throw new TypeErrorCtor(where + ': options.pureDataPattern must be a RegExp'); }
      pureDataPattern = pattern;
    }
    const styleIsolation = own(options, 'styleIsolation');
    spec.options = freeze({
      multipleSlots: own(options, 'multipleSlots') === true,
      addGlobalClass: own(options, 'addGlobalClass') === true,
      virtualHost: own(options, 'virtualHost') === true,
      styleIsolation: typeof styleIsolation === 'string' ? styleIsolation : null,
      pureDataPattern
    });
    return spec;
  }

  defineProperty(global, 'Behavior', { value: function Behavior(definition) {
    const spec = normalize(definition, 'Behavior()');
    spec.id = 'behavior:' + nextBehaviorId++;
    append(spec.behaviors, spec.id);
    const filter = own(definition, 'definitionFilter');
    if (typeof filter === 'function') spec.definitionFilter = filter;
    const token = freeze(create(null));
    apply(weakMapSet, behaviorSpecs, [token, freeze(spec)]);
    return token;
  }, writable: true, configurable: true });

  defineProperty(global, 'Component', { value: function Component(definition) {
    if (loadingComponent !== null) { componentDefinitions[loadingComponent] = normalize(definition, 'Component() in ' + loadingComponent); return; }
    if (loadingRoute !== null) { pageComponents[loadingRoute] = normalize(definition, 'Component() in ' + loadingRoute); return; }
    throw new ErrorCtor('Component() must be called from a component or page file while it loads');
  }, writable: true, configurable: true });

  // The component at `path` (no extension), loading path.js with Component() as its registrar once.
  function componentSpec(path) {
    if (componentDefinitions[path] === undefined) {
      if (loadingComponent !== null) throw new ErrorCtor('component ' + path + ' loads while ' + loadingComponent + ' loads');
      loadingComponent = path;
      try { load(path + '.js'); } finally { loadingComponent = null; }
      if (componentDefinitions[path] === undefined) throw new ErrorCtor('component ' + path + ' did not call Component()');
    }
    return componentDefinitions[path];
  }

  // What the view engine needs of a component: data only, never functions.
  function describe(path) {
    const spec = componentSpec(path);
    const out = create(null);
    const properties = create(null);
    for (let k_i = 0, k_list = stringKeys(spec.properties), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) {
      const p = spec.properties[k];
      properties[k] = { type: p.type, optionalTypes: p.optionalTypes, value: p.value };
    }
    out.properties = properties;
    out.externalClasses = spec.externalClasses;
    const o = spec.options;
    out.options = { multipleSlots: o.multipleSlots, addGlobalClass: o.addGlobalClass, virtualHost: o.virtualHost, styleIsolation: o.styleIsolation,
      pureDataPattern: o.pureDataPattern === null ? null : apply(regExpSource, o.pureDataPattern, []) };
    const relations = create(null);
    for (let k_i = 0, k_list = stringKeys(spec.relations), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) relations[k] = { type: spec.relations[k].type, target: spec.relations[k].target };
    out.relations = relations;
    out.behaviors = spec.behaviors;
    return snapshot(out); // own data only: a toJSON or getter the guest put on a prototype never runs
  }

  function isPure(spec, key) { const p = spec.options.pureDataPattern; return p !== null && apply(regExpTest, p, [key]) === true; }
  function recordData(rec) { return dataValue(getOwnPropertyDescriptor(rec.inst, 'data')); }

  function runAll(fns, self, args) { for (let i = 0; i < fns.length; i++) apply(fns[i], self, args); }
  function callObserver(rec, observer, newValue, oldValue, name) {
    const fn = typeof observer === 'string' ? rec.inst[observer] : observer;
    if (typeof fn === 'function') apply(fn, rec.inst, [newValue, oldValue, [name]]);
  }
  function valueAt(data, path) {
    let cur = data;
    for (let i = 0; i < path.length && path[i] !== '**'; i++) cur = cur !== null && typeof cur === 'object' ? dataValue(getOwnPropertyDescriptor(cur, StringCtor(path[i]))) : undefined;
    return cur;
  }
  // glass-easel's rule: an observer path fires when the change path is its prefix; a `.**` path also
  // when its base is a prefix of the change path; `**` always.
  function observes(path, changed) {
    const wildcard = path[path.length - 1] === '**';
    const n = wildcard ? path.length - 1 : path.length;
    for (let i = 0; i < n && i < changed.length; i++) if (StringCtor(path[i]) !== StringCtor(changed[i])) return false;
    return changed.length <= n || wildcard;
  }
  // After a change is committed: data observers (once each, with the new values), then the observer of
  // each property whose value changed.
  function afterChange(rec, changedPaths, before) {
    const data = recordData(rec);
    const observers = rec.def.observers;
    for (let i = 0; i < observers.length; i++) {
      const o = observers[i];
      let fire = false;
      for (let p = 0; p < o.paths.length && !fire; p++) for (let c = 0; c < changedPaths.length && !fire; c++) fire = observes(o.paths[p], changedPaths[c]);
      if (!fire) continue;
      const args = emptyList();
      for (let p = 0; p < o.paths.length; p++) args[p] = valueAt(data, o.paths[p]);
      apply(o.fn, rec.inst, args);
    }
    for (let c = 0; c < changedPaths.length; c++) {
      const name = changedPaths[c][0];
      const prop = changedPaths[c].length === 1 ? rec.def.properties[name] : undefined;
      if (prop === undefined || prop.observer === undefined) continue;
      const oldValue = before === null ? prop.value : dataValue(getOwnPropertyDescriptor(before, name));
      const newValue = dataValue(getOwnPropertyDescriptor(data, name));
      if (oldValue !== newValue) callObserver(rec, prop.observer, newValue, oldValue, name);
    }
  }
  // A change with its top-level property values coerced to their types, as a plain copy the checks take.
  function coercedChange(rec, change) {
    if (change === null || typeof change !== 'object' || isProxy(change)) return change;
    const copy = create(null);
    const keys = ownKeys(change);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const d = typeof k === 'string' ? getOwnPropertyDescriptor(change, k) : undefined;
      if (d === undefined || !d.enumerable || !hasOwn(d, 'value')) continue;
      const prop = rec.def.properties[k];
      copy[k] = prop === undefined ? d.value : coerce(prop, d.value);
    }
    return copy;
  }
  function changedPathsOf(change) {
    const out = emptyList();
    for (let k_i = 0, k_list = stringKeys(change), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) out[out.length] = parsePath(k);
    return out;
  }
  // setData of a component (or a Component() page): nextData's checks, then observers.
  function componentSetData(rec, change, callback) {
    if (records[rec.id] !== rec) return;
    const before = recordData(rec);
    const coerced = coercedChange(rec, change);
    const next = nextData(rec.id, rec.path, before, coerced);
    if (next === undefined) return;
    put(rec.inst, 'data', next);
    reportData(rec);
    afterChange(rec, changedPathsOf(coerced), before);
    if (typeof callback === 'function') later(callback);
  }
  // The data the view renders: pure-data fields left out (options.pureDataPattern).
  function reportData(rec) {
    const pattern = rec.def.options.pureDataPattern;
    if (pattern === null && lastDataJson !== null) { host.viewData(rec.id, lastDataJson); return; }
    const data = recordData(rec), shown = create(null);
    for (let k_i = 0, k_list = stringKeys(data), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) if (!isPure(rec.def, k)) shown[k] = dataValue(getOwnPropertyDescriptor(data, k));
    host.viewData(rec.id, snapshot(shown));
  }
  // Property values from the owner's template (or a page's query): coerced, committed, observers run.
  function setProperties(rec, given) {
    const before = recordData(rec);
    const next = parse(snapshot(before));
    const changed = emptyList();
    for (let k_i = 0, k_list = stringKeys(given), k; k_i < k_list.length && ((k = k_list[k_i]), true); k_i++) {
      const prop = rec.def.properties[k];
      if (prop === undefined) continue;
      next[k] = coerce(prop, given[k]);
      const path = emptyList(); path[0] = k;
      changed[changed.length] = path;
    }
    put(rec.inst, 'data', next);
    lastDataJson = null;
    reportData(rec);
    afterChange(rec, changed, before);
  }
  function createComponent(id, path, ownerId, propsJson, elementId, datasetJson) {
    const rec = makeComponent(id, path, componentSpec(path), false);
    rec.owner = ownerId;
    // this.id and this.dataset: the host element's id and data-* values as the owner's template gave them
    if (elementId !== undefined) rec.inst.id = StringCtor(elementId);
    if (datasetJson !== undefined) rec.inst.dataset = parse(datasetJson);
    lastDataJson = null;
    reportData(rec);
    runAll(rec.def.lifetimes.created, rec.inst, []);
    if (records[id] === rec) setProperties(rec, parse(propsJson));
  }

  // What selectComponent and friends return for an instance: export()'s result under wx://component-export.
  function exposed(id, from) {
    const rec = records[id];
    if (rec === undefined) return pages[id] === undefined ? null : pages[id];
    if (from !== undefined && includes(rec.def.behaviors, 'wx://component-export')) {
      const fn = rec.def.methods.export !== undefined ? rec.def.methods.export : undefined;
      if (typeof fn === 'function') return apply(fn, rec.inst, []);
    }
    return rec.inst;
  }
  function idList(json) {
    if (apply(strStartsWith, json, ['!'])) throw new ErrorCtor(apply(strSlice, json, [1]));
    const ids = parse(json);
    return isArray(ids) ? ids : [];
  }
  // The instance methods every component and page has (non-enumerable, writable: the guest's own).
  function addInstanceMethods(inst, id) {
    const method = (name, fn) => defineProperty(inst, name, { value: fn, writable: true, configurable: true, enumerable: false });
    method('selectComponent', function selectComponent(selector) {
      const ids = idList(host.selectComponents(id, StringCtor(selector), false));
      return ids.length === 0 ? null : exposed(ids[0], id);
    });
    method('selectAllComponents', function selectAllComponents(selector) {
      const ids = idList(host.selectComponents(id, StringCtor(selector), true));
      const out = [];
      for (let i = 0; i < ids.length; i++) out[i] = exposed(ids[i], id);
      return out;
    });
    // The instance's own query method: the same builder already scoped to this instance, as WeChat's .in(this)
    const queryApi = builderApis.selectorQuery;
    if (queryApi !== undefined) method(queryApi, function () { return newSelectorQuery(queryApi, id); });
    apply(weakMapSet, instanceIds, [inst, id]);
  }

  // ==== view builders: selector query and animation (docs/view.md, "View APIs") ==================
  // The objects the registry's builder entries return, named by the registry (this file names no API).
  // A query keeps its requests and sends them in one host call on exec, under its API's name; the host
  // resolves each selector in the scope's view. An animation never calls the host: its export() is plain
  // data that a template binds to an element's animation attribute, and the renderer turns into styles.
  const instanceIds = new WeakMapCtor(); // page or component instance -> its id, for .in(component)
  function buildObject(kind, name, options) {
    if (kind === 'selectorQuery') return newSelectorQuery(name, 0);
    if (kind === 'animation') return newAnimation(options);
    throw new TypeErrorCtor('unknown builder ' + kind);
  }
  const QUERY_FIELDS = freeze(['id', 'dataset', 'rect', 'size', 'scrollOffset', 'node']);
  function queryFields(given) {
    const fields = create(null);
    for (let i = 0; i < QUERY_FIELDS.length; i++) if (own(given, QUERY_FIELDS[i]) === true) fields[QUERY_FIELDS[i]] = true;
    // Asked for but not answerable here: the host names why in the entry's errMsg.
    if (own(given, 'context') === true) fields.context = true;
    if (isArray(own(given, 'computedStyle'))) fields.computedStyle = true;
    const props = own(given, 'properties');
    if (isArray(props)) {
      const names = emptyList();
      for (let i = 0; i < props.length; i++) if (typeof props[i] === 'string') names[names.length] = props[i];
      fields.properties = names;
    }
    return fields;
  }
  // scope: 0 for the page on top, else the instance given to in().
  function newSelectorQuery(name, scope) {
    const requests = emptyList(), callbacks = emptyList();
    const query = {};
    const nodesRef = (selector, all) => {
      const add = (fields, callback) => {
        const r = create(null);
        r.selector = selector; r.all = all; r.fields = fields;
        requests[requests.length] = r;
        callbacks[callbacks.length] = typeof callback === 'function' ? callback : undefined;
        return query;
      };
      return {
        fields(fields, callback) { return add(queryFields(fields), callback); },
        boundingClientRect(callback) { return add(queryFields({ id: true, dataset: true, rect: true, size: true }), callback); },
        scrollOffset(callback) { return add(queryFields({ id: true, dataset: true, scrollOffset: true }), callback); },
        node(callback) { return add(queryFields({ node: true }), callback); }
      };
    };
    const method = (key, fn) => defineProperty(query, key, { value: fn, writable: true, configurable: true, enumerable: false });
    method('in', function (component) {
      const id = component !== null && typeof component === 'object' ? apply(weakMapGet, instanceIds, [component]) : undefined;
      if (id === undefined) throw new TypeErrorCtor('in() takes a page or component instance');
      scope = id;
      return query;
    });
    method('select', function (selector) { return nodesRef(StringCtor(selector), false); });
    method('selectAll', function (selector) { return nodesRef(StringCtor(selector), true); });
    method('selectViewport', function () { return nodesRef(null, false); });
    method('exec', function (callback) {
      const args = create(null);
      args.scope = scope; args.requests = requests;
      const results = callSync(name, args);
      later(() => {
        for (let i = 0; i < callbacks.length; i++) if (callbacks[i] !== undefined) callGuest(callbacks[i], undefined, [results[i]]);
        if (typeof callback === 'function') callGuest(callback, undefined, [results]);
      });
      return query;
    });
    return query;
  }
  const ANIMATION_DEFAULTS = freeze({ duration: 400, timingFunction: 'linear', delay: 0, transformOrigin: '50% 50% 0' });
  function animationOption(options, key) {
    const v = own(options, key);
    return v === undefined ? ANIMATION_DEFAULTS[key] : v;
  }
  function newAnimation(options) {
    const defaults = create(null);
    const keys = ['duration', 'timingFunction', 'delay', 'transformOrigin'];
    for (let i = 0; i < keys.length; i++) defaults[keys[i]] = animationOption(options, keys[i]);
    let actions = emptyList(), animates = emptyList();
    const animation = {};
    const push = (type, args) => {
      const a = create(null);
      a.type = type; a.args = args;
      animates[animates.length] = a;
      return animation;
    };
    const list = (...values) => { const l = emptyList(); for (let i = 0; i < values.length; i++) l[i] = values[i]; return l; };
    const px = (v) => (typeof v === 'number' ? v + 'px' : v);
    const method = (key, fn) => defineProperty(animation, key, { value: fn, writable: true, configurable: true, enumerable: false });
    method('opacity', (v) => push('style', list('opacity', v)));
    method('backgroundColor', (v) => push('style', list('background-color', v)));
    const lengths = ['width', 'height', 'top', 'left', 'bottom', 'right'];
    for (let i = 0; i < lengths.length; i++) { const p = lengths[i]; method(p, (v) => push('style', list(p, px(v)))); }
    const oneArg = ['rotate', 'rotateX', 'rotateY', 'rotateZ', 'scaleX', 'scaleY', 'translateX', 'translateY', 'skewX', 'skewY'];
    for (let i = 0; i < oneArg.length; i++) { const t = oneArg[i]; method(t, (v) => push(t, list(v))); }
    method('scale', (x, y) => push('scale', list(x, y === undefined ? x : y)));
    method('translate', (x, y) => push('translate', list(x, y === undefined ? 0 : y)));
    method('skew', (x, y) => push('skew', list(x, y === undefined ? 0 : y)));
    method('matrix', (a, b, c, d, tx, ty) => push('matrix', list(a, b, c, d, tx, ty)));
    method('step', function (stepOptions) {
      const transition = create(null), option = create(null);
      transition.duration = own(stepOptions, 'duration') === undefined ? defaults.duration : own(stepOptions, 'duration');
      transition.timingFunction = own(stepOptions, 'timingFunction') === undefined ? defaults.timingFunction : own(stepOptions, 'timingFunction');
      transition.delay = own(stepOptions, 'delay') === undefined ? defaults.delay : own(stepOptions, 'delay');
      option.transition = transition;
      option.transformOrigin = own(stepOptions, 'transformOrigin') === undefined ? defaults.transformOrigin : own(stepOptions, 'transformOrigin');
      const action = create(null);
      action.animates = animates; action.option = option;
      actions[actions.length] = action;
      animates = emptyList();
      return animation;
    });
    // As WeChat: the steps so far, and the builder starts over.
    method('export', function () { const out = { actions }; actions = emptyList(); return out; });
    return animation;
  }
  // ==== end of view builders =======================================================================

  function makeComponent(id, path, spec, isPage) {
    const inst = {};
    const rec = { id, path, def: spec, inst, isPage };
    const methods = stringKeys(spec.methods);
    for (let i = 0; i < methods.length; i++) put(inst, methods[i], spec.methods[methods[i]]);
    const data = plainCopy(spec.data, path + ' data');
    const props = stringKeys(spec.properties);
    for (let i = 0; i < props.length; i++) data[props[i]] = plainCopy(spec.properties[props[i]].value, 'property default');
    put(inst, 'data', data);
    defineProperty(inst, 'properties', { get() { return recordData(rec); }, configurable: true, enumerable: false });
    defineProperty(inst, 'is', { value: path, configurable: true, enumerable: false });
    defineProperty(inst, 'id', { value: '', writable: true, configurable: true, enumerable: false });
    defineProperty(inst, 'dataset', { value: {}, writable: true, configurable: true, enumerable: false });
    defineProperty(inst, 'setData', { value: function setData(change, callback) { componentSetData(rec, change, callback); }, writable: true, configurable: true, enumerable: false });
    defineProperty(inst, 'triggerEvent', { value: function triggerEvent(name, detail, options) {
      const o = options !== null && typeof options === 'object' ? options : undefined;
      let json;
      try { json = snapshot(detail === undefined ? {} : detail); } catch (e) {
        if (!(e instanceof SnapshotError)) throw e;
        throw new ErrorCtor('triggerEvent: ' + e.message);
      }
      host.triggerEvent(id, StringCtor(name), json, own(o, 'bubbles') === true, own(o, 'composed') === true, own(o, 'capturePhase') === true);
    }, writable: true, configurable: true, enumerable: false });
    defineProperty(inst, 'selectOwnerComponent', { value: function selectOwnerComponent() {
      const owner = host.ownerOf(id);
      return owner === 0 ? null : exposed(owner, id);
    }, writable: true, configurable: true, enumerable: false });
    defineProperty(inst, 'getRelationNodes', { value: function getRelationNodes(key) {
      const ids = idList(host.relationNodes(id, StringCtor(key)));
      const out = [];
      for (let i = 0; i < ids.length; i++) out[i] = exposed(ids[i]);
      return out;
    }, writable: true, configurable: true, enumerable: false });
    defineProperty(inst, 'hasBehavior', { value: function hasBehavior(b) {
      try { return includes(spec.behaviors, behaviorSpec(b, 'hasBehavior').id); } catch (e) { return false; }
    }, writable: true, configurable: true, enumerable: false });
    addInstanceMethods(inst, id);
    records[id] = rec;
    return rec;
  }

  function lifetime(id, name) {
    const rec = records[id];
    if (rec === undefined || !includes(LIFETIMES, name)) return false;
    runAll(rec.def.lifetimes[name], rec.inst, []);
    if (name === 'detached') delete records[id];
    return true;
  }

  // A page built with Component(): its methods are the page's handlers and hooks, its properties take
  // the query's values; created and attached run before onLoad, ready before onReady, detached at onUnload.
  function createComponentPage(id, route, queryJson) {
    const rec = makeComponent(id, route, pageComponents[route], true);
    const query = parse(queryJson);
    put(rec.inst, 'route', route);
    put(rec.inst, 'options', query);
    pages[id] = rec.inst;
    runAll(rec.def.lifetimes.created, rec.inst, []);
    setProperties(rec, query);
    host.dataChanged(id, route, snapshot(recordData(rec)));
    runAll(rec.def.lifetimes.attached, rec.inst, []);
  }
  const PAGE_HOOK_LIFETIMES = freeze({ onShow: ['pageLifetimes', 'show'], onHide: ['pageLifetimes', 'hide'], onResize: ['pageLifetimes', 'resize'],
    onReady: ['lifetimes', 'ready'], onUnload: ['lifetimes', 'detached'] });

  function target(id) {
    if (id === 0) return app;
    if (pages[id] !== undefined) return pages[id];
    const rec = records[id];
    return rec === undefined ? undefined : rec.inst;
  }

  // What the host calls; returned to the host only.
  return freeze({
    start(appFile) { load(appFile); if (!appDefined) throw new ErrorCtor('app.js did not call App()'); },
    appEvent(name, channel, argJson) { appEvent(name, channel, parse(argJson)); },
    reportRejections,
    runDeferred,
    hook(id, name, argJson) {
      const t = target(id);
      if (t === undefined) return false;
      const rec = records[id];
      const lifetimes = rec !== undefined && rec.isPage ? PAGE_HOOK_LIFETIMES[name] : undefined;
      if (lifetimes !== undefined) runAll(rec.def[lifetimes[0]][lifetimes[1]], t, argJson === undefined ? [] : [parse(argJson)]);
      const fn = t[name];
      if (typeof fn !== 'function') return false;
      apply(fn, t, argJson === undefined ? [] : [parse(argJson)]);
      return true;
    },
    hasHandler(id, name) { const t = target(id); return t !== undefined && typeof t[name] === 'function'; },
    createPage,
    dropPage(id) { delete pages[id]; delete records[id]; },
    // The view engine's side (ComponentHost over the session): data in and out as JSON text only.
    describe,
    createComponent,
    setProperties(id, changesJson) { const rec = records[id]; if (rec !== undefined) setProperties(rec, parse(changesJson)); },
    lifetime,
    hostAttributes(id, elementId, datasetJson) {
      const rec = records[id];
      if (rec === undefined) return false;
      rec.inst.id = StringCtor(elementId);
      rec.inst.dataset = parse(datasetJson);
      return true;
    },
    pageLifetime(id, name, argJson) {
      const rec = records[id];
      if (rec === undefined || !includes(PAGE_LIFETIMES, name)) return false;
      runAll(rec.def.pageLifetimes[name], rec.inst, argJson === undefined ? [] : [parse(argJson)]);
      return true;
    },
    // An uncaught error of a component's lifetime, observer or method, already reported: its error lifetimes see it once.
    componentError(id, err) {
      const rec = records[id];
      if (rec === undefined || rec.isPage) return false;
      runAll(rec.def.lifetimes.error, rec.inst, [err]);
      return true;
    },
    handle(id, method, eventJson) {
      const t = target(id);
      const fn = t === undefined ? undefined : t[method];
      if (typeof fn !== 'function') return false;
      apply(fn, t, [parse(eventJson)]);
      return true;
    },
    relation(id, otherId, key, change) {
      const rec = records[id];
      const rel = rec === undefined ? undefined : rec.def.relations[key];
      const fn = rel === undefined ? undefined : rel[RELATION_CALLBACKS[change]];
      if (typeof fn === 'function') apply(fn, rec.inst, [exposed(otherId)]);
    },
    dropComponent(id) { delete records[id]; },
    setStack(idsJson) { stack = parse(idsJson); },
    deliver,
    taskEvent,
    runTimer,
    notify(channel, payloadJson) { notify(channel, parse(payloadJson)); }
  });
})
