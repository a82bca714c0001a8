package io.hookrelay.gateway.auth;

import java.time.Instant;

/**
 * An application token as the organisation lists it: never the token itself, which exists only in
 * the app-portal-access answer that issued it.
 *
 * @param appUid the application's uid when the token was issued (null if it had none)
 */
record AppTokenOut(String id, String appId, String appUid, boolean readOnly, Instant createdAt, Instant expiresAt) {

    static AppTokenOut of(ApiToken stored) {
        return new AppTokenOut(stored.id(), stored.appId(), stored.appUid(), stored.readOnly(), stored.createdAt(),
                stored.expiresAt());
    }
}
