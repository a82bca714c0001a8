package io.hookrelay.gateway.auth;

import java.time.Instant;

/** A stored API token, without its secret. */
record ApiToken(
        String id,
        String kind,
        String name,
        String appId,
        String appUid,
        boolean readOnly,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt) {

    static final String ORG = "org";
    static final String APP = "app";

    boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    Identity identity() {
        return new Identity(id, appId, appUid, readOnly);
    }
}
