package dev.capsule.runtime.internal;

import java.io.OutputStream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;

/**
 * Exercises common engine paths once, on a thread with plenty of stack, before any guest runs.
 *
 * <p>Why: the JVM never retries a class whose static initialiser failed. If a guest recurses until
 * the stack is nearly exhausted and then makes the engine initialise a class for the first time,
 * that class is broken for every later session (NoClassDefFoundError). Initialising the engine's
 * common classes here, with the framework script and a broad workload, takes most of them out of
 * reach; the session that trips an uninitialised one is reported as an engine fault, and the runtime
 * stops launching ({@code CapsuleRuntime.healthy()}). The worker-process tier removes the problem.
 */
public final class EngineWarmUp {
    /** Everyday JavaScript: errors, arguments objects, numbers, strings, collections, promises, JSON, regexes. */
    private static final String WORKLOAD = """
            (function () {
              function f() { return arguments.length; }
              let n = 0; for (let i = 0; i < 200; i++) { n += f(i, 'x'); n--; n++; n = n | 0; }
              try { null.x; } catch (e) { String(e.stack); }
              try { undefined(); } catch (e) { e instanceof TypeError; }
              try { throw new RangeError('r'); } catch (e) { e.message; }
              try { (function r() { r(); })(); } catch (e) { e.message; }
              new Error('e').stack; new SyntaxError('s'); new EvalError('v'); new URIError('u');
              const s = 'abc'.repeat(3).split('').map(c => c.toUpperCase()).join('-').padStart(20).trim();
              JSON.parse(JSON.stringify({a: [1, 2, {b: s}], d: new Date(0)}));
              new Map([[1, 2]]).forEach(() => {}); new Set([1]).has(1); new WeakMap(); new WeakSet();
              [3, 1, 2].sort().reverse().slice(1).concat([4]).filter(x => x).reduce((a, b) => a + b, 0);
              Object.keys({x: 1}); Object.entries({x: 1}); Object.assign({}, {y: 2}); Object.freeze({});
              Reflect.ownKeys({}); Reflect.getOwnPropertyDescriptor({z: 1}, 'z'); Symbol('s').toString();
              /(\\d+)-(\\w+)/.exec('12-ab'); 'a1b2'.replace(/\\d/g, ''); encodeURIComponent('a b'); decodeURIComponent('a%20b');
              Math.max(1, 2) + Math.floor(1.5) + parseInt('10', 16) + parseFloat('1.5') + Number('2') + (1.5).toFixed(1);
              new Uint8Array(4).buffer.byteLength; new ArrayBuffer(8); BigInt(1) + 1n;
              Promise.resolve(1).then(x => x); (async function () { await 1; })();
              const o = {get g() { return 1; }, set g(v) {}}; o.g = o.g;
              class A { constructor() { this.a = 1; } m() { return this.a; } } class B extends A {} new B().m();
              [...'ab']; for (const k in {q: 1}) {} for (const v of [1]) {}
              new Intl.NumberFormat('en').format(1); new Date(0).toLocaleString('en');
              return n;
            })()
            """;
    /** Stack for the warm-up thread: far more than any initialiser needs. */
    static final long STACK_BYTES = 16L * 1024 * 1024;

    private static final java.util.concurrent.atomic.AtomicBoolean SESSION_WARMED = new java.util.concurrent.atomic.AtomicBoolean();

    private EngineWarmUp() {}

    /**
     * Runs the built-in warm-up mini-program (the one a worker runs before HELLO, a view included) once
     * per JVM: an in-process runtime's first render otherwise pays the view's class loading inside one
     * event's wall-clock budget.
     */
    public static void sessionOnce(Engine engine, Watchdog watchdog) {
        if (SESSION_WARMED.compareAndSet(false, true)) {
            WorkerWarmUp.run(engine, watchdog);
        }
    }

    public static void run(Engine engine) {
        Thread t = Thread.ofPlatform().name("capsule-warm-up").stackSize(STACK_BYTES).unstarted(() -> {
            try (Context c = Context.newBuilder("js").engine(engine).sandbox(SandboxPolicy.CONSTRAINED)
                    .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream()).build()) {
                c.eval(Source.newBuilder("js", FrameworkSource.TEXT, "capsule:framework.js").buildLiteral());
                c.eval(Source.newBuilder("js", WORKLOAD, "capsule:warm-up.js").buildLiteral());
            } catch (PolyglotException e) {
                // Warm-up is best effort: a failure here leaves classes to initialise later, as without it.
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
