package io.hookrelay.signer;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 for one secret, safe to share between threads.
 *
 * <p>A {@link Mac} is not thread-safe and creating one costs a provider lookup plus the key
 * schedule. We keep one initialised prototype and a small striped set of idle clones, picked by
 * thread id: a thread takes the clone of its stripe, uses it, and puts it back. Unlike a
 * {@code ThreadLocal}, this holds at most {@link #SLOTS} Macs per secret whatever the number of
 * threads (virtual threads included), and nothing stays attached to pool threads when a secret
 * is dropped — the delivery service holds one secret per endpoint, thousands of them.
 */
final class HmacSha256 {

    static final String ALGORITHM = "HmacSHA256";
    static final int LENGTH = 32;
    static final int SLOTS = slots(Runtime.getRuntime().availableProcessors());

    private final byte[] key;
    private final Mac prototype;
    private final boolean cloneable;
    private final AtomicReferenceArray<Mac> idle = new AtomicReferenceArray<>(SLOTS);

    HmacSha256(byte[] key) {
        this.key = key;
        this.prototype = newMac(key);
        this.cloneable = canClone(prototype);
    }

    /** The MAC of {@code prefix || body}. */
    byte[] mac(byte[] prefix, Body body) {
        Mac mac = acquire();
        mac.update(prefix);
        body.update(mac);
        byte[] result = mac.doFinal();
        release(mac);
        return result;
    }

    /** Takes a ready {@link Mac}; give it back with {@link #release} after {@code doFinal}. */
    Mac acquire() {
        Mac mac = idle.getAndSet(stripe(), null);
        return mac != null ? mac : fresh();
    }

    /** Returns a Mac whose computation finished (or that was reset); a full stripe drops it. */
    void release(Mac mac) {
        idle.compareAndSet(stripe(), null, mac);
    }

    private static int stripe() {
        return (int) Thread.currentThread().threadId() & (SLOTS - 1);
    }

    private Mac fresh() {
        if (!cloneable) {
            return newMac(key);
        }
        // The prototype is never updated, but Mac.clone is not documented as thread-safe.
        synchronized (prototype) {
            try {
                return (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                return newMac(key);
            }
        }
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide HmacSHA256", e);
        } catch (GeneralSecurityException e) {
            throw new InvalidSecretException("secret rejected by HmacSHA256: " + e.getClass().getSimpleName());
        }
    }

    private static boolean canClone(Mac mac) {
        try {
            mac.clone();
            return true;
        } catch (CloneNotSupportedException e) {
            return false;
        }
    }

    static int slots(int processors) {
        int wanted = Math.clamp(processors * 2L, 8, 64);
        return Integer.highestOneBit(wanted - 1) << 1;
    }
}
