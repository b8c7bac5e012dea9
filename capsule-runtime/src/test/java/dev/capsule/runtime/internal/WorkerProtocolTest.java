package dev.capsule.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.internal.WorkerProtocol.ProtocolViolation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WorkerProtocolTest {
    @Test
    void frameRoundTrips() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WorkerProtocol.write(out, WorkerProtocol.EVENT, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        var in = new ByteArrayInputStream(out.toByteArray());
        var frame = WorkerProtocol.read(in, 1024);
        assertThat(frame.type()).isEqualTo(WorkerProtocol.EVENT);
        assertThat(new String(frame.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(WorkerProtocol.read(in, 1024)).as("clean end between frames").isNull();
    }

    @Test
    void readRejectsZeroAndOversizedLengthsBeforeAllocating() {
        assertThatThrownBy(() -> WorkerProtocol.read(new ByteArrayInputStream(new byte[] {0, 0, 0, 0}), 1024))
                .isInstanceOf(ProtocolViolation.class).hasMessage("frame of 0 bytes; frames are 1 to 1024 bytes");
        assertThatThrownBy(() -> WorkerProtocol.read(new ByteArrayInputStream(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}), 1024))
                .isInstanceOf(ProtocolViolation.class).hasMessage("frame of 4294967295 bytes; frames are 1 to 1024 bytes");
        assertThatThrownBy(() -> WorkerProtocol.read(new ByteArrayInputStream(new byte[] {0, 0}), 1024))
                .isInstanceOf(ProtocolViolation.class).hasMessage("truncated frame header");
    }

    /** 20,000 random streams: each reads as frames, a clean end or a violation; nothing else ever escapes. */
    @Test
    void randomBytesOnlyEverGiveFramesOrViolations() {
        Random random = new Random(4);
        for (int i = 0; i < 20_000; i++) {
            byte[] noise = new byte[random.nextInt(64)];
            random.nextBytes(noise);
            if (noise.length >= 4 && random.nextBoolean()) {
                noise[0] = 0; // plausible lengths too, not only huge ones
                noise[1] = 0;
                noise[2] = 0;
            }
            var in = new ByteArrayInputStream(noise);
            try {
                for (int n = 0; n < 64; n++) {
                    var frame = WorkerProtocol.read(in, 256);
                    if (frame == null) {
                        break;
                    }
                    try {
                        WorkerMessages.event(WorkerProtocol.object(frame));
                    } catch (ProtocolViolation expected) {
                        // fine: refused with a reason
                    }
                }
            } catch (ProtocolViolation | IOException expected) {
                // fine
            }
        }
    }

    @Test
    void eventDecodingChecksEveryField() {
        List<String> bad = List.of("{}", "{\"t\":1}", "{\"t\":\"nope\"}", "{\"t\":\"log\",\"level\":\"shout\",\"text\":\"x\"}",
                "{\"t\":\"log\",\"level\":\"log\"}", "{\"t\":\"data\",\"route\":\"r\",\"json\":\"{not json\"}",
                "{\"t\":\"exit\",\"code\":2,\"reason\":\"x\"}", "{\"t\":\"api\",\"name\":\"x\",\"ok\":\"yes\"}",
                "{\"t\":\"violation\",\"kind\":\"" + "k".repeat(WorkerMessages.NAME_CHARS_MAX + 1) + "\",\"message\":\"m\",\"sessionEnded\":true}");
        for (String json : bad) {
            assertThatThrownBy(() -> WorkerMessages.event(WorkerProtocol.object(json.getBytes(StandardCharsets.UTF_8), 0, json.length())))
                    .as(json).isInstanceOf(ProtocolViolation.class);
        }
    }

    @Test
    void everyEventRoundTrips() throws Exception {
        List<RuntimeEvent> events = List.of(new RuntimeEvent.Launch("a", "1.0.0", true, "u"), new RuntimeEvent.Lifecycle("app", "onShow"),
                new RuntimeEvent.Data("pages/index/index", "{\"n\":1}"), new RuntimeEvent.Api("request", false, "denied"),
                new RuntimeEvent.Api("getStorage", true, null), new RuntimeEvent.Ui("showToast", "{\"title\":\"t\"}"),
                new RuntimeEvent.Log("warn", "w"), new RuntimeEvent.Violation(dev.capsule.runtime.ViolationKind.CPU, "slow", false), new RuntimeEvent.Exit(0, "closed"));
        for (RuntimeEvent e : events) {
            assertThat(WorkerMessages.event(WorkerMessages.event(e))).isEqualTo(e);
        }
    }
}
