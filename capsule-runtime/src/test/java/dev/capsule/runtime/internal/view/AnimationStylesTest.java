package dev.capsule.runtime.internal.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.json.StrictJson;
import dev.capsule.runtime.view.StyleRules;
import dev.capsule.runtime.view.UrlPolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** The Animation export → inline styles mapping: each step's meaning, and every shape it refuses. */
class AnimationStylesTest {
    private static JsonNode json(String text) {
        return StrictJson.mapper().readTree(text.replace('\'', '"'));
    }

    private static String step(String animates, String option) {
        return "{'animates':[" + animates + "],'option':" + option + "}";
    }

    private static final String OPT = "{'transition':{'duration':300,'timingFunction':'ease-in','delay':0},'transformOrigin':'0 0'}";

    private static Map<String, String> styles(String... steps) {
        return AnimationStyles.styles(json("{'actions':[" + String.join(",", steps) + "]}"));
    }

    @Test
    void eachPropertyTakesItsLastValueAndStepsRunOneAfterAnother() {
        Map<String, String> s = styles(
                step("{'type':'style','args':['opacity',0]},{'type':'translate','args':[10,'5rpx']},{'type':'scale','args':[1.5,1.5]}", OPT),
                step("{'type':'style','args':['opacity',1]},{'type':'style','args':['height','50%']}",
                        "{'transition':{'duration':100,'timingFunction':'linear','delay':20},'transformOrigin':'50% 50% 0'}"),
                step("{'type':'matrix','args':[1,0,0,1,0.25,-3]},{'type':'skew','args':[10,0]}",
                        "{'transition':{'duration':50,'timingFunction':'step-end','delay':0},'transformOrigin':'left top'}"));
        assertThat(s).containsExactly(
                Map.entry("transform", "matrix(1,0,0,1,0.25,-3) skew(10deg,0deg)"), // the last step with transforms replaces
                Map.entry("transform-origin", "left top"),
                Map.entry("opacity", "1"),
                Map.entry("height", "50%"),
                Map.entry("transition", "opacity 100ms linear 320ms,height 100ms linear 320ms,transform 50ms step-end 420ms"));
        // Every declaration is one the backend's checks accept (the renderer checks them again).
        s.forEach((p, v) -> assertThat(StyleRules.check(p, v, UrlPolicy.PACKAGE_ONLY)).as(p + ": " + v).isEmpty());
    }

    @Test
    void rotationsAndSingleAxisTransformsTakeTheirUnits() {
        assertThat(styles(step("{'type':'rotateZ','args':[-90]},{'type':'translateY','args':[2]},{'type':'scaleX','args':[0.5]}", OPT)))
                .containsEntry("transform", "rotateZ(-90deg) translateY(2px) scaleX(0.5)");
    }

    @Test
    void notAnExportOrNoStepsMeansNoStyles() {
        assertThat(AnimationStyles.isExport(json("true"))).isFalse();
        assertThat(AnimationStyles.isExport(json("{'actions':{}}"))).isFalse();
        assertThat(AnimationStyles.styles(json("'opacity: 0'"))).isEmpty();
        assertThat(styles()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'type':'style','args':['color','red']}", // not an animatable style
        "{'type':'style','args':['opacity',2]}",
        "{'type':'style','args':['width','10px;position:fixed']}",
        "{'type':'style','args':['background-color',7]}",
        "{'type':'rotate','args':['45deg']}",
        "{'type':'rotate','args':[1e21]}",
        "{'type':'rotate','args':[1,2]}",
        "{'type':'translate','args':[1]}",
        "{'type':'matrix3d','args':[1]}",
        "{'type':'translateX','args':['calc(1px)']}",
        "{'type':'style'}"
    })
    void anAnimateOutsideTheClosedShapesRefusesTheWholeAnimation(String animate) {
        assertThat(styles(step("{'type':'style','args':['opacity',0.5]}", OPT), step(animate, OPT))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{'transition':{'duration':-1}}",
        "{'transition':{'delay':'0'}}",
        "{'transition':{'timingFunction':'cubic-bezier(0,0,1,1)'}}",
        "{'transition':{'timingFunction':'linear;x:y'}}"
    })
    void aBadStepOptionRefusesTheWholeAnimation(String option) {
        assertThat(styles(step("{'type':'style','args':['opacity',0.5]}", option))).isEmpty();
    }

    @Test
    void capsOnStepsAndAnimatesRefuse() {
        String one = step("{'type':'style','args':['opacity',0.5]}", OPT);
        assertThat(styles(java.util.Collections.nCopies(AnimationStyles.ACTIONS_MAX, one).toArray(String[]::new))).isNotEmpty();
        assertThat(styles(java.util.Collections.nCopies(AnimationStyles.ACTIONS_MAX + 1, one).toArray(String[]::new))).isEmpty();
        String animates = String.join(",", java.util.Collections.nCopies(AnimationStyles.ANIMATES_MAX + 1, "{'type':'rotate','args':[1]}"));
        assertThat(styles(step(animates, OPT))).isEmpty();
    }
}
