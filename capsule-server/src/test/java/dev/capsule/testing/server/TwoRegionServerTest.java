package dev.capsule.testing.server;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * {@link CapsuleServerTest} with two regions ({@link TwoRegionServerInitializer}): the home region {@code local} on the
 * platform's database and region {@code eu} on a database of its own. Every class with this annotation and nothing else
 * shares one context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = TwoRegionServerInitializer.class)
@Import({TestAuthentication.class, TestHttps.class})
public @interface TwoRegionServerTest {
}
