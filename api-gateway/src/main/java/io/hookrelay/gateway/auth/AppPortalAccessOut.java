package io.hookrelay.gateway.auth;

/**
 * Svix's {@code AppPortalAccessOut}. HookRelay has no hosted portal page, so {@code url} is the
 * application's API address, where the token works.
 */
record AppPortalAccessOut(String token, String url) {}
