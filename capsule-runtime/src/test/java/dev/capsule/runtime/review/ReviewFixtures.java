package dev.capsule.runtime.review;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.Packer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.TreeMap;

/** Mini-programs for the review tests, built in memory: a clean app, overridden file by file. */
final class ReviewFixtures {
    /** Declares wx.getLocation (the clean app uses it) and one request host. */
    static final String MANIFEST = """
            {"id":"com.example.review","version":"1.0.0","name":"Review","developer":{"id":"ex","name":"Ex"},
             "network":{"request":["api.example.com"],"connectSocket":["live.example.com:8443"]},
             "privacy":[{"data":"location","apis":["wx.getLocation"],"purpose":"Show nearby stores"}]}""";
    static final String MANIFEST_NO_PRIVACY = """
            {"id":"com.example.review","version":"1.0.0","name":"Review","developer":{"id":"ex","name":"Ex"},
             "network":{"request":["api.example.com"]}}""";

    /**
     * A clean page: every construct the rules look at, in its harmless form (functions to timers,
     * allowed URLs, provided and declared wx APIs, ordinary strings and arrays, non-secret names).
     */
    static final String CLEAN_PAGE = """
            // A clean page: nothing here should produce a finding.
            const BASE = "https://api.example.com/v1";
            const SOCKET = "wss://live.example.com:8443/feed";
            const storageKey = "todo-items";
            const words = ["apple", "banana", "cherry", "date", "elder", "fig", "grape", "honeydew",
                "kiwi", "lemon", "mango", "nectarine", "orange", "papaya", "quince", "raspberry", "strawberry"];
            const calc = { eval: function (x) { return x * 2; } };
            Page({
              data: { items: [], label: "eval(x) and import(y) in a string are only text" },
              onLoad() {
                const saved = wx.getStorageSync(storageKey) || [];
                this.setData({ items: saved, doubled: calc.eval(saved.length) });
                wx.getLocation({ success: (pos) => this.setData({ pos }) });
                wx.request({ url: BASE + "/todos", success: (res) => this.setData({ remote: res.data }) });
                setTimeout(function () { wx.showToast({ title: "ready" }); }, 10);
                setInterval(() => null, 1000);
                const s = words.join(",") + SOCKET;
                return s;
              }
            });
            """;

    private ReviewFixtures() {}

    /** The clean app with {@code pathsAndContents} added or replacing its files. */
    static CapsulePackage app(String... pathsAndContents) {
        return appWith(MANIFEST, pathsAndContents);
    }

    /** Like {@link #app} with capsule.json {@code manifest}. */
    static CapsulePackage appWith(String manifest, String... pathsAndContents) {
        var files = new TreeMap<String, byte[]>();
        files.put("capsule.json", bytes(manifest));
        files.put("app.json", bytes("{\"pages\":[\"pages/index/index\"]}"));
        files.put("app.js", bytes("App({})"));
        files.put("pages/index/index.js", bytes(CLEAN_PAGE));
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.put(pathsAndContents[i], bytes(pathsAndContents[i + 1]));
        }
        try {
            return PackageReader.read(Packer.pack(files, PackageLimits.DEFAULTS));
        } catch (Exception e) {
            throw new AssertionError("fixture does not pack: " + e.getMessage(), e);
        }
    }

    /** {@code n} characters of base64 alphabet, the same every run. */
    static String randomBase64(long seed, int n) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        Random random = new Random(seed);
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
