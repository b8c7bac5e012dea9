package dev.capsule.server.access.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.Role;
import dev.capsule.server.access.SelfService;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/access/me}: who the server takes the caller to be and what it may do. Host
 * applications use it to check a key's scope at start-up; operator front ends to show what to offer.
 */
@RestController
class CallerController {

    /**
     * @param kind        "operator" or "machine"
     * @param actor       the actor id recorded in audit ("operator:alice", "apikey:3f2a...")
     * @param roles       an operator's roles; empty for a machine
     * @param permissions what the caller may do
     */
    record Me(String kind, String actor, List<String> roles, List<String> permissions) {
    }

    @GetMapping("/api/v1/access/me")
    @SelfService
    Me me() {
        Caller caller = Caller.current();
        List<String> permissions = caller.permissions().stream().sorted().map(Permission::code).toList();
        return switch (caller) {
            case Caller.Operator operator -> new Me("operator", operator.actorId(),
                    operator.roles().stream().sorted().map(Role::code).toList(), permissions);
            case Caller.Machine machine -> new Me("machine", machine.actorId(), List.of(), permissions);
        };
    }
}
