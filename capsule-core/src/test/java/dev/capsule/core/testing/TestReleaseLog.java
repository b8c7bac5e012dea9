package dev.capsule.core.testing;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.merkle.CompactRange;
import dev.capsule.core.merkle.MerkleHash;
import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.core.merkle.NodeId;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.PackageSigner;
import dev.capsule.core.pkg.Packer;
import dev.capsule.core.pkg.Role;
import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.release.PlatformTrust;
import dev.capsule.core.release.ReleaseBundle;
import dev.capsule.core.release.ReleaseEntry;
import dev.capsule.core.release.RiskProfile;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A release transparency log built in memory with the core API only, as the platform would build it: platform keys
 * by purpose, release entries, every perfect subtree hash, timed checkpoints, and bundles. Tests serve it, verify it
 * or tamper with it; it shares no code with the server's log.
 */
public final class TestReleaseLog {
    public static final String ORIGIN = "capsule.local/releases/test";
    public static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

    public final SigningKey countersignKey;
    public final SigningKey checkpointKey;
    public final SigningKey revocationKey;
    private final List<byte[]> entries = new ArrayList<>();
    private final Map<NodeId, byte[]> nodes = new HashMap<>();
    private final CompactRange range = new CompactRange();

    /** An empty log of a platform with fresh keys. */
    public TestReleaseLog() {
        this(SigningKey.generate(), SigningKey.generate(), SigningKey.generate());
    }

    /** An empty log of the platform holding these keys (two logs with the same keys: a split view). */
    public TestReleaseLog(SigningKey countersignKey, SigningKey checkpointKey, SigningKey revocationKey) {
        this.countersignKey = countersignKey;
        this.checkpointKey = checkpointKey;
        this.revocationKey = revocationKey;
    }

    /** An empty log of the same platform (same keys and origin): what a split-view server shows other clients. */
    public TestReleaseLog fork() {
        return new TestReleaseLog(countersignKey, checkpointKey, revocationKey);
    }

    public PlatformTrust trust() {
        return PlatformTrust.of(ORIGIN, countersignKey.publicKey(), checkpointKey.publicKey(), revocationKey.publicKey());
    }

    /** Appends {@code entry}; returns its index. */
    public long append(ReleaseEntry entry) {
        return append(entry.toCanonicalJson());
    }

    public long append(byte[] entry) {
        entries.add(entry.clone());
        range.append(MerkleHash.leafHash(entry), nodes::put);
        return entries.size() - 1;
    }

    public long size() {
        return entries.size();
    }

    public byte[] entry(long index) {
        return entries.get((int) index).clone();
    }

    public List<byte[]> entries() {
        return List.copyOf(entries);
    }

    public byte[] root(long size) {
        return MerkleProofs.root(size, nodes);
    }

    public List<byte[]> inclusionProof(long index, long size) {
        return MerkleProofs.inclusionProof(index, size, nodes);
    }

    public List<byte[]> consistencyProof(long from, long to) {
        return MerkleProofs.consistencyProof(from, to, nodes);
    }

    /** The signed checkpoint note of {@code size} entries published at {@code time}, by the checkpoint key. */
    public String checkpoint(long size, Instant time) {
        return checkpoint(size, root(size), time, checkpointKey);
    }

    /** A checkpoint note with any root and time, signed by any key (for tampering). */
    public static String checkpoint(long size, byte[] root, Instant time, SigningKey key) {
        return Checkpoint.timed(ORIGIN, size, root, time).sign(key.publicKey(), key::sign).encodedText();
    }

    /** A small valid package of {@code appId} {@code version}, signed by {@code developer}, countersigned by {@code platform} if given. */
    public static byte[] pack(String appId, String version, SigningKey developer, Optional<SigningKey> platform) {
        return pack(appId, version, developer, platform, Map.of());
    }

    /** As {@link #pack(String, String, SigningKey, Optional)} with extra source files. */
    public static byte[] pack(String appId, String version, SigningKey developer, Optional<SigningKey> platform, Map<String, byte[]> extra) {
        Map<String, byte[]> files = new TreeMap<>(extra);
        files.put("capsule.json", utf8("{\"id\":\"" + appId + "\",\"version\":\"" + version
                + "\",\"name\":\"Todo\",\"developer\":{\"id\":\"example\",\"name\":\"Example Ltd\"}}"));
        files.put("app.json", utf8("{\"pages\":[\"pages/index/index\"]}"));
        files.put("app.js", utf8("App({})"));
        files.put("pages/index/index.js", utf8("Page({data:{n:1}})"));
        try {
            byte[] signed = PackageSigner.sign(Packer.pack(files, PackageLimits.DEFAULTS), developer, Role.DEVELOPER);
            return platform.isPresent() ? PackageSigner.sign(signed, platform.get(), Role.PLATFORM) : signed;
        } catch (PackageException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SHA-256 of a package's digest manifest: what a release entry's packageDigest names. */
    public static Sha256 packageDigest(byte[] pkg) {
        try {
            return PackageReader.read(pkg).digestManifestSha256();
        } catch (PackageException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A release entry for {@code pkg} signed by {@code developer}. */
    public static ReleaseEntry.Release release(String appId, String version, byte[] pkg, VerifyingKey developer, Instant time) {
        return new ReleaseEntry.Release(appId, version, packageDigest(pkg), developer.keyId(), Sha256.of(utf8("sbom")),
                Sha256.of(utf8("findings")), "operator-7", RiskProfile.UTILITY, time);
    }

    /** What the distribution endpoint would serve: entry {@code index} in a checkpoint of {@code size} at {@code time}. */
    public ReleaseBundle bundle(String appId, String version, long index, long size, Instant time, long since,
            Optional<Long> rollbackIndex, VerifyingKey developer, byte[] pkg) {
        return new ReleaseBundle(appId, version, index, entry(index), inclusionProof(index, size), checkpoint(size, time),
                since > 0 && since < size ? consistencyProof(since, size) : List.of(),
                rollbackIndex.map(i -> new ReleaseBundle.IncludedEntry(i, entry(i), inclusionProof(i, size))), developer, pkg);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
