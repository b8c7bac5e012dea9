package dev.capsule.server.platform;

import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The database that stores one region's data, tagged with that region ({@link Residency}).
 *
 * @param region       the region whose tag the database carries (checked at every start)
 * @param location     where the data lives, for exports and the console: "embedded PostgreSQL 18 in DIR" or
 *                     "PostgreSQL at HOST:PORT/DATABASE"; never credentials
 * @param jdbc         statements on this database; for the home region the platform's one {@code JdbcClient}
 * @param transactions transactions on this database; for the home region the platform's one {@code TransactionTemplate},
 *                     so code that picks the home region's database joins the caller's transaction as before
 */
public record RegionalDatabase(RegionId region, String location, JdbcClient jdbc, TransactionTemplate transactions) {
    public RegionalDatabase {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(jdbc, "jdbc");
        Objects.requireNonNull(transactions, "transactions");
    }

    @Override
    public String toString() {
        return "RegionalDatabase[" + region + ", " + location + "]";
    }
}
