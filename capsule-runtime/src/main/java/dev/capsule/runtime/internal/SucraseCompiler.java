package dev.capsule.runtime.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * Sucrase's {@code imports} transform (ES module syntax to CommonJS, Babel-style interop, line
 * numbers kept), with its {@code typescript} transform first for TypeScript sources (types removed,
 * type-only imports elided, line numbers kept), run in a GraalJS context of its own. Sucrase and the packages it requires come from
 * the {@code org.mvnpm} jars on the class path (pinned in capsule-runtime's pom, folders listed in
 * {@code sucrase.properties}); a tiny CommonJS loader below evaluates them once per context.
 *
 * <p>Security guarantees: the tool code is trusted; the source it transforms is untrusted data, a
 * string argument, never evaluated. Each context runs under {@link SandboxPolicy#CONSTRAINED} with no
 * host access, no I/O and no eval; the loader reads only the listed class-path folders. A transform
 * longer than {@link #TRANSFORM_MILLIS_MAX} is cancelled (its context closed); at most
 * {@link #CONTEXTS_MAX} transforms run at once. Callers bound the source's size ({@link ModuleCompiler}).
 */
final class SucraseCompiler {
    /**
     * Wall-clock budget for one file's transform. Sucrase is linear in its input, but runs in GraalJS's
     * interpreter on a stock JDK: about 1.6 s per 100 KB on a loaded 2-core machine (docs/benchmarks.md),
     * so a 1 MiB file needs up to about 16 s there; the budget stops only a runaway, never real code.
     */
    static final long TRANSFORM_MILLIS_MAX = 60_000;
    /** Contexts kept loaded (and transforms at once): Sucrase's load costs about a second per context. */
    static final int CONTEXTS_MAX = 2;
    /** Largest tool file the loader reads (Sucrase's biggest is about 100 KB). */
    static final int TOOL_FILE_BYTES_MAX = 1024 * 1024;

    private static final String PACKAGES_RESOURCE = "dev/capsule/runtime/internal/sucrase.properties";
    private static final String LOADER = """
            (function (host) {
              const cache = Object.create(null);
              function load(id) {
                const cached = cache[id];
                if (cached !== undefined) return cached.exports;
                const module = { exports: {} };
                cache[id] = module;
                host.compile(id).call(module.exports, module.exports, (request) => load(host.resolve(id, request)), module);
                return module.exports;
              }
              const sucrase = load(host.resolve('', 'sucrase'));
              return function transform(code, filePath, typescript) {
                try {
                  // No filePath option: Sucrase would prefix its messages with it, and ModuleCompiler names the file.
                  const transforms = typescript ? ['typescript', 'imports'] : ['imports'];
                  return { code: sucrase.transform(code, { transforms }).code };
                } catch (e) {
                  const loc = e && e.loc;
                  return { error: String(e && e.message), line: loc ? loc.line : 0, column: loc ? loc.column : 0 };
                }
              };
            })
            """;

    private static final Properties PACKAGES = packages();
    private static final Engine ENGINE = Engine.newBuilder("js").sandbox(SandboxPolicy.CONSTRAINED)
            .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream())
            .option("engine.WarnInterpreterOnly", "false").build();
    private static final ConcurrentLinkedQueue<Loaded> IDLE = new ConcurrentLinkedQueue<>();
    private static final Semaphore RUNNING = new Semaphore(CONTEXTS_MAX);
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "capsule-sucrase-deadline");
        t.setDaemon(true);
        return t;
    });

    private SucraseCompiler() {}

    /** What the transform gave: CommonJS code, or Sucrase's error with its 1-based line and 0-based column (0 if unknown). */
    sealed interface Output {
        record Code(String code) implements Output {}

        record Error(String message, int line, int column) implements Output {}

        record TimedOut() implements Output {}
    }

    /** The language of a source: JavaScript (an ES module) or TypeScript (types stripped, then as an ES module). */
    enum Syntax {
        JAVASCRIPT,
        TYPESCRIPT
    }

    /** Transforms {@code code} (an ES module) named {@code filePath} to CommonJS. */
    static Output transform(String code, String filePath) {
        return transform(code, filePath, Syntax.JAVASCRIPT, TRANSFORM_MILLIS_MAX);
    }

    /** Transforms {@code code} in {@code syntax} named {@code filePath} to CommonJS. */
    static Output transform(String code, String filePath, Syntax syntax) {
        return transform(code, filePath, syntax, TRANSFORM_MILLIS_MAX);
    }

    /** As {@link #transform(String, String)}, within {@code budgetMillis} of wall-clock time. */
    static Output transform(String code, String filePath, long budgetMillis) {
        return transform(code, filePath, Syntax.JAVASCRIPT, budgetMillis);
    }

    /** As {@link #transform(String, String, Syntax)}, within {@code budgetMillis} of wall-clock time. */
    static Output transform(String code, String filePath, Syntax syntax, long budgetMillis) {
        RUNNING.acquireUninterruptibly();
        Loaded loaded = null;
        ScheduledFuture<?> deadline = null;
        boolean reusable = false;
        try {
            loaded = IDLE.poll();
            if (loaded == null) {
                loaded = load();
            }
            Context context = loaded.context();
            deadline = DEADLINES.schedule(() -> context.close(true), budgetMillis, TimeUnit.MILLISECONDS);
            Value result = loaded.transform().execute(code, filePath, syntax == Syntax.TYPESCRIPT);
            Output output = result.hasMember("code")
                    ? new Output.Code(result.getMember("code").asString())
                    : new Output.Error(result.getMember("error").asString(), result.getMember("line").asInt(), result.getMember("column").asInt());
            // Reused only if the deadline had not fired: a deadline that ran closed the context.
            reusable = deadline.cancel(false);
            return output;
        } catch (PolyglotException e) {
            if (e.isCancelled()) {
                return new Output.TimedOut();
            }
            throw new IllegalStateException("the ES-module compiler failed: " + e.getMessage(), e);
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
            if (loaded != null) {
                if (reusable) {
                    IDLE.add(loaded);
                } else {
                    closeQuietly(loaded.context());
                }
            }
            RUNNING.release();
        }
    }

    private record Loaded(Context context, Value transform) {}

    private static Loaded load() {
        Context context = Context.newBuilder("js").engine(ENGINE).sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream())
                .option("js.allow-eval", "false")
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.graal-builtin", "false")
                .build();
        try {
            ProxyExecutable resolve = args -> resolve(args[0].asString(), args[1].asString());
            ProxyExecutable compile = args -> context.eval(Source.newBuilder("js",
                    "(function (exports, require, module) {" + read(args[0].asString()) + "\n})", args[0].asString()).buildLiteral());
            Value host = context.eval("js", "(function (resolve, compile) { return { resolve, compile }; })").execute(resolve, compile);
            Value transform = context.eval(Source.newBuilder("js", LOADER, "capsule:sucrase-loader.js").buildLiteral()).execute(host);
            return new Loaded(context, transform);
        } catch (RuntimeException e) {
            closeQuietly(context);
            throw e;
        }
    }

    /**
     * The class-path resource of {@code request} required from the resource {@code fromId}: relative
     * requests within the requiring package, bare ones ({@code name} or {@code name/sub}) through
     * {@code sucrase.properties}; {@code .js} and {@code /index.js} tried as Node does.
     */
    static String resolve(String fromId, String request) {
        String path;
        if (request.startsWith("./") || request.startsWith("../")) {
            path = normalize(fromId.substring(0, fromId.lastIndexOf('/') + 1) + request);
        } else {
            int nameEnd = request.startsWith("@") ? request.indexOf('/', request.indexOf('/') + 1) : request.indexOf('/');
            String name = nameEnd < 0 ? request : request.substring(0, nameEnd);
            String folder = PACKAGES.getProperty(name);
            if (folder == null) {
                throw new IllegalStateException("the ES-module compiler requires " + request + ", which is not on the class path");
            }
            path = nameEnd < 0 ? folder + PACKAGES.getProperty(name + ".main") : normalize(folder + request.substring(nameEnd + 1));
        }
        for (String candidate : List.of(path, path + ".js", path + "/index.js")) {
            if (candidate.endsWith(".js") && SucraseCompiler.class.getClassLoader().getResource(candidate) != null) {
                return candidate;
            }
        }
        throw new IllegalStateException("the ES-module compiler cannot find " + request + " from " + fromId);
    }

    private static String normalize(String path) {
        List<String> parts = new ArrayList<>();
        for (String seg : path.split("/")) {
            if (seg.equals("..")) {
                parts.removeLast();
            } else if (!seg.isEmpty() && !seg.equals(".")) {
                parts.add(seg);
            }
        }
        return String.join("/", parts);
    }

    private static String read(String resource) {
        try (InputStream in = SucraseCompiler.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the ES-module compiler's file " + resource + " is missing");
            }
            byte[] bytes = in.readNBytes(TOOL_FILE_BYTES_MAX + 1);
            if (bytes.length > TOOL_FILE_BYTES_MAX) {
                throw new IllegalStateException("the ES-module compiler's file " + resource + " exceeds " + TOOL_FILE_BYTES_MAX + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties packages() {
        Properties p = new Properties();
        try (InputStream in = SucraseCompiler.class.getClassLoader().getResourceAsStream(PACKAGES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(PACKAGES_RESOURCE + " is missing from the runtime jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static void closeQuietly(Context context) {
        try {
            context.close(true);
        } catch (RuntimeException e) {
            // already closed by the deadline
        }
    }
}
