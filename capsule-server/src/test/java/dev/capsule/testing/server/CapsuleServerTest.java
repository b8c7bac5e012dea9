package dev.capsule.testing.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * A test against the real server: HTTPS on a free port, a fresh database in the JVM's shared embedded
 * PostgreSQL, a fresh data directory, and the test-only authentication and fixture endpoints of
 * {@link TestAuthentication}. Every class with this annotation and nothing else shares one context.
 * Inject {@link TestHttps} to make requests. (This package lies outside {@code dev.capsule.server} so
 * that component scanning of the real application never picks up test code.)
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TestServerInitializer.class)
@Import({TestAuthentication.class, TestHttps.class})
public @interface CapsuleServerTest {
}
