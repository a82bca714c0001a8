package io.hookrelay.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;

import io.hookrelay.frontdoor.DatabaseErrors.Outage;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcRollbackException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DatabaseErrorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"25006", "53100", "53200", "53300", "57P03", "57014", "58030", "08001", "08003",
            "40001", "40P01", "55P03"})
    void anErrorPostgresqlAnswersForNotNowIsARefusal(String sqlState) {
        var error = new RuntimeException("executeMany; SQL [insert …]", new R2dbcNonTransientResourceException("refused", sqlState));

        assertThat(DatabaseErrors.outage(error)).isEqualTo(Outage.REFUSED);
    }

    @Test
    void theStateDecidesNotTheDriversClassForIt() {
        // r2dbc-postgresql maps 40001 to a rollback exception, 25006 and 53100 to its generic one
        assertThat(DatabaseErrors.outage(new R2dbcRollbackException("could not serialize access", "40001"))).isEqualTo(Outage.REFUSED);
        assertThat(DatabaseErrors.outage(new R2dbcPermissionDeniedException("read-only", "25006"))).isEqualTo(Outage.REFUSED);
        // a resource exception with a state that is not "not now" stays ours
        assertThat(DatabaseErrors.outage(new R2dbcNonTransientResourceException("internal", "XX000"))).isNull();
    }

    @Test
    void noConnectionAtAllIsARefusalNothingWasSent() {
        // connection refused (the driver wraps the socket's error), the pool's acquire time passed
        assertThat(DatabaseErrors.outage(new R2dbcNonTransientResourceException("Cannot connect to localhost/127.0.0.1:5432",
                null, new java.net.ConnectException("Connection refused")))).isEqualTo(Outage.REFUSED);
        assertThat(DatabaseErrors.outage(new IllegalStateException("wrapped",
                new R2dbcTimeoutException("Connection acquisition timed out after 5000ms")))).isEqualTo(Outage.REFUSED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"57P01", "57P02", "08000", "08006", "08007"})
    void aSessionTheServerEndedUnderAStatementMayHaveCommittedIt(String sqlState) {
        assertThat(DatabaseErrors.outage(new R2dbcNonTransientResourceException("terminating connection", sqlState)))
                .isEqualTo(Outage.LOST);
    }

    @Test
    void aConnectionLostUnderAStatementMayHaveCommittedIt() {
        assertThat(DatabaseErrors.outage(new R2dbcNonTransientResourceException("Connection closed"))).isEqualTo(Outage.LOST);
        assertThat(DatabaseErrors.outage(new R2dbcTransientResourceException("request queue full"))).isEqualTo(Outage.LOST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "23503", "42P01", "42703", "22021", "XX000", "P0001", "08P01", "58P01"})
    void ourOwnAndTheClientsErrorsAreNoOutage(String sqlState) {
        assertThat(DatabaseErrors.outage(new R2dbcDataIntegrityViolationException("no", sqlState))).isNull();
        assertThat(DatabaseErrors.outage(new R2dbcBadGrammarException("no", sqlState))).isNull();
    }

    @Test
    void errorsWithoutADatabaseCauseAreNoOutage() {
        assertThat(DatabaseErrors.outage(new IllegalStateException("boom", new java.io.IOException("reset")))).isNull();
        assertThat(DatabaseErrors.outage(new R2dbcBadGrammarException("client-side, no state"))).isNull();
        assertThat(DatabaseErrors.nulCharacter(new IllegalStateException("boom"))).isFalse();
    }

    @Test
    void aNulCharacterIsTheClientsText() {
        assertThat(DatabaseErrors.nulCharacter(new RuntimeException(new R2dbcBadGrammarException("0x00", "22021")))).isTrue();
        assertThat(DatabaseErrors.nulCharacter(new R2dbcBadGrammarException("unsupported Unicode escape", "22P05"))).isTrue();
        assertThat(DatabaseErrors.nulCharacter(new R2dbcBadGrammarException("other", "22P02"))).isFalse();
        assertThat(DatabaseErrors.nulCharacter(new R2dbcNonTransientResourceException("no state"))).isFalse();
        assertThat(DatabaseErrors.outage(new R2dbcBadGrammarException("0x00", "22021"))).isNull();
    }

    @Test
    void aStatementRefusedForItsContentIsNoOutage() {
        assertThat(DatabaseErrors.refusedForItsContent(new R2dbcBadGrammarException("0x00", "22021"))).isTrue();
        assertThat(DatabaseErrors.refusedForItsContent(new R2dbcDataIntegrityViolationException("dup", "23505"))).isTrue();
        assertThat(DatabaseErrors.refusedForItsContent(new R2dbcNonTransientResourceException("read-only", "25006"))).isFalse();
        assertThat(DatabaseErrors.refusedForItsContent(new R2dbcNonTransientResourceException("Connection closed"))).isFalse();
        assertThat(DatabaseErrors.refusedForItsContent(new java.util.concurrent.TimeoutException("late"))).isFalse();
    }
}
