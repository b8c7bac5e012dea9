package dev.capsule.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The two logs' origins: each from its own setting, never the same, each refused by its own setting's name. */
class LogOriginsTest {
    @Test
    void eachLogHasItsOwnConfiguredOrigin() {
        LogOrigins origins = new LogOrigins("example.com/audit", "example.com/releases", null);
        assertThat(origins.audit().name()).isEqualTo("example.com/audit");
        assertThat(origins.releases().name()).isEqualTo("example.com/releases");
    }

    @Test
    void theTwoLogsNeverShareAnOrigin() {
        assertThatThrownBy(() -> new LogOrigins("example.com/log", " example.com/log ", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must differ");
    }

    @Test
    void anInvalidOriginNamesItsSetting() {
        assertThatThrownBy(() -> new LogOrigins("", "has space", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("capsule.releases.origin must be");
    }
}
