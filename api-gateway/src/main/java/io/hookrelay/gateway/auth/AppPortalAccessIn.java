package io.hookrelay.gateway.auth;

import java.util.List;
import java.util.Map;

/**
 * Svix's {@code AppPortalAccessIn}, plus {@code expiry} (seconds) and {@code readOnly} as in Svix's
 * hosted API.
 *
 * @param application creates the application when the one in the path does not exist
 * @param featureFlags accepted for compatibility; HookRelay has no feature flags
 */
record AppPortalAccessIn(Map<String, Object> application, List<String> featureFlags, Long expiry, Boolean readOnly) {}
