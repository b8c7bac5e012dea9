package dev.capsule.cli.masvs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.json.JsonFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The catalogue claims nothing it cannot back: it lists every MASVS 2.1.0 control exactly once, every test class it names
 * is a test in this repository's source tree (a file under some module's src/test/java that Surefire runs), and every
 * audit entry type it names is in docs/audit-events.md. The strict reader refuses each kind of bad catalogue.
 */
class MasvsCatalogueTest {
    static final Path ROOT = Path.of(System.getProperty("capsule.repo.root", "..")).toAbsolutePath().normalize();

    @Test
    void everyControlOfTheStandardIsListedOnceInItsOrder() {
        MasvsCatalogue catalogue = MasvsCatalogue.load();

        assertThat(catalogue.controls()).extracting(MasvsControl::id).containsExactlyElementsOf(MasvsCatalogue.CONTROL_IDS);
        assertThat(MasvsCatalogue.CONTROL_IDS).hasSize(24).doesNotHaveDuplicates();
        assertThat(catalogue.controls()).filteredOn(c -> c.status().claimsTests()).allSatisfy(c -> assertThat(c.tests()).isNotEmpty());
        assertThat(catalogue.controls()).filteredOn(c -> !c.status().claimsTests())
                .allSatisfy(c -> assertThat(c.tests()).as(c.id()).isEmpty())
                .allSatisfy(c -> assertThat(c.reason()).as(c.id()).isPresent());
    }

    @Test
    void everyNamedTestClassIsATestInTheSourceTree() throws IOException {
        assertThat(testRoots()).as("modules with tests under %s", ROOT).hasSizeGreaterThanOrEqualTo(4);

        assertThat(notTestsInTheSourceTree(MasvsCatalogue.load().testClasses()))
                .as("test classes the catalogue names that are not tests in the source tree").isEmpty();
    }

    @Test
    void theLookupFindsAMissingClassAndAClassThatIsNotATest() throws IOException {
        assertThat(notTestsInTheSourceTree(List.of("dev.capsule.cli.masvs.NoSuchTest", "dev.capsule.cli.masvs.MasvsCatalogue",
                "dev.capsule.cli.masvs.TestResultsTest", "dev.capsule.core.pkg.ZipBombTest")))
                .containsExactly("dev.capsule.cli.masvs.NoSuchTest", "dev.capsule.cli.masvs.MasvsCatalogue");
    }

    static List<Path> testRoots() throws IOException {
        try (Stream<Path> modules = Files.list(ROOT)) {
            return modules.map(m -> m.resolve("src/test/java")).filter(Files::isDirectory).toList();
        }
    }

    /** The names that are not a class file under some module's src/test/java that Surefire's default includes run. */
    static List<String> notTestsInTheSourceTree(List<String> tests) throws IOException {
        List<Path> roots = testRoots();
        List<String> missing = new ArrayList<>();
        for (String test : tests) {
            String topLevel = test.contains("$") ? test.substring(0, test.indexOf('$')) : test;
            String file = topLevel.replace('.', '/') + ".java";
            boolean found = roots.stream().anyMatch(root -> Files.isRegularFile(root.resolve(file)));
            String simple = topLevel.substring(topLevel.lastIndexOf('.') + 1);
            boolean runBySurefire = simple.endsWith("Test") || simple.endsWith("Tests") || simple.endsWith("TestCase")
                    || simple.startsWith("Test");
            if (!found || !runBySurefire) {
                missing.add(test);
            }
        }
        return missing;
    }

    @Test
    void everyLogProofIsAnAuditEntryType() throws IOException {
        String events = Files.readString(ROOT.resolve("docs/audit-events.md"));
        List<String> unknown = MasvsCatalogue.load().controls().stream().flatMap(c -> c.logProofs().stream())
                .map(MasvsControl.LogProof::event).filter(e -> !events.contains("| `" + e + "` |")).distinct().toList();
        assertThat(unknown).as("entry types not in docs/audit-events.md").isEmpty();
    }

