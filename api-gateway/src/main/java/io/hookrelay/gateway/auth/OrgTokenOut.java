package io.hookrelay.gateway.auth;

import java.time.Instant;

/** An organisation token as listed; {@code token} is present only in the answer that created it. */
record OrgTokenOut(String id, String name, Instant createdAt, Instant expiresAt, Instant revokedAt, String token) {

    static OrgTokenOut of(ApiToken stored, String token) {
        return new OrgTokenOut(stored.id(), stored.name(), stored.createdAt(), stored.expiresAt(), stored.revokedAt(), token);
    }
}
