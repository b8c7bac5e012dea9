package dev.capsule.bench;

import dev.capsule.runtime.internal.ModuleCompiler;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Compiling one ES module of about {@link #SOURCE_CHARS} characters to CommonJS as {@code capsule pack}
 * does (docs/benchmarks.md, "ES-module compilation"): GraalJS's script and module parses that decide
 * it is a module, Sucrase's {@code imports} transform in its own context, and the parse of the output.
 *
 * <p>Run: {@code java -jar capsule-bench/target/benchmarks.jar EsModuleCompileBenchmark}.
 * {@link #compileCold} is the first compile in a fresh JVM (engine, context and Sucrase's load
 * included), one shot per fork; {@link #compileWarm} is a compile once the context pool is loaded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EsModuleCompileBenchmark {
    /** Size of the module compiled: 100 KB, a large hand-written page or a bundled library. */
    static final int SOURCE_CHARS = 100 * 1024;
    private static final long SEED = 0x5EED_0013L;

    private String source;

    @Setup(Level.Trial)
    public void setUp() {
        source = module(new Random(SEED));
        if (!(ModuleCompiler.compile("bench/module.js", source) instanceof ModuleCompiler.Result.Compiled)) {
            throw new IllegalStateException("the benchmark module does not compile");
        }
    }

    @Benchmark
    public ModuleCompiler.Result compileWarm() {
        return ModuleCompiler.compile("bench/module.js", source);
    }

    /** The first compile in a fresh JVM. Setup already compiled once, so this one builds its source itself. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(5)
    public ModuleCompiler.Result compileCold(ColdSource cold) {
        return ModuleCompiler.compile("bench/cold.js", cold.source);
    }

    /** A source for the cold compile, made without compiling (so the first compile is the measured one). */
    @State(Scope.Benchmark)
    public static class ColdSource {
        String source;

        @Setup(Level.Trial)
        public void setUp() {
            source = module(new Random(SEED));
        }
    }

    /** Imports, re-exports, exported functions and classes with random names, numbers and strings. */
    static String module(Random r) {
        StringBuilder js = new StringBuilder(SOURCE_CHARS + 4096);
        js.append("import dayjs from 'dayjs';\nimport { request, toast as showToast } from '../../utils/api';\n")
                .append("import * as store from '../../store/index';\nexport * from './constants';\n\n");
        int n = 0;
        while (js.length() < SOURCE_CHARS) {
            String name = "handle" + Integer.toHexString(r.nextInt()) + n++;
            js.append("export async function ").append(name).append("(page, options = {}) {\n")
                    .append("  const started = dayjs().valueOf();\n")
                    .append("  const { data } = await request({ url: '/v1/items/").append(r.nextInt(1000)).append("', data: { ...options, page } });\n")
                    .append("  if (!data || data.code !== ").append(r.nextInt(300)).append(") {\n")
                    .append("    showToast({ title: 'failed " ).append(Integer.toHexString(r.nextInt())).append("' });\n")
                    .append("    return null;\n  }\n")
                    .append("  store.set('").append(name).append("', data.items.map((item) => ({ id: item.id, label: `${item.name} #${item.id}` })));\n")
                    .append("  return dayjs().valueOf() - started;\n}\n\n");
            if (n % 10 == 0) {
                js.append("export class Model").append(n).append(" {\n  constructor(raw) { this.raw = raw; }\n")
                        .append("  get total() { return this.raw.reduce((a, b) => a + b, ").append(r.nextInt(50)).append("); }\n}\n\n");
            }
        }
        js.append("export default { name: 'bench' };\n");
        return js.toString();
    }
}
