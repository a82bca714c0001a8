package io.hookrelay.frontdoor;

import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.net.ConnectException;
import java.util.Set;

/**
 * The one reading, for the gateway and the services alike, of a PostgreSQL error that a client
 * must hear about as something other than our fault: text PostgreSQL cannot store (the client's
 * 400), and a database that cannot take the request now (a 503 with {@code Retry-After}, never a
 * 500). Looks through the causes, since Spring wraps the driver's exceptions.
 */
public final class DatabaseErrors {

    /** Why PostgreSQL could not serve the request: what the answer may promise depends on it. */
    public enum Outage {
        /**
         * Nothing was applied. PostgreSQL answered the statement with an error that says "not
         * now" — it is read-only (25006), its disk or memory is full or it is out of connections
         * (class 53), it is starting or in recovery (57P03), an I/O error (58000, 58030), a
         * conflict with another transaction (40001, 40P01, 55P03), a statement cancelled (57014) —
         * and rolled back the statement or transaction it ended; or no connection could be had at
         * all (refused, or the pool's acquire time passed), so nothing was sent.
         */
        REFUSED,
        /**
         * The connection was lost under a statement, or the server ended the session (57P01
         * shutdown, 57P02 crash, class 08): a change sent before may have committed.
         */
        LOST
    }
    /** PostgreSQL stores no NUL character: in text 22021, in jsonb 22P05. */
    private static final Set<String> NUL_CHARACTER = Set.of("22021", "22P05");

    private static final Set<String> REFUSED_STATES = Set.of(
            "25006", // read_only_sql_transaction: default_transaction_read_only, a standby
            "40001", // serialization_failure
            "40P01", // deadlock_detected
            "55P03", // lock_not_available
            "57014", // query_canceled (statement_timeout)
            "57P03", // cannot_connect_now: starting up or in recovery
            "08001", // sqlclient_unable_to_establish_sqlconnection
            "08003", // connection_does_not_exist (the driver's "Cannot connect to …")
            "08004", // sqlserver_rejected_establishment_of_sqlconnection
            "58000", // system_error
            "58030"); // io_error

    /** Whole classes: insufficient resources (disk_full 53100, out_of_memory, too_many_connections …). */
    private static final Set<String> REFUSED_CLASSES = Set.of("53");

    /**
     * The session ended under the statement — the server shut down (57P01) or crashed (57P02), the
     * connection failed (08000, 08006) or the transaction's fate is unknown (08007) — possibly after
     * a commit was on disk and before its answer was sent. (08P01, a protocol violation, is ours.)
     */
    private static final Set<String> LOST_STATES = Set.of("57P01", "57P02", "08000", "08006", "08007");

    private DatabaseErrors() {}

    /**
     * PostgreSQL stores no NUL character: in text it is "invalid byte sequence for encoding UTF8:
     * 0x00", in jsonb "unsupported Unicode escape sequence". Java strings and JSON ({@code \\u0000})
     * carry it happily, so a client can put one in any name, description, metadata value, query
     * parameter or cursor: their input PostgreSQL refuses, a 400, not our fault.
     */
    public static boolean nulCharacter(Throwable error) {
        R2dbcException database = database(error);
        return database != null && database.getSqlState() != null && NUL_CHARACTER.contains(database.getSqlState());
    }

    /** Why the database could not serve the request, or {@code null} if that is not what {@code error} says. */
    public static Outage outage(Throwable error) {
        R2dbcException database = database(error);
        if (database == null) {
            return null;
        }
        String state = database.getSqlState();
        if (causedBy(database, ConnectException.class) || (state == null && database instanceof R2dbcTimeoutException)) {
            return Outage.REFUSED; // the connection was refused, or the pool's acquire time passed: nothing sent
        }
        if (state != null && state.length() == 5) {
            if (REFUSED_STATES.contains(state) || REFUSED_CLASSES.contains(state.substring(0, 2))) {
                return Outage.REFUSED;
            }
            return LOST_STATES.contains(state) ? Outage.LOST : null;
        }
        // no SQLSTATE: the driver, not the server, gave up
        return database instanceof R2dbcNonTransientResourceException || database instanceof R2dbcTransientResourceException
                ? Outage.LOST
                : null;
    }

    /**
     * PostgreSQL refused the statement for what is in it (a value it cannot store, a constraint):
     * an answer with a SQLSTATE that is no outage. Written again item by item, the others may pass.
     */
    public static boolean refusedForItsContent(Throwable error) {
        R2dbcException database = database(error);
        return database != null && database.getSqlState() != null && outage(error) == null;
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static R2dbcException database(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof R2dbcException database) {
                return database;
            }
        }
        return null;
    }
}
