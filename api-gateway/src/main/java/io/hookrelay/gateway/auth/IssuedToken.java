package io.hookrelay.gateway.auth;

/** A token just created: the only moment its plain text exists outside the client. */
record IssuedToken(String token, ApiToken stored) {}
