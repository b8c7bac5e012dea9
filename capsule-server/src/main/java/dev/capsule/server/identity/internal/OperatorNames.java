package dev.capsule.server.identity.internal;

import dev.capsule.server.access.OperatorDirectory;
import dev.capsule.server.access.OperatorId;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The access module's {@link OperatorDirectory}: an operator's current username, read from the store. */
@Component
class OperatorNames implements OperatorDirectory {
    private final OperatorStore store;

    OperatorNames(OperatorStore store) {
        this.store = store;
    }

    @Override
    public Optional<String> username(OperatorId operator) {
        return store.findById(operator.value()).map(Operator::username);
    }
}
