package io.hookrelay.events;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;

/**
 * Generates Svix-style identifiers: a type prefix, an underscore and a 27-character KSUID
 * (4 bytes of seconds since the KSUID epoch, 16 random bytes, base62). KSUIDs sort by creation
 * time, so ids double as a stable pagination order.
 */
public final class PrefixedId {

    public static final String APPLICATION = "app";
    public static final String ENDPOINT = "ep";
    public static final String MESSAGE = "msg";
    public static final String ATTEMPT = "atmpt";

    private static final long KSUID_EPOCH_SECONDS = 1_400_000_000L;
    private static final int KSUID_LENGTH = 27;
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final Clock clock;
    private final SecureRandom random;

    public PrefixedId(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    public PrefixedId() {
        this(Clock.systemUTC(), new SecureRandom());
    }

    public String next(String prefix) {
        byte[] ksuid = new byte[20];
        long seconds = clock.millis() / 1000 - KSUID_EPOCH_SECONDS;
        ksuid[0] = (byte) (seconds >>> 24);
        ksuid[1] = (byte) (seconds >>> 16);
        ksuid[2] = (byte) (seconds >>> 8);
        ksuid[3] = (byte) seconds;
        byte[] payload = new byte[16];
        random.nextBytes(payload);
        System.arraycopy(payload, 0, ksuid, 4, 16);
        return prefix + "_" + base62(ksuid);
    }

    /** True when {@code value} looks like an id of this type rather than a user-chosen uid. */
    public static boolean hasPrefix(String value, String prefix) {
        return value.length() == prefix.length() + 1 + KSUID_LENGTH && value.startsWith(prefix + "_");
    }

    private static String base62(byte[] bytes) {
        char[] out = new char[KSUID_LENGTH];
        Arrays.fill(out, '0');
        int[] number = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            number[i] = bytes[i] & 0xFF;
        }
        int position = KSUID_LENGTH;
        int length = number.length;
        while (length > 0 && position > 0) {
            int remainder = 0;
            int quotientLength = 0;
            for (int i = 0; i < length; i++) {
                int accumulator = number[i] + remainder * 256;
                int digit = accumulator / 62;
                remainder = accumulator % 62;
                if (quotientLength > 0 || digit > 0) {
                    number[quotientLength++] = digit;
                }
            }
            out[--position] = BASE62[remainder];
            length = quotientLength;
        }
        return new String(out);
    }
}
