package io.hookrelay.signer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import javax.crypto.Mac;
import org.junit.jupiter.api.Test;

class HmacSha256Test {

    final HmacSha256 hmac = new HmacSha256(new byte[32]);

    @Test
    void reusesTheMacAThreadGaveBack() {
        Mac first = hmac.acquire();
        hmac.release(first);

        Mac second = hmac.acquire();

        assertThat(second).isSameAs(first);
    }

    @Test
    void handsOutDistinctMacsWhileTheyAreInUse() {
        Set<Mac> inUse = new HashSet<>();

        for (int i = 0; i < 3 * HmacSha256.SLOTS; i++) {
            inUse.add(hmac.acquire());
        }

        assertThat(inUse).hasSize(3 * HmacSha256.SLOTS);
    }

    @Test
    void keepsAtMostItsSlotsAndDropsTheRest() {
        Set<Mac> given = new HashSet<>();
        for (int i = 0; i < 3 * HmacSha256.SLOTS; i++) {
            given.add(hmac.acquire());
        }
        given.forEach(hmac::release);

        Set<Mac> reused = new HashSet<>();
        for (int i = 0; i < 3 * HmacSha256.SLOTS; i++) {
            Mac mac = hmac.acquire();
            if (given.contains(mac)) {
                reused.add(mac);
            }
        }

        assertThat(reused).isNotEmpty().hasSizeLessThanOrEqualTo(HmacSha256.SLOTS);
    }

    @Test
    void computesTheSameMacWithAFreshOrAReusedInstance() {
        byte[] prefix = "msg_1.1.".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Body body = new Body.Bytes(new byte[] {1, 2, 3});

        byte[] fresh = hmac.mac(prefix, body);
        byte[] reused = hmac.mac(prefix, body);

        assertThat(reused).isEqualTo(fresh).hasSize(HmacSha256.LENGTH);
    }
}
