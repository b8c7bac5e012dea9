package dev.capsule.server.keys.internal;

import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/keys}: the platform's keys and their rotations (docs/keys.md). Security officers only. */
@RestController
@Validated
class KeysController {
    static final String PURPOSE = "[a-z][a-z0-9-]{0,62}";

    private final KeyRotations rotations;
    private final KeyInventory inventory;

    KeysController(KeyRotations rotations, KeyInventory inventory) {
        this.rotations = rotations;
        this.inventory = inventory;
    }

    record KeyList(List<KeyInventory.Key> keys) {
    }

    @GetMapping("/api/v1/keys")
    @RequiresPermission(Permission.KEYS_MANAGE)
    @Operation(summary = "Every platform key: purpose, id, status (primary, enabled, retired, destroyed) and dates; never key material")
    KeyList keys() {
        return new KeyList(inventory.all());
    }

    @PostMapping("/api/v1/keys/{purpose}/rotations")
    @RequiresPermission(value = Permission.KEYS_MANAGE, stepUp = true)
    @Operation(summary = "Rotate a purpose's keys: a new primary now, then a background re-wrap (needs a recent step-up)")
    ResponseEntity<RotationStatus> rotate(@PathVariable("purpose") @Pattern(regexp = PURPOSE) String purpose) {
        KeyPurpose keyPurpose = KeyRotations.purpose(purpose);
        RotationStatus started = rotations.start(keyPurpose, KeyEventPublisher.actor().orElse(null));
        return ResponseEntity.accepted().location(URI.create("/api/v1/keys/rotations/" + started.id())).body(started);
    }

    @GetMapping("/api/v1/keys/rotations/{id}")
    @RequiresPermission(Permission.KEYS_MANAGE)
    @Operation(summary = "A rotation's progress: values re-encrypted, values left, state")
    RotationStatus rotation(@PathVariable("id") UUID id) {
        return rotations.status(id).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no key rotation " + id));
    }
}
