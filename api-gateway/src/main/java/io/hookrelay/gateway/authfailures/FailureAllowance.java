package io.hookrelay.gateway.authfailures;

/**
 * One client address's allowance: a bucket of {@code capacity} units, one unit back every
 * {@code refillMillis}. A lookup reserves a unit before it runs and gives it back when the token
 * proved valid, so concurrent lookups from one address never exceed what is left.
 */
final class FailureAllowance {

    private final int capacity;
    private final long refillMillis;
    private double units;
    private long updatedAtMillis;

    FailureAllowance(int capacity, long refillMillis, long nowMillis) {
        this.capacity = capacity;
        this.refillMillis = refillMillis;
        this.units = capacity;
        this.updatedAtMillis = nowMillis;
    }

    /** Takes a unit if one is there. */
    synchronized boolean reserve(long nowMillis) {
        refill(nowMillis);
        if (units < 1) {
            return false;
        }
        units -= 1;
        return true;
    }

    /** The reserved unit was not spent: the authentication succeeded (or could not be decided). */
    synchronized void giveBack() {
        units = Math.min(capacity, units + 1);
    }

    /** How long until a unit is there again; zero when one is there now. */
    synchronized long millisUntilNext(long nowMillis) {
        refill(nowMillis);
        return units >= 1 ? 0 : (long) Math.ceil((1 - units) * refillMillis);
    }

    private void refill(long nowMillis) {
        if (nowMillis > updatedAtMillis) {
            units = Math.min(capacity, units + (double) (nowMillis - updatedAtMillis) / refillMillis);
            updatedAtMillis = nowMillis;
        }
    }
}
