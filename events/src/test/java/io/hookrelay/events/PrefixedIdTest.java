package io.hookrelay.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrefixedIdTest {

    @Test
    void idsCarryThePrefixAndA27CharacterKsuid() {
        var ids = new PrefixedId();

        String id = ids.next(PrefixedId.MESSAGE);

        assertThat(id).startsWith("msg_").hasSize(4 + 27).matches("msg_[0-9A-Za-z]{27}");
        assertThat(PrefixedId.hasPrefix(id, PrefixedId.MESSAGE)).isTrue();
        assertThat(PrefixedId.hasPrefix("my-order-uid", PrefixedId.MESSAGE)).isFalse();
    }

    @Test
    void idsFromLaterSecondsSortAfterEarlierOnes() {
        var earlier = new PrefixedId(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), new SecureRandom());
        var later = new PrefixedId(Clock.fixed(Instant.parse("2026-01-01T00:00:01Z"), ZoneOffset.UTC), new SecureRandom());

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(earlier.next("ep"));
            ids.add(later.next("ep"));
        }

        for (int i = 0; i < ids.size(); i += 2) {
            assertThat(ids.get(i)).isLessThan(ids.get(i + 1));
        }
    }

    @Test
    void idsAreUnique() {
        var ids = new PrefixedId();
        var seen = new HashSet<String>();

        for (int i = 0; i < 10_000; i++) {
            seen.add(ids.next("app"));
        }

        assertThat(seen).hasSize(10_000);
    }
}
