package dev.capsule.server.identity.internal;

import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/** The operator of the current request's session, read fresh from the database. */
@Component
class CurrentOperator {
    private final OperatorStore store;

    CurrentOperator(OperatorStore store) {
        this.store = store;
    }

    Optional<OperatorAuthentication> authentication() {
        return SecurityContextHolder.getContext().getAuthentication() instanceof OperatorAuthentication authentication
                ? Optional.of(authentication) : Optional.empty();
    }

    Operator require() {
        return authentication().flatMap(authentication -> store.findById(authentication.getPrincipal().id()))
                .orElseThrow(() -> new ProblemException(ProblemType.UNAUTHENTICATED, "this request needs an operator session"));
    }
}
