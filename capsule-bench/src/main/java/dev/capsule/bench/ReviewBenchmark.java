package dev.capsule.bench;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.Packer;
import dev.capsule.runtime.internal.GuestScripts;
import dev.capsule.runtime.review.PackageReview;
import dev.capsule.runtime.review.ReviewReport;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.TreeMap;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The automated review of a package of {@link #JS_FILES} JavaScript files whose archive is close to the
 * 2 MiB compressed limit (docs/benchmarks.md, "Automated review"), side by side with its anchors in the
 * same run: reading the package ({@link #read}, which review repeats) and parsing every file with
 * GraalJS's parser ({@link #parseOnly}, the floor of any analysis on a real parser).
 *
 * <p>Run: {@code java -jar capsule-bench/target/benchmarks.jar ReviewBenchmark}. {@link #reviewCold}
 * is the first review in a fresh JVM (what {@code capsule review} pays), one shot per fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ReviewBenchmark {
    static final int JS_FILES = 200;
    /** Functions per file: sized so the archive is just below 2 MiB (printed at setup). */
    static final int FUNCTIONS_PER_FILE = 95;
    private static final long SEED = 0x5EED_0012L;
    private static final String[] WORDS = {"order", "cart", "user", "store", "item", "price", "coupon", "list", "detail", "profile",
        "address", "payment", "history", "search", "filter", "banner", "notice", "message", "setting", "theme"};

    private byte[] archive;
    private CapsulePackage pkg;
    private TreeMap<String, String> scripts;

    @Setup(Level.Trial)
    public void setUp() throws PackageException {
        var files = new TreeMap<String, byte[]>();
        files.put("capsule.json", bytes("{\"id\":\"com.example.reviewbench\",\"version\":\"1.0.0\",\"name\":\"Review bench\","
                + "\"developer\":{\"id\":\"bench\",\"name\":\"Bench Ltd\"},\"network\":{\"request\":[\"api.example.com\"]}}"));
        files.put("app.json", bytes("{\"pages\":[\"pages/index/index\"]}"));
        Random random = new Random(SEED);
        scripts = new TreeMap<>();
        for (int i = 0; i < JS_FILES; i++) {
            String path = i == 0 ? "app.js" : i == 1 ? "pages/index/index.js" : "lib/m" + i + ".js";
            String text = module(i, random);
            scripts.put(path, text);
            files.put(path, bytes(text));
        }
        archive = Packer.pack(files, PackageLimits.DEFAULTS);
        pkg = PackageReader.read(archive);
        long jsBytes = scripts.values().stream().mapToLong(s -> s.getBytes(StandardCharsets.UTF_8).length).sum();
        ReviewReport report = PackageReview.review(pkg);
        System.out.printf("%n[capsule-bench] review package: %,d bytes compressed, %,d bytes of JavaScript in %d files, %d findings%n",
                archive.length, jsBytes, JS_FILES, report.findings().size());
        if (archive.length > PackageLimits.PACKAGE_COMPRESSED_BYTES_MAX) {
            throw new IllegalStateException("the review package is over the limit: " + archive.length + " bytes");
        }
    }

    /** The whole automated review: re-read with the default limits, parse and analyse every file, privacy, report. */
    @Benchmark
    public ReviewReport review() {
        return PackageReview.review(pkg);
    }

    /** The review's report as JSON too (what the registry stores). */
    @Benchmark
    public byte[] reviewToJson() {
        return PackageReview.review(pkg).toJson();
    }

    /** Anchor: GraalJS's parser on every file, nothing else. */
    @Benchmark
    public void parseOnly(Blackhole bh) {
        scripts.forEach((path, text) -> bh.consume(GuestScripts.parse(path, GuestScripts.moduleText(text))));
    }

    /** Anchor: reading the archive with every structural check (the review does this once). */
    @Benchmark
    public CapsulePackage read() throws PackageException {
        return PackageReader.read(archive);
    }

    /** The first review in a fresh JVM: class loading, parser and JIT warm-up included. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    @Fork(5)
    public ReviewReport reviewCold() {
        return PackageReview.review(pkg);
    }

    /** One module: functions with random names, numbers and strings (so the archive deflates like real code). */
    private static String module(int n, Random r) {
        StringBuilder js = new StringBuilder(32 * 1024);
        js.append("// module ").append(n).append('\n');
        js.append("var cfg").append(n).append(" = { endpoint: \"https://api.example.com/v1/").append(word(r)).append('/').append(hex(r, 8))
                .append("\", retries: ").append(r.nextInt(5)).append(", label: \"").append(word(r)).append(' ').append(word(r)).append("\" };\n");
        for (int f = 0; f < FUNCTIONS_PER_FILE; f++) {
            String name = word(r) + "_" + hex(r, 6);
            js.append("function ").append(name).append("(a, b) {\n")
                    .append("  var x = a * ").append(r.nextInt(100000)).append(" + b - ").append(r.nextInt(1000)).append(";\n")
                    .append("  var note = \"").append(word(r)).append(' ').append(word(r)).append(' ').append(hex(r, 12)).append("\";\n")
                    .append("  if (x > ").append(r.nextInt(1000000)).append(") {\n")
                    .append("    wx.setStorageSync(\"").append(word(r)).append('_').append(hex(r, 6))
                    .append("\", { v: x, at: ").append(r.nextLong() & 0xFFFFFFFFL).append(", note: note });\n  }\n")
                    .append("  for (var i = 0; i < ").append(1 + r.nextInt(64)).append("; i++) { x = (x ^ i) + ").append(r.nextInt(9999)).append("; }\n")
                    .append("  var list = [").append(r.nextInt(999)).append(", ").append(r.nextInt(999)).append(", \"").append(hex(r, 10)).append("\"];\n")
                    .append("  return new Promise(function (resolve) {\n")
                    .append("    wx.request({ url: cfg").append(n).append(".endpoint + \"/").append(word(r)).append("/\" + x, method: \"GET\",\n")
                    .append("      success: function (res) { resolve({ data: res.data, list: list, id: \"").append(hex(r, 16)).append("\" }); },\n")
                    .append("      fail: function () { wx.showToast({ title: \"").append(word(r)).append(" failed\" }); resolve(null); } });\n")
                    .append("  });\n}\n")
                    .append("module.exports.").append(name).append(" = ").append(name).append(";\n");
        }
        if (n == 0) {
            js.append("App({ onLaunch: function () {} });\n");
        } else if (n == 1) {
            js.append("Page({ data: { items: [] } });\n");
        }
        return js.toString();
    }

    private static String word(Random r) {
        return WORDS[r.nextInt(WORDS.length)];
    }

    private static String hex(Random r, int digits) {
        StringBuilder s = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            s.append(Character.forDigit(r.nextInt(16), 16));
        }
        return s.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
