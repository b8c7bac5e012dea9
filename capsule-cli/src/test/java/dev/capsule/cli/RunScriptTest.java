package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.json.JsonFormatException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one --events format: handler calls as before, and element events by selector, each checked before anything runs. */
class RunScriptTest {
    private static RunScript parse(String json) throws JsonFormatException {
        return RunScript.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void handlerCallsAndElementEventsMixInOneArrayInOrder() throws Exception {
        RunScript script = parse("[{\"handler\":\"onAdd\",\"route\":\"pages/index/index\"},{\"tap\":\"#add\"},"
                + "{\"input\":\"form > input.name\",\"detail\":{\"value\":\"Ada\"}}]");
        assertThat(script.steps()).hasSize(3);
        assertThat(script.steps().get(0)).isEqualTo(new RunScript.HandlerCall("events[0]", "onAdd", "pages/index/index", "{}"));
        RunScript.ElementEvent tap = (RunScript.ElementEvent) script.steps().get(1);
        assertThat(tap.where()).isEqualTo("events[1]");
        assertThat(tap.type()).isEqualTo("tap");
        assertThat(tap.selector()).isEqualTo("#add");
        assertThat(tap.detail().isEmpty()).isTrue();
        RunScript.ElementEvent input = (RunScript.ElementEvent) script.steps().get(2);
        assertThat(input.type()).isEqualTo("input");
        assertThat(input.selector()).isEqualTo("form > input.name");
        assertThat(input.detail().get("value").stringValue()).isEqualTo("Ada");
    }

    @Test
    void aStepWithTwoEventTypesOrNoneIsRefusedNamingThem() {
        assertThatThrownBy(() -> parse("[{\"tap\":\"#a\",\"longpress\":\"#b\"}]")).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("events[0]").hasMessageContaining("found tap, longpress");
        assertThatThrownBy(() -> parse("[{\"detail\":{}}]")).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("found no event type");
        // a misspelt detail is a second "type", not a silently ignored field
        assertThatThrownBy(() -> parse("[{\"tap\":\"#a\",\"detial\":{}}]")).hasMessageContaining("found tap, detial");
    }

    @Test
    void aSelectorOutsideTheViewGrammarIsRefusedBeforeAnythingRuns() {
        assertThatThrownBy(() -> parse("[{\"tap\":\"a:hover\"}]")).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("events[0].tap").hasMessageContaining("selector");
        assertThatThrownBy(() -> parse("[{\"tap\":\"#" + "a".repeat(2000) + "\"}]")).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("events[0].tap");
        assertThatThrownBy(() -> parse("[{\"tap\":7}]")).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("events[0].tap: must be a string");
    }

    @Test
    void anEventTypeOrDetailOfTheWrongShapeIsRefused() {
        assertThatThrownBy(() -> parse("[{\"tap me\":\"#a\"}]")).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("event type");
        assertThatThrownBy(() -> parse("[{\"input\":\"#a\",\"detail\":\"x\"}]")).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("events[0].detail: must be an object");
    }

    @Test
    void handlerStepsKeepTheirRulesAndRefuseElementFields() {
        assertThatThrownBy(() -> parse("[{\"handler\":\"onAdd\",\"tap\":\"#a\"}]")).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("unknown field 'tap'");
        assertThatThrownBy(() -> parse("[{\"handler\":\"onLoad\"}]")).isInstanceOf(JsonFormatException.class)
                .hasMessageContaining("lifecycle hook");
    }
}
