package dev.capsule.server.identity.internal;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The identity module's clock: the application's {@link Clock} bean if there is exactly one (tests
 * provide one to move time), else the system clock.
 */
@Component
class IdentityClock {
    private final Clock clock;

    IdentityClock(ObjectProvider<Clock> clocks) {
        this.clock = clocks.getIfUnique(Clock::systemUTC);
    }

    Clock clock() {
        return clock;
    }
}
