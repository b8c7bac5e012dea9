package dev.capsule.server;

import dev.capsule.server.platform.ServeCommand;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Capsule platform server. Each direct subpackage of {@code dev.capsule.server} is a module with a
 * small public API in its base package and everything else in {@code internal} below it
 * ({@code ServerModuleBoundaryTest} holds them to that).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CapsuleServer {

    /** {@code capsule serve [--port N] [--data-dir DIR] [--db-url URL] ...}: see docs/server.md. */
    public static void main(String[] args) {
        int exit = ServeCommand.run(CapsuleServer.class, args);
        if (exit >= 0) {
            System.exit(exit);
        }
    }
}
