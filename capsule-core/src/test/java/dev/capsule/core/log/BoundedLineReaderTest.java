package dev.capsule.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {
    @Test
    void readsLinesAcrossBufferBoundariesUpToTheLimit() throws Exception {
        String longest = "x".repeat(100_000);
        String text = "a\n\n" + longest + "\n" + "b".repeat(70_000) + "\nlast\n";
        BoundedLineReader reader = new BoundedLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 100_000, "t");
        assertThat(new String(reader.next(), StandardCharsets.UTF_8)).isEqualTo("a");
        assertThat(reader.next()).isEmpty();
        assertThat(new String(reader.next(), StandardCharsets.UTF_8)).isEqualTo(longest);
        assertThat(reader.next()).hasSize(70_000);
        assertThat(new String(reader.next(), StandardCharsets.UTF_8)).isEqualTo("last");
        assertThat(reader.lineNumber()).isEqualTo(5);
        assertThat(reader.next()).isNull();
    }

    @Test
    void rejectsALineOverTheLimitAndAnUnterminatedLastLine() {
        BoundedLineReader tooLong = new BoundedLineReader(new ByteArrayInputStream(("ok\n" + "x".repeat(100_001) + "\n").getBytes(StandardCharsets.UTF_8)), 100_000, "t");
        assertThatThrownBy(() -> {
            tooLong.next();
            tooLong.next();
        }).isInstanceOf(LogFormatException.class).hasMessage("t line 2: longer than 100000 bytes");
        BoundedLineReader truncated = new BoundedLineReader(new ByteArrayInputStream("ok\nhalf".getBytes(StandardCharsets.UTF_8)), 100, "t");
        assertThatThrownBy(() -> {
            truncated.next();
            truncated.next();
        }).isInstanceOf(LogFormatException.class).hasMessage("t line 2: truncated (no final newline)");
    }
}
