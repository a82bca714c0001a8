package io.hookrelay.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.springframework.stereotype.Component;

/**
 * Makes token strings and their digests. A token is a type prefix ({@code hrsk_} for organisation
 * tokens, {@code appsk_} for application tokens, like Svix's) and 32 random bytes in base62; only
 * its SHA-256 is stored.
 */
@Component
class TokenSecrets {

    static final String ORG_PREFIX = "hrsk_";
    static final String APP_PREFIX = "appsk_";
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 43; // 43 base62 characters ≥ 256 bits

    private final SecureRandom random = new SecureRandom();

    String newToken(String prefix) {
        var out = new StringBuilder(prefix.length() + LENGTH).append(prefix);
        for (int i = 0; i < LENGTH; i++) {
            out.append(BASE62[random.nextInt(BASE62.length)]);
        }
        return out.toString();
    }

    /** A prefix and exactly 43 base62 characters, as {@link #newToken} makes them. */
    static boolean wellFormed(String token) {
        String prefix = token.startsWith(ORG_PREFIX) ? ORG_PREFIX : token.startsWith(APP_PREFIX) ? APP_PREFIX : null;
        if (prefix == null || token.length() != prefix.length() + LENGTH) {
            return false;
        }
        for (int i = prefix.length(); i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    /** One digest per thread, reused: {@code MessageDigest.getInstance} on every request allocates and checks constraints. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    static byte[] digest(String token) {
        // digest() completes and resets the instance, so the next use on this thread starts clean
        return SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8));
    }
}