    @Test
    void aMissingControlIsRefused() throws IOException {
        String json = catalogueText();
        int start = json.indexOf("    {\n      \"id\": \"MASVS-AUTH-2\"");
        int end = json.indexOf("    {\n      \"id\": \"MASVS-AUTH-3\"");
        assertThatThrownBy(() -> parse(json.substring(0, start) + json.substring(end)))
                .isInstanceOf(JsonFormatException.class).hasMessageContaining("control MASVS-AUTH-2 is missing");
    }

    @Test
    void aDuplicatedControlIsRefused() throws IOException {
        String json = catalogueText().replace("\"id\": \"MASVS-AUTH-2\"", "\"id\": \"MASVS-AUTH-1\"");
        assertThatThrownBy(() -> parse(json)).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("control MASVS-AUTH-1 is listed twice");
    }

    @Test
    void aControlOutsideTheStandardIsRefused() throws IOException {
        String json = catalogueText().replace("\"id\": \"MASVS-AUTH-2\"", "\"id\": \"MASVS-AUTH-9\"");
        assertThatThrownBy(() -> parse(json)).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("control MASVS-AUTH-2 is missing");
        String other = catalogueText().replace("\"id\": \"MASVS-AUTH-2\"", "\"id\": \"MASVS-ARCH-1\"");
        assertThatThrownBy(() -> parse(other)).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("not a MASVS v2 control id: MASVS-ARCH-1");
    }

    @Test
    void aClaimWithoutTestsAndAGapWithoutReasonAreRefused() throws IOException {
        String met = catalogueText().replaceFirst("(?s)(\"id\": \"MASVS-CRYPTO-1\".*?\"tests\": \\[)[^\\]]*\\]", "$1]");
        assertThatThrownBy(() -> parse(met)).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("MASVS-CRYPTO-1: a control that is met names the tests that show it");
        String notApplicable = catalogueText().replaceFirst("(?s)(\"id\": \"MASVS-AUTH-2\".*?\"tests\": \\[)\\]",
                "$1\"dev.capsule.server.identity.internal.OperatorSignInTest\"]");
        assertThatThrownBy(() -> parse(notApplicable)).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("MASVS-AUTH-2: a control that is not applicable claims no tests");
        String noReason = catalogueText().replaceFirst("(?s)(\"id\": \"MASVS-AUTH-2\".*?)\"reason\": \"[^\"]*\",", "$1");
        assertThatThrownBy(() -> parse(noReason)).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("MASVS-AUTH-2: a control that is not applicable needs a reason");
    }

    @Test
    void unknownFieldsStatusesAndClassNamesAreRefused() throws IOException {
        assertThatThrownBy(() -> parse(catalogueText().replace("\"status\": \"partly\"", "\"status\": \"mostly\"")))
                .isInstanceOf(JsonFormatException.class).hasMessageContaining("expected met, partly, not-met or not-applicable");
        assertThatThrownBy(() -> parse(catalogueText().replaceFirst("\"statement\":", "\"owner\": \"x\", \"statement\":")))
                .isInstanceOf(JsonFormatException.class).hasMessageContaining("owner");
        assertThatThrownBy(() -> parse(catalogueText().replace("\"dev.capsule.core.pkg.ZipBombTest\"", "\"ZipBombTest\"")))
                .isInstanceOf(JsonFormatException.class).hasMessageContaining("not a fully qualified class name: ZipBombTest");
        assertThatThrownBy(() -> parse(catalogueText().replace("\"version\": \"2.1.0\"", "\"version\": \"1.5.0\"")))
                .isInstanceOf(JsonFormatException.class).hasMessageContaining("OWASP MASVS 2.1.0 only");
    }

    private static MasvsCatalogue parse(String json) throws JsonFormatException {
        return MasvsCatalogue.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String catalogueText() throws IOException {
        try (InputStream in = MasvsCatalogue.class.getResourceAsStream(MasvsCatalogue.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
