package io.hookrelay.support.secrets;

/**
 * The associated data each encrypted column is bound to: a ciphertext decrypts only as the value
 * of the row and column it was written for, so one copied to another endpoint, or from
 * {@code previous_secret} back to {@code secret}, fails instead of being used. ingest-service
 * writes with these and delivery-service reads with them; both must agree.
 */
public final class StoredFields {

    private StoredFields() {}

    public static String endpointSecret(String endpointId) {
        return "endpoint:" + endpointId + ":secret";
    }

    public static String endpointPreviousSecret(String endpointId) {
        return "endpoint:" + endpointId + ":previous-secret";
    }

    public static String endpointHeaders(String endpointId) {
        return "endpoint:" + endpointId + ":headers";
    }
}
