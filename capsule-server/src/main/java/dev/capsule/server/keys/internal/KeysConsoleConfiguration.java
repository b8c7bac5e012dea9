package dev.capsule.server.keys.internal;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** The {@code capsule keys} console context: the keys module alone, on the server's database. */
@Configuration(proxyBeanMethods = false)
@ComponentScan("dev.capsule.server.keys")
class KeysConsoleConfiguration {
}
