package io.hookrelay.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantsTest {

    @Test
    void readsWhatInstantWritesExactlyAsInstantParseDoes() {
        var random = ThreadLocalRandom.current();
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1_000;
                        default -> random.nextInt(1_000_000_000);
                    });
            assertThat(IsoInstants.parse(instant.toString())).as(instant.toString()).isEqualTo(instant);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-30T05:49:12.1Z", "2026-02-28T23:59:59.123456789Z", "2024-02-29T00:00:00Z",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-11-30T05:49:12+01:00",
        "2026-11-30T24:00:00Z", "2026-11-30T05:49:12.Z", "2026-12-31T23:59:60Z"})
    void agreesWithInstantParseOnEdges(String text) {
        assertThat(IsoInstants.parse(text)).isEqualTo(Instant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-30T05:49:12.1234567890Z", "2026-1a-30T05:49:12Z", "2026-11-30 05:49:12Z", "2026-11-30T0x:49:12Z", "not a time"})
    void refusesWhatInstantParseRefuses(String text) {
        assertThatThrownBy(() -> IsoInstants.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
