package dev.capsule.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.testing.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CapsuleManifestParserTest {
    private static final String BASE = "\"id\":\"com.example.app\",\"version\":\"1.2.0\",\"name\":\"App\",\"developer\":{\"id\":\"ex\",\"name\":\"Ex Ltd\"}";

    private static CapsuleManifest parse(String json) throws ManifestException {
        return CapsuleManifestParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String withNetwork(String host) {
        return "{" + BASE + ",\"network\":{\"request\":[\"" + host.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]}}";
    }

    @Test
    void parsesTheSpecExampleShape() throws Exception {
        CapsuleManifest m = parse("{" + BASE + ",\"network\":{\"request\":[\"api.example.com\",\"upload.example.com:8443\"],"
                + "\"uploadFile\":[],\"downloadFile\":[],\"connectSocket\":[]},"
                + "\"privacy\":[{\"data\":\"location\",\"apis\":[\"wx.getLocation\"],\"purpose\":\"Show stores near you\"}],"
                + "\"dependencies\":[{\"ecosystem\":\"npm\",\"name\":\"dayjs\",\"version\":\"1.11.10\"}]}");
        assertThat(m.id()).isEqualTo("com.example.app");
        assertThat(m.network().request()).containsExactly(new HostName("api.example.com", 443), new HostName("upload.example.com", 8443));
        assertThat(m.privacy()).singleElement().extracting(CapsuleManifest.PrivacyDeclaration::purpose).isEqualTo("Show stores near you");
        assertThat(m.dependencies()).hasSize(1);
    }

    @Test
    void examplesAreValid() throws Exception {
        for (String example : new String[] {"todo", "weather"}) {
            CapsuleManifestParser.parse(Files.readAllBytes(RepoPaths.example(example).resolve("capsule.json")));
        }
    }

    @Test
    void minRuntimeIsOptionalAndASemanticVersion() throws Exception {
        assertThat(parse("{" + BASE + "}").minRuntime()).isEmpty();
        assertThat(parse("{" + BASE + ",\"minRuntime\":\"0.4.0\"}").minRuntime()).contains(SemanticVersion.parse("0.4.0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"0.4\"", "\"v0.4.0\"", "\"\"", "4", "null", "[\"0.4.0\"]"})
    void minRuntimeThatIsNotASemanticVersionIsRefused(String value) {
        assertThatThrownBy(() -> parse("{" + BASE + ",\"minRuntime\":" + value + "}")).isInstanceOf(ManifestException.class)
                .hasMessageContaining("minRuntime");
    }

    @Test
    void minRuntimeWithAnotherSpellingIsAnUnknownField() {
        assertThatThrownBy(() -> parse("{" + BASE + ",\"minimumRuntime\":\"0.4.0\"}")).isInstanceOf(ManifestException.class)
                .hasMessageContaining("unknown field 'minimumRuntime'");
    }

    @Test
    void unknownTopLevelFieldIsNamed() {
        assertThatThrownBy(() -> parse("{" + BASE + ",\"permissions\":[]}")).isInstanceOf(ManifestException.class)
                .hasMessageContaining("unknown field 'permissions'");
    }

    @Test
    void typoInNestedFieldIsNamedWithItsPath() {
        assertThatThrownBy(() -> parse("{" + BASE + ",\"network\":{\"requests\":[\"api.example.com\"]}}"))
                .isInstanceOf(ManifestException.class).hasMessage(
                        "capsule.json: network: unknown field 'requests' (allowed: connectSocket, downloadFile, request, uploadFile)");
    }

    @Test
    void duplicateKeyIsAnError() {
        assertThatThrownBy(() -> parse("{" + BASE + ",\"id\":\"com.evil.app\"}")).isInstanceOf(ManifestException.class)
                .hasMessageContaining("Duplicate");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Com.Example.App", "example", "com..example", ".com.example", "com.example.", "com.exa mple", "1com.example", "com_example.app"})
    void idMustBeReverseDns(String id) {
        assertThatThrownBy(() -> parse("{" + BASE.replace("com.example.app", id) + "}")).isInstanceOf(ManifestException.class)
                .hasMessageContaining("id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1.2", "01.2.3", "1.2.3-", "v1.2.3", "1.2.3.4", "1.2.x"})
    void versionMustBeSemver(String version) {
        assertThatThrownBy(() -> parse("{" + BASE.replace("1.2.0", version) + "}")).isInstanceOf(ManifestException.class)
                .hasMessageContaining("semantic version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3-alpha.1", "1.0.0+build.5", "10.20.30"})
    void acceptsSemverPrereleaseAndBuild(String version) throws Exception {
        assertThat(parse("{" + BASE.replace("1.2.0", version) + "}").version()).isEqualTo(version);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://api.example.com | not a URL",
        "*.example.com | wildcards",
        "api.*.com | wildcards",
        "api.example.com/v1 | without a path",
        "user@api.example.com | user info",
        "127.0.0.1 | IP literals",
        "10.0.0.1:443 | IP literals",
        "2130706433 | IP literals",
        "0x7f.0.0.1 | IP literals",
        "127.1 | IP literals",
        "[::1] | IP literals",
        "::1 | IP literals",
        "localhost | localhost",
        "app.localhost | localhost",
        "api.example.com:0 | bad port",
        "api.example.com:65536 | bad port",
        "api.example.com:https | bad port",
        "api.example.com: | bad port",
        "API.example.com | lower case",
        "api.example.com. | end with a dot",
        "fileserver | fully qualified",
        "bücher.example | ASCII",
        "api .example.com | ASCII",
        "-api.example.com | not a valid host name label",
        "printer.local | special-use",
        "db.internal | special-use",
        "1.0.0.127.in-addr.arpa | special-use",
        "nas.home.arpa | special-use",
        "a..example.com | not a valid host name label"})
    void rejectsUnsafeHosts(String host, String expected) {
        assertThatThrownBy(() -> parse(withNetwork(host))).isInstanceOf(ManifestException.class)
                .hasMessageContaining("network.request[0]").hasMessageContaining(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.example.com", "api.example.com:8443", "xn--bcher-kva.example", "a-b.c-d.example.org", "123.example.com"})
    void acceptsExactHosts(String host) throws Exception {
        assertThat(parse(withNetwork(host)).network().request()).hasSize(1);
    }

    @Test
    void rejectsDuplicateHost() {
        assertThatThrownBy(() -> parse("{" + BASE + ",\"network\":{\"request\":[\"a.example.com\",\"a.example.com:443\"]}}"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("listed twice");
    }

    @Test
    void privacyEntryNeedsPurpose() {
        assertThatThrownBy(() -> parse("{" + BASE + ",\"privacy\":[{\"data\":\"location\",\"apis\":[\"wx.getLocation\"]}]}"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("privacy[0]").hasMessageContaining("purpose");
        assertThatThrownBy(() -> parse("{" + BASE + ",\"privacy\":[{\"data\":\"location\",\"apis\":[\"wx.getLocation\"],\"purpose\":\"  \"}]}"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("privacy[0].purpose").hasMessageContaining("must not be empty");
    }

    @Test
    void privacyApisMustBeKnownPersonalDataApis() {
        assertThatThrownBy(() -> parse("{" + BASE + ",\"privacy\":[{\"data\":\"x\",\"apis\":[\"wx.request\"],\"purpose\":\"p\"}]}"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("'wx.request' is not a personal-data API");
    }

    @Test
    void dependencyEcosystemMustBeSupported() {
        assertThatThrownBy(() -> parse("{" + BASE + ",\"dependencies\":[{\"ecosystem\":\"pypi\",\"name\":\"x\",\"version\":\"1\"}]}"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("dependencies[0].ecosystem");
    }

    @Test
    void missingRequiredFieldsAndWrongTypesAreNamed() {
        assertThatThrownBy(() -> parse("{\"id\":\"com.example.app\"}")).isInstanceOf(ManifestException.class)
                .hasMessageContaining("missing required field 'version'");
        assertThatThrownBy(() -> parse("{" + BASE + ",\"network\":{\"request\":\"api.example.com\"}}"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("network.request: must be an array");
        assertThatThrownBy(() -> parse("[]")).isInstanceOf(ManifestException.class).hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> parse("{" + BASE)).isInstanceOf(ManifestException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void rejectsUtf16AndByteOrderMark() {
        String json = "{" + BASE + "}";
        assertThatThrownBy(() -> CapsuleManifestParser.parse(json.getBytes(StandardCharsets.UTF_16LE))).isInstanceOf(ManifestException.class);
        byte[] withBom = ("\uFEFF" + json).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CapsuleManifestParser.parse(withBom)).isInstanceOf(ManifestException.class).hasMessageContaining("byte-order mark");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u200b", "\u00a0", "\u202eevil", "line\u2028break", "tab\there"})
    void textFieldsRejectInvisibleAndControlCharacters(String purpose) {
        String json = "{" + BASE + ",\"privacy\":[{\"data\":\"location\",\"apis\":[\"wx.getLocation\"],\"purpose\":\""
                + purpose.replace("\t", "\\t") + "\"}]}";
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ManifestException.class).hasMessageContaining("privacy[0].purpose");
    }

    @Test
    void errorMessagesEscapeWhatThePackageWrote() {
        // A hostile id trying to forge a "verified" line on the user's terminal.
        String json = "{" + BASE.replace("com.example.app", "x\\u001b[2K\\rverified com.bank 9.9.9\\nmore") + "}";
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ManifestException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b").doesNotContain("\n").doesNotContain("\r").contains("\\u001b"));
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] bytes = ("{" + BASE + "}").getBytes(StandardCharsets.UTF_8);
        bytes[5] = (byte) 0xff;
        assertThatThrownBy(() -> CapsuleManifestParser.parse(bytes)).isInstanceOf(ManifestException.class).hasMessageContaining("UTF-8");
    }
}
