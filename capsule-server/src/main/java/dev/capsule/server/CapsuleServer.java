package dev.capsule.server;

import dev.capsule.server.advisories.OsvCommand;
import dev.capsule.server.keys.KeysCommand;
import dev.capsule.server.ledger.LedgerCommand;
import dev.capsule.server.platform.ServeCommand;
import java.util.Arrays;
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

    /**
     * {@code capsule serve [--port N] [--data-dir DIR] [--db-url URL] ...} (docs/server.md; the launcher
     * passes serve's flags only), or {@code capsule keys ...} when the first argument is {@code keys}
     * (docs/keys.md), or {@code capsule osv ...} for {@code osv} (docs/supply-chain.md), or
     * {@code capsule ledger ...} for {@code ledger} (docs/payments.md "The ledger"), or
     * {@code capsule dev DIR ...} for {@code dev} (docs/host.md "Development preview").
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("keys")) {
            System.exit(KeysCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("osv")) {
            System.exit(OsvCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("ledger")) {
            System.exit(LedgerCommand.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        int exit = args.length > 0 && args[0].equals("dev")
                ? ServeCommand.dev(CapsuleServer.class, Arrays.copyOfRange(args, 1, args.length))
                : ServeCommand.run(CapsuleServer.class, args);
        if (exit >= 0) {
            System.exit(exit);
        }
    }
}
