package dev.capsule.server.identity.internal;

import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.MutableClock;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The identity tests' shared server: {@link CapsuleServerTest} plus a {@link MutableClock} and a known
 * bootstrap admin password ({@link #ADMIN_PASSWORD}). Every class with this annotation shares one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@CapsuleServerTest
@Import(IdentityServerTest.Clock.class)
@TestPropertySource(properties = "capsule.admin-password=" + IdentityServerTest.ADMIN_PASSWORD)
@interface IdentityServerTest {
    String ADMIN_PASSWORD = "first start correct horse";

    @TestConfiguration(proxyBeanMethods = false)
    class Clock {
        @Bean
        MutableClock mutableClock() {
            return new MutableClock();
        }
    }
}
