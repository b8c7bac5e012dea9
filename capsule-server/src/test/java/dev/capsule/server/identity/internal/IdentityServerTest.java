package dev.capsule.server.identity.internal;

import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.MutableClock;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The identity tests' shared server: {@link CapsuleServerTest} plus a {@link MutableClock} and a known
 * bootstrap admin password ({@link #ADMIN_PASSWORD}). Every class with this annotation shares one context;
 * each test starts with no sign-in failures counted (every test signs in from 127.0.0.1) and ends with
 * the clock put back.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CapsuleServerTest
@Import(IdentityServerTest.Clock.class)
@ExtendWith(IdentityServerTest.CleanSlate.class)
@TestPropertySource(properties = "capsule.admin-password=" + IdentityServerTest.ADMIN_PASSWORD)
@interface IdentityServerTest {
    String ADMIN_PASSWORD = "first start correct horse";

    /** Clears the sign-in throttle before each test and resets the clock after it. */
    class CleanSlate implements BeforeEachCallback, AfterEachCallback {
        @Override
        public void beforeEach(ExtensionContext test) {
            SpringExtension.getApplicationContext(test).getBean(JdbcClient.class).sql("DELETE FROM sign_in_throttle").update();
        }

        @Override
        public void afterEach(ExtensionContext test) {
            SpringExtension.getApplicationContext(test).getBean(MutableClock.class).reset();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    class Clock {
        @Bean
        MutableClock mutableClock() {
            return new MutableClock();
        }
    }
}
