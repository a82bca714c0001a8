package io.hookrelay.gateway.warmup;

/** For tests outside this package that try the warm-up's credential where it must not count. */
public final class WarmUpCredentials {

    private WarmUpCredentials() {}

    public static String of(WarmUpTraffic traffic) {
        return traffic.credential();
    }
}
