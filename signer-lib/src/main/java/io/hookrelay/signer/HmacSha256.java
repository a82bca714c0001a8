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
 * schedule. We keep one initialised prototype and a small pool of idle clones in slots, each slot
 * alone on its cache line. A thread starts at the slot of its id, so the threads of a fixed pool
 * each find their own clone without contention or false sharing; when its slot is empty (more
 * threads than slots, virtual threads) it looks at a few neighbours before cloning the prototype.
 * Unlike a {@code ThreadLocal}, this holds at most {@link #SLOTS} Macs per secret whatever the
 * number of threads, and nothing stays attached to pool threads when a secret is dropped: the
 * delivery service holds one secret per endpoint, thousands of them.
 */
final class HmacSha256 {

    static final String ALGORITHM = "HmacSHA256";
    static final int LENGTH = 32;
    static final int SLOTS = slots(Runtime.getRuntime().availableProcessors());

    /** References per slot: 16 × 4 bytes (compressed) fill a 64-byte cache line. */
    private static final int STRIDE = 16;
    private static final int PROBES = Math.min(4, SLOTS);

    private final byte[] key;
    private final Mac prototype;
    private final boolean cloneable;
    private final AtomicReferenceArray<Mac> idle = new AtomicReferenceArray<>(SLOTS * STRIDE);

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
        int home = home();
        for (int probe = 0; probe < PROBES; probe++) {
            int index = slot(home + probe);
            if (idle.get(index) != null) {
                Mac mac = idle.getAndSet(index, null);
                if (mac != null) {
                    return mac;
                }
            }
        }
        return fresh();
    }

    /** Returns a Mac whose computation finished (or that was reset); dropped if the slots are full. */
    void release(Mac mac) {
        int home = home();
        for (int probe = 0; probe < PROBES; probe++) {
            int index = slot(home + probe);
            if (idle.get(index) == null && idle.compareAndSet(index, null, mac)) {
                return;
            }
        }
    }

    private static int home() {
        return (int) Thread.currentThread().threadId();
    }

    private static int slot(int n) {
        return (n & (SLOTS - 1)) * STRIDE;
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

    /** A power of two, twice the processors, between 4 and 64. */
    static int slots(int processors) {
        int wanted = Math.clamp(processors * 2L, 4, 64);
        return Integer.highestOneBit(wanted - 1) << 1;
    }
}
