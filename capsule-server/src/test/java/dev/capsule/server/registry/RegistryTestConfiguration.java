package dev.capsule.server.registry;

import java.util.List;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Test wiring of the registry tests: a recorder of {@link PackageApproved} events (what the releases module listens to). */
@TestConfiguration(proxyBeanMethods = false)
public class RegistryTestConfiguration {
    @Bean
    ApprovedEvents approvedEvents() {
        return new ApprovedEvents();
    }

    /** Every {@link PackageApproved} published, with whether a transaction was active (it must be). */
    public static final class ApprovedEvents {
        final List<PackageApproved> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Boolean> inTransaction = new java.util.concurrent.CopyOnWriteArrayList<>();

        @EventListener
        void on(PackageApproved event) {
            events.add(event);
            inTransaction.add(TransactionSynchronizationManager.isActualTransactionActive());
        }
    }
}
