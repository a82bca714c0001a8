package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which deaths of PostgreSQL local mode restarts: every one but a shutdown someone asked for. */
class SupervisedPostgresTest {

    @Test
    void aShutdownSomeoneAskedForIsNotRestarted() {
        for (String mode : List.of("smart", "fast", "immediate")) {
            assertThat(SupervisedPostgres.askedToShutDown(List.of(
                    "2026-12-02 11:26:10.001 UTC [9776] LOG:  database system is ready to accept connections",
                    "2026-12-02 11:27:10.001 UTC [9776] LOG:  received " + mode + " shutdown request",
                    "2026-12-02 11:27:10.101 UTC [9776] LOG:  database system is shut down"))).as(mode).isTrue();
        }
    }

    @Test
    void aDeathAfterAFullDisksPanicIsRestarted() {
        // as logged in a real full-disk run (deploy/bench/scripts/full-disk.sh ... wal)
        assertThat(SupervisedPostgres.askedToShutDown(List.of(
                "2026-12-02 11:26:14.520 UTC [10507] PANIC:  could not write to file \"pg_wal/xlogtemp.10507\": No space left on device",
                "2026-12-02 11:26:14.530 UTC [9776] LOG:  WAL writer process (PID 10507) was terminated by signal 6: Aborted",
                "2026-12-02 11:26:14.530 UTC [9776] LOG:  terminating any other active server processes",
                "2026-12-02 11:26:14.600 UTC [9776] LOG:  all server processes terminated; reinitializing",
                "2026-12-02 11:26:14.700 UTC [10530] LOG:  database system was interrupted; last known up at 2026-12-02 11:25:20 UTC",
                "2026-12-02 11:26:16.900 UTC [9776] LOG:  startup process (PID 10530) was terminated by signal 6: Aborted",
                "2026-12-02 11:26:16.900 UTC [9776] LOG:  aborting startup due to startup process failure",
                "2026-12-02 11:26:16.910 UTC [9776] LOG:  database system is shut down"))).isFalse();
    }

    @Test
    void aKilledPostmasterLeavesNothingInItsLogAndIsRestarted() {
        assertThat(SupervisedPostgres.askedToShutDown(List.of(
                "2026-12-02 11:26:10.001 UTC [9776] LOG:  database system is ready to accept connections"))).isFalse();
        assertThat(SupervisedPostgres.askedToShutDown(List.of())).isFalse();
    }

    @Test
    void aRequestAnsweredByALaterStartDoesNotCountForTheDeathAfterIt() {
        // stopped by the fault campaign, started again by it, then died on its own
        assertThat(SupervisedPostgres.askedToShutDown(List.of(
                "2026-12-02 11:27:10.001 UTC [9776] LOG:  received immediate shutdown request",
                "2026-12-02 11:27:40.001 UTC [9901] LOG:  starting PostgreSQL 17.5 on x86_64-pc-linux-gnu",
                "2026-12-02 11:27:40.201 UTC [9901] LOG:  database system is ready to accept connections",
                "2026-12-02 11:29:01.001 UTC [9901] LOG:  server process (PID 9950) was terminated by signal 9: Killed"))).isFalse();
    }
}
