package dev.capsule.server.keys.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/** The actor of a key event: the signed-in operator's UUID, or nobody. */
class KeyEventPublisherTest {

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void theActorIsTheOperatorsUuid() {
        UUID operator = UUID.randomUUID();
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(operator.toString(), null,
                List.of(new SimpleGrantedAuthority(Role.SECURITY_OFFICER.authority()))));
        assertThat(KeyEventPublisher.actor()).hasValue(dev.capsule.server.access.OperatorId.of(operator));
    }

    @Test
    void noAuthenticationOrANonUuidNameMeansNoActor() {
        assertThat(KeyEventPublisher.actor()).isEmpty();
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated("console", null, List.of()));
        assertThat(KeyEventPublisher.actor()).isEmpty();
    }
}
