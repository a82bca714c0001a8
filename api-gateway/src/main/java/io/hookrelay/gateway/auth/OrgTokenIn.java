package io.hookrelay.gateway.auth;

/**
 * A request for an organisation token.
 *
 * @param name what the token is for, shown when listing tokens
 * @param expiry lifetime in seconds; absent for a token that does not expire
 */
record OrgTokenIn(String name, Long expiry) {}
