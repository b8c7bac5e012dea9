package dev.capsule.server.compliance.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The controller settings: both or no controller, and a value that could forge lines on a page or in a record stops the start. */
class ControllerSettingsTest {

    @Test
    void bothSettingsNameTheController() {
        assertThat(new ControllerSettings("  Example GmbH ", "dpo@example.com").controller()).hasValueSatisfying(controller -> {
            assertThat(controller.name()).isEqualTo("Example GmbH");
            assertThat(controller.contact()).isEqualTo("dpo@example.com");
        });
    }

    @Test
    void aMissingOrBlankSettingNamesNoController() {
        assertThat(new ControllerSettings(null, null).controller()).isEmpty();
        assertThat(new ControllerSettings("Example GmbH", null).controller()).isEmpty();
        assertThat(new ControllerSettings(" ", "dpo@example.com").controller()).isEmpty();
    }

    @Test
    void aValueWithALineBreakOrOverTheLimitIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new ControllerSettings("Example GmbH\nController: someone else", "dpo@example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capsule.privacy.controller-name");
        assertThatThrownBy(() -> new ControllerSettings("Example GmbH", "x".repeat(ControllerSettings.TEXT_CHARS_MAX + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capsule.privacy.controller-contact");
        assertThat(new ControllerSettings("Example GmbH", "x".repeat(ControllerSettings.TEXT_CHARS_MAX)).controller()).isPresent();
    }
}
