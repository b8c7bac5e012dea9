package dev.capsule.runtime.review.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.osv.AdvisoryIndex;
import dev.capsule.core.osv.AdvisoryLookupException;
import dev.capsule.core.osv.AdvisorySource;
import dev.capsule.core.osv.OsvParser;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.Packer;
import dev.capsule.runtime.review.Finding;
import dev.capsule.runtime.review.Severity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.TreeMap;
import org.cyclonedx.Version;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

class SupplyChainScanTest {
    private static final String MANIFEST = """
            {"id":"com.example.shop","version":"2.0.0","name":"Shop","developer":{"id":"ex","name":"Ex"},
             "dependencies":[{"ecosystem":"npm","name":"lodash","version":"4.17.20"},{"ecosystem":"npm","name":"dayjs","version":"%s"}]}""";

    static CapsulePackage app(String dayjsVersion, String... pathsAndContents) {
        var files = new TreeMap<String, byte[]>();
        files.put("capsule.json", bytes(MANIFEST.formatted(dayjsVersion)));
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

    /** A package with a declared-and-bundled lodash, a jQuery banner, a scoped package, a nested node_modules package and an @version header. */
    static CapsulePackage shop(String dayjsVersion) {
        return app(dayjsVersion,
                "miniprogram_npm/lodash/package.json", "{\"name\":\"lodash\",\"version\":\"4.17.20\"}",
                "miniprogram_npm/lodash/index.js", "/*! lodash v4.17.20 | MIT */\nmodule.exports = {};",
                "miniprogram_npm/@vant/weapp/package.json", "{\"name\":\"@vant/weapp\",\"version\":\"1.11.0\"}",
                "lib/jquery.min.js", "/*! jQuery v3.4.1 | (c) OpenJS Foundation and other contributors */\n!function(){}();",
                "utils/moment.js", "/**\n * Parse, validate, manipulate dates.\n * @name moment\n * @version 2.29.1\n */\nmodule.exports = {};",
                "vendor/node_modules/left-pad/node_modules/tiny/package.json", "{\"name\":\"tiny\",\"version\":\"0.0.1\"}",
                "vendor/node_modules/left-pad/lib/package.json", "{\"name\":\"not-a-package\",\"version\":\"9.9.9\"}",
                "vendor/node_modules/left-pad/package.json", "{\"name\":\"left-pad\",\"version\":\"1.3.0\"}");
    }

    static AdvisoryIndex advisories() throws Exception {
        AdvisoryIndex index = new AdvisoryIndex();
        index.add(OsvParser.parse(bytes("""
                {"id":"GHSA-35jh-r3h4-6jhm","modified":"2024-01-01T00:00:00Z","summary":"Command Injection in lodash",
                 "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H"}],
                 "affected":[{"package":{"ecosystem":"npm","name":"lodash"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}],
                 "database_specific":{"severity":"HIGH"}}"""), "lodash"));
        index.add(OsvParser.parse(bytes("""
                {"id":"TEST-JQUERY-1","modified":"2024-01-01T00:00:00Z","summary":"Remote code execution\\nin jQuery",
                 "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
                 "affected":[{"package":{"ecosystem":"npm","name":"jquery"},
                   "ranges":[{"type":"SEMVER","events":[{"introduced":"1.2.0"},{"fixed":"3.5.0"}]}]}]}"""), "jquery"));
        index.add(OsvParser.parse(bytes("""
                {"id":"TEST-DAYJS-FIXED","modified":"2024-01-01T00:00:00Z","database_specific":{"severity":"HIGH"},
                 "affected":[{"package":{"ecosystem":"npm","name":"dayjs"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.11.10"}]}]}]}"""), "dayjs"));
        index.add(OsvParser.parse(bytes("""
                {"id":"TEST-DAYJS-WITHDRAWN","modified":"2024-01-01T00:00:00Z","withdrawn":"2024-02-01T00:00:00Z",
                 "database_specific":{"severity":"CRITICAL"},
                 "affected":[{"package":{"ecosystem":"npm","name":"dayjs"},
                   "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"}]}]}]}"""), "dayjs-withdrawn"));
        return index;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Finding> rule(SupplyChainScan.Result result, String rule) {
        return result.findings().stream().filter(f -> f.rule().equals(rule)).toList();
    }

    @Test
    void sbomListsDeclaredAndDetectedComponentsOnceEachWithPurls() throws Exception {
        SupplyChainScan.Result result = new SupplyChainScan(advisories()).scan(shop("1.11.10"));
        assertThat(result.components()).extracting(SbomComponent::purl).containsExactly(
                "pkg:npm/%40vant/weapp@1.11.0", "pkg:npm/dayjs@1.11.10", "pkg:npm/jquery@3.4.1", "pkg:npm/left-pad@1.3.0",
                "pkg:npm/lodash@4.17.20", "pkg:npm/moment@2.29.1", "pkg:npm/tiny@0.0.1");
        SbomComponent lodash = result.components().stream().filter(c -> c.name().equals("lodash")).findFirst().orElseThrow();
        assertThat(lodash.declared()).isTrue();
        assertThat(lodash.evidence()).containsExactly(new SbomComponent.Evidence("miniprogram_npm/lodash/index.js", 1),
                new SbomComponent.Evidence("miniprogram_npm/lodash/package.json", 0));
        SbomComponent moment = result.components().stream().filter(c -> c.name().equals("moment")).findFirst().orElseThrow();
        assertThat(moment.evidence()).containsExactly(new SbomComponent.Evidence("utils/moment.js", 4));
    }

    @Test
    void sbomIsValidCycloneDx16AndDeterministic() throws Exception {
        SupplyChainScan scan = new SupplyChainScan(advisories());
        byte[] sbom = scan.scan(shop("1.11.10")).sbom();
        assertThat(new JsonParser().validate(sbom, Version.VERSION_16)).isEmpty();
        Bom bom = new JsonParser().parse(sbom);
        assertThat(bom.getSpecVersion()).isEqualTo("1.6");
        // (the parser's Metadata stamps "now" itself, so the bytes are what to look at)
        assertThat(new String(sbom, StandardCharsets.UTF_8)).as("no time stamp: the bytes depend on the package only").doesNotContain("timestamp");
        assertThat(bom.getMetadata().getComponent().getName()).isEqualTo("com.example.shop");
        assertThat(bom.getComponents()).extracting(Component::getPurl).contains("pkg:npm/jquery@3.4.1", "pkg:npm/lodash@4.17.20");
        Component jquery = bom.getComponents().stream().filter(c -> c.getName().equals("jquery")).findFirst().orElseThrow();
        assertThat(jquery.getEvidence().getOccurrences().getFirst().getLocation()).isEqualTo("lib/jquery.min.js");
        assertThat(jquery.getEvidence().getOccurrences().getFirst().getLine()).isEqualTo(1);
        assertThat(scan.scan(shop("1.11.10")).sbom()).as("same package, same bytes").isEqualTo(sbom);
        // The validator is not blind: a document missing a required field fails it.
        assertThat(new JsonParser().validate(bytes("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"components\":[{\"name\":\"x\"}]}"),
                Version.VERSION_16)).isNotEmpty();
    }

    @Test
    void vulnerableBundledLibraryGivesItsFindingWithAdvisoryAndFix() throws Exception {
        SupplyChainScan.Result result = new SupplyChainScan(advisories()).scan(shop("1.11.10"));
        List<Finding> vulnerable = rule(result, SupplyChainScan.RULE_VULNERABLE);
        assertThat(vulnerable).extracting(Finding::advisory).containsExactlyInAnyOrder(
                new Finding.Advisory("TEST-JQUERY-1", "3.5.0"), new Finding.Advisory("GHSA-35jh-r3h4-6jhm", "4.17.21"));
        Finding jquery = vulnerable.stream().filter(f -> f.advisory().id().equals("TEST-JQUERY-1")).findFirst().orElseThrow();
        assertThat(jquery.severity()).as("CVSS 9.8 is critical").isEqualTo(Severity.CRITICAL);
        assertThat(jquery.path()).isEqualTo("lib/jquery.min.js");
        assertThat(jquery.line()).isEqualTo(1);
        assertThat(jquery.explanation()).contains("jquery 3.4.1", "TEST-JQUERY-1", "fixed in 3.5.0").doesNotContain("\n");
        Finding lodash = vulnerable.stream().filter(f -> f.advisory().id().startsWith("GHSA")).findFirst().orElseThrow();
        assertThat(lodash.severity()).isEqualTo(Severity.HIGH);
        assertThat(lodash.path()).as("declared: the finding points at capsule.json").isEqualTo("capsule.json");
    }

    @Test
    void fixedAndWithdrawnAdvisoriesGiveNoFinding() throws Exception {
        SupplyChainScan scan = new SupplyChainScan(advisories());
        assertThat(rule(scan.scan(shop("1.11.10")), SupplyChainScan.RULE_VULNERABLE))
                .noneMatch(f -> f.advisory().id().startsWith("TEST-DAYJS"));
        // The version before the fix is affected by the live advisory only (the withdrawn one stays silent).
        assertThat(rule(scan.scan(shop("1.11.9")), SupplyChainScan.RULE_VULNERABLE)).filteredOn(f -> f.advisory().id().startsWith("TEST-DAYJS"))
                .extracting(Finding::advisory).containsExactly(new Finding.Advisory("TEST-DAYJS-FIXED", "1.11.10"));
    }

    @Test
    void detectedButUndeclaredLibrariesAreMediumFindings() throws Exception {
        SupplyChainScan.Result result = new SupplyChainScan(advisories()).scan(shop("1.11.10"));
        assertThat(rule(result, SupplyChainScan.RULE_UNDECLARED)).allMatch(f -> f.severity() == Severity.MEDIUM)
                .extracting(Finding::path).containsExactlyInAnyOrder("miniprogram_npm/@vant/weapp/package.json", "lib/jquery.min.js",
                        "utils/moment.js", "vendor/node_modules/left-pad/package.json", "vendor/node_modules/left-pad/node_modules/tiny/package.json");
    }

    @Test
    void declaredAtAnotherVersionThanBundledIsTwoComponentsAndAFinding() throws Exception {
        SupplyChainScan.Result result = new SupplyChainScan(advisories()).scan(app("1.11.10",
                "miniprogram_npm/dayjs/package.json", "{\"name\":\"dayjs\",\"version\":\"1.10.0\"}"));
        assertThat(result.components()).extracting(SbomComponent::purl).contains("pkg:npm/dayjs@1.10.0", "pkg:npm/dayjs@1.11.10");
        assertThat(rule(result, SupplyChainScan.RULE_UNDECLARED)).extracting(Finding::path).containsExactly("miniprogram_npm/dayjs/package.json");
        assertThat(rule(result, SupplyChainScan.RULE_VULNERABLE)).extracting(f -> f.advisory().id()).contains("TEST-DAYJS-FIXED");
    }

    @Test
    void unreadableBundledManifestIsAFinding() throws Exception {
        SupplyChainScan.Result result = new SupplyChainScan(advisories()).scan(app("1.11.10",
                "miniprogram_npm/broken/package.json", "{\"name\":\"broken\"}",
                "miniprogram_npm/weird/package.json", "not json"));
        assertThat(rule(result, SupplyChainScan.RULE_UNREADABLE)).extracting(Finding::path)
                .containsExactly("miniprogram_npm/broken/package.json", "miniprogram_npm/weird/package.json");
    }

    @Test
    void undecidableAdvisoryIsAFindingNotSilence() throws Exception {
        AdvisoryIndex index = advisories();
        index.add(OsvParser.parse(bytes("""
                {"id":"TEST-LODASH-ODD","modified":"2024-01-01T00:00:00Z",
                 "affected":[{"package":{"ecosystem":"npm","name":"lodash"},
                   "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.x"}]}]}]}"""), "odd"));
        SupplyChainScan.Result result = new SupplyChainScan(index).scan(shop("1.11.10"));
        assertThat(rule(result, SupplyChainScan.RULE_UNDETERMINED)).singleElement()
                .satisfies(f -> assertThat(f.advisory().id()).isEqualTo("TEST-LODASH-ODD"));
    }

    @Test
    void aSourceThatCannotAnswerFailsTheScan() {
        AdvisorySource down = pkg -> {
            throw new AdvisoryLookupException("store unavailable");
        };
        assertThatThrownBy(() -> new SupplyChainScan(down).scan(shop("1.11.10"))).isInstanceOf(AdvisoryLookupException.class)
                .hasMessageContaining("unavailable");
    }
}
