package dev.capsule.runtime;

import dev.capsule.core.manifest.CapsuleManifestParser;
import dev.capsule.core.manifest.ManifestException;
import dev.capsule.core.manifest.PrivacyDigest;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.Packer;
import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.pkg.PackageSigner;
import dev.capsule.core.pkg.PackageVerifier;
import dev.capsule.core.pkg.Role;
import dev.capsule.core.pkg.TrustPolicy;
import dev.capsule.core.pkg.Verification;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;

/** Tiny mini-programs built in memory: defaults for every required file, overridden per test. */
final class TestApps {
    static final String MANIFEST = """
            {"id":"com.example.test","version":"1.0.0","name":"Test","developer":{"id":"ex","name":"Ex"},
             "network":{"request":["api.example.com"]},
             "privacy":[{"data":"location","apis":["wx.getLocation"],"purpose":"Show nearby stores"}]}""";

    private TestApps() {}

    /** Path/content pairs; capsule.json, app.json, app.js and pages/index/index.js default to minimal ones. */
    static CapsulePackage app(String... pathsAndContents) {
        var files = new TreeMap<String, byte[]>();
        files.put("capsule.json", bytes(MANIFEST));
        files.put("app.json", bytes("{\"pages\":[\"pages/index/index\"]}"));
        files.put("app.js", bytes("App({})"));
        files.put("pages/index/index.js", bytes("Page({data:{}})"));
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            files.put(pathsAndContents[i], bytes(pathsAndContents[i + 1]));
        }
        try {
            return PackageReader.read(Packer.pack(files, PackageLimits.DEFAULTS));
        } catch (Exception e) {
            throw new AssertionError("test app does not pack: " + e.getMessage(), e);
        }
    }

    /** An app whose index page runs {@code script} (a Page() call or anything before it). */
    static CapsulePackage page(String script) {
        return app("pages/index/index.js", script);
    }

    /** The same files as {@code pkg}, developer-signed with a fresh key and verified against a policy trusting it. */
    static Verification.Verified verified(CapsulePackage pkg) {
        try {
            SigningKey key = SigningKey.generate();
            byte[] signed = PackageSigner.sign(pkg.archive(), key, Role.DEVELOPER);
            return (Verification.Verified) PackageVerifier.verify(signed, TrustPolicy.trustingForEveryAppId(List.of(key.publicKey())));
        } catch (Exception e) {
            throw new AssertionError("test app does not sign: " + e.getMessage(), e);
        }
    }

    /** The privacy text version ({@link PrivacyDigest}) of a capsule.json, as a session of it computes it. */
    static PrivacyDigest privacyOf(String manifest) {
        try {
            return PrivacyDigest.of(CapsuleManifestParser.parse(bytes(manifest)).privacy());
        } catch (ManifestException e) {
            throw new AssertionError("test manifest does not parse: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
