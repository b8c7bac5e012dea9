package dev.capsule.server.keys.internal;

import dev.capsule.server.keys.KeyRotation;
import java.util.List;
import org.springframework.stereotype.Component;

/** The keys module's {@link KeyRotation}: {@link KeyRotations#start} with the current request's operator, as its own endpoints call it. */
@Component
class KeyRotationService implements KeyRotation {
    private final KeyRotations rotations;

    KeyRotationService(KeyRotations rotations) {
        this.rotations = rotations;
    }

    @Override
    public StartedRotation rotate(String purposeCode) {
        if (purposeCode == null || !purposeCode.matches(KeysController.PURPOSE)) {
            throw new dev.capsule.server.platform.ProblemException(dev.capsule.server.platform.ProblemType.VALIDATION,
                    "a key purpose is a lower-case code");
        }
        RotationStatus started = rotations.start(KeyRotations.purpose(purposeCode), KeyEventPublisher.actor().orElse(null));
        return new StartedRotation(started.id(), started.purpose(), started.newKeyId(), started.state());
    }

    @Override
    public List<String> purposes() {
        return KeyPurpose.all().stream().map(KeyPurpose::code).toList();
    }
}
