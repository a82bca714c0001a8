package io.hookrelay.gateway.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/** The warm-up's credential counts on the warm-up's port while it runs, and nowhere else. */
class WarmUpTrafficTest {

    private static final int WARM_UP_PORT = 41_000;
    private static final int PUBLIC_PORT = 8080;

    private final WarmUpTraffic traffic = new WarmUpTraffic();

    @Test
    void admitsItsCredentialOnTheWarmUpsPortWhileItRuns() {
        traffic.servedOn(WARM_UP_PORT);

        assertThat(traffic.admits(requestOn(WARM_UP_PORT), traffic.credential())).isTrue();
    }

    @Test
    void refusesItOnAnyOtherPortBeforeDuringAndAfterTheWarmUp() {
        assertThat(traffic.admits(requestOn(WARM_UP_PORT), traffic.credential())).as("before").isFalse();
        traffic.servedOn(WARM_UP_PORT);
        assertThat(traffic.admits(requestOn(PUBLIC_PORT), traffic.credential())).as("another port").isFalse();
        traffic.ended();
        assertThat(traffic.admits(requestOn(WARM_UP_PORT), traffic.credential())).as("after").isFalse();
    }

    @Test
    void refusesAnythingButTheWholeCredential() {
        traffic.servedOn(WARM_UP_PORT);
        String credential = traffic.credential();

        assertThat(credential).startsWith("hr_warmup_").hasSize("hr_warmup_".length() + 64);
        for (String wrong : new String[] {"", "hr_warmup_", credential.substring(0, credential.length() - 1),
                credential + "0", credential.toUpperCase(), new WarmUpTraffic().credential()}) {
            assertThat(traffic.admits(requestOn(WARM_UP_PORT), wrong)).as(wrong).isFalse();
        }
    }

    private static MockServerHttpRequest requestOn(int localPort) {
        return MockServerHttpRequest.post("/api/v1/app/x/msg")
                .localAddress(new InetSocketAddress("127.0.0.1", localPort))
                .remoteAddress(new InetSocketAddress("127.0.0.1", 50_000))
                .build();
    }
}
