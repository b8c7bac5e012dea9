package dev.capsule.core.osv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class OsvExportTest {
    static final String ADVISORY = "{\"id\":\"%s\",\"modified\":\"2024-01-01T00:00:00Z\",\"affected\":[{\"package\":{\"ecosystem\":\"npm\",\"name\":\"x\"},"
            + "\"ranges\":[{\"type\":\"SEMVER\",\"events\":[{\"introduced\":\"0\"},{\"fixed\":\"1.0.0\"}]}]}]}";

    /** A zip of (name, bytes) pairs, deflated. */
    static byte[] zip(Object... namesAndBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndBytes.length; i += 2) {
                out.putNextEntry(new ZipEntry((String) namesAndBytes[i]));
                Object content = namesAndBytes[i + 1];
                out.write(content instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) content);
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    static List<OsvExport.Entry> read(byte[] zip) throws Exception {
        List<OsvExport.Entry> entries = new ArrayList<>();
        OsvExport.read(new ByteArrayInputStream(zip), entries::add);
        return entries;
    }

    @Test
    void readsEveryEntryAndRefusesBadOnesWithAReason() throws Exception {
        byte[] bomb = new byte[64 << 20]; // 64 MiB of zeros deflate to about 64 KiB
        List<OsvExport.Entry> entries = read(zip("GHSA-1.json", ADVISORY.formatted("GHSA-1"), "dir/", "", "bomb.json", bomb,
                "broken.json", "{\"id\":", "README.txt", "hello", "GHSA-2.json", ADVISORY.formatted("GHSA-2")));
        assertThat(entries).extracting(OsvExport.Entry::name).containsExactly("GHSA-1.json", "bomb.json", "broken.json", "README.txt", "GHSA-2.json");
        assertThat(entries.get(0)).isInstanceOfSatisfying(OsvExport.Entry.Parsed.class, p -> assertThat(p.advisory().id()).isEqualTo("GHSA-1"));
        assertThat(entries.get(1)).isInstanceOfSatisfying(OsvExport.Entry.Refused.class,
                r -> assertThat(r.reason()).isEqualTo("larger than " + OsvParser.ADVISORY_BYTES_MAX + " bytes"));
        assertThat(entries.get(2)).isInstanceOfSatisfying(OsvExport.Entry.Refused.class, r -> assertThat(r.reason()).contains("not valid JSON"));
        assertThat(entries.get(3)).isInstanceOfSatisfying(OsvExport.Entry.Refused.class, r -> assertThat(r.reason()).contains("not an advisory file"));
        assertThat(entries.get(4)).isInstanceOf(OsvExport.Entry.Parsed.class);
    }

    @Test
    void inflatedBytesOfTheWholeFileAreCapped() throws Exception {
        byte[] zip = zip("a.json", new byte[600_000], "b.json", new byte[600_000]);
        List<OsvExport.Entry> seen = new ArrayList<>();
        assertThatThrownBy(() -> OsvExport.read(new ByteArrayInputStream(zip), seen::add, 1_000_000))
                .isInstanceOf(OsvExport.ExportException.class).hasMessageContaining("more than 1000000 bytes once inflated");
        assertThat(seen).hasSize(1);
        assertThat(OsvExport.read(new ByteArrayInputStream(zip), e -> { }, 2_000_000)).as("under the cap it reads").isEqualTo(2);
    }

    @Test
    void notAZipIsRefusedNotReadAsEmpty() {
        assertThatThrownBy(() -> read("this is not a zip".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(OsvExport.ExportException.class).hasMessageContaining("no advisory files");
    }

    @Test
    void entryNamesAreEscapedInReasons() throws Exception {
        List<OsvExport.Entry> entries = read(zip("evil\u001b[31m.txt", "x"));
        assertThat(entries.getFirst().name()).doesNotContain("\u001b");
    }
}
