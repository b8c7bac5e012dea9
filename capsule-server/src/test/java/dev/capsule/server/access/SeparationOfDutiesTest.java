package dev.capsule.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.platform.ProblemException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class SeparationOfDutiesTest {

    @Test
    void sameActorIsRefusedWithASeparationOfDutiesProblem() {
        assertThatThrownBy(() -> SeparationOfDuties.requireDifferentActor("operator:ann", "operator:ann", "approve version 1.2.0"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(AccessProblems.SEPARATION_OF_DUTIES);
                    assertThat(e.type().status()).isEqualTo(HttpStatus.FORBIDDEN);
                    assertThat(e.type().uri().toString()).isEqualTo("https://capsule.dev/problems/separation-of-duties");
                    assertThat(e.getMessage()).contains("approve version 1.2.0");
                    assertThat(e.properties()).containsEntry("duty", "approve version 1.2.0");
                });
    }

    @Test
    void differentActorsPass() {
        assertThatCode(() -> SeparationOfDuties.requireDifferentActor("operator:ann", "operator:bob", "approve"))
                .doesNotThrowAnyException();
        // Ids compare exactly: an operator and an API key of the same name are different actors.
        assertThatCode(() -> SeparationOfDuties.requireDifferentActor("operator:ann", "apikey:ann", "approve"))
                .doesNotThrowAnyException();
    }

    @Test
    void missingActorsAreAProgrammingError() {
        assertThatThrownBy(() -> SeparationOfDuties.requireDifferentActor(null, "operator:bob", "approve"))
                .isInstanceOf(NullPointerException.class);
    }
}
