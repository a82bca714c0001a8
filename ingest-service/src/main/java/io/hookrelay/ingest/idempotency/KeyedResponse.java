package io.hookrelay.ingest.idempotency;

/**
 * The response a request will answer, recorded for its {@code idempotency-key} in the same
 * transaction as the work itself ({@link ResponseKeys}). {@code scope} is the key as the filter
 * scoped it to the operation.
 */
public record KeyedResponse(String scope, int status, String contentType, byte[] body) {}
