package io.hookrelay.frontdoor;

/**
 * The secret the gateway adds to every request it sends a service, and the scope it says the
 * request acts in: the services trust nothing else. One property name for every process, and one
 * start-up rule: no credential, no start — unless the explicitly named development setting says
 * otherwise.
 */
public final class InternalCredential {

    /** The property every process reads (environment: {@code HOOKRELAY_INTERNAL_TOKEN}). */
    public static final String PROPERTY = "hookrelay.internal-token";

    /** Development only: start without a credential (the services then accept requests without one). */
    public static final String ALLOW_MISSING_PROPERTY = "hookrelay.development.allow-missing-internal-token";

    /** The header carrying the credential. */
    public static final String HEADER = "X-HookRelay-Internal-Token";

    /** The header carrying the caller's scope: {@code org} or {@code app:<id>}. */
    public static final String SCOPE_HEADER = "X-HookRelay-Scope";

    /** The scope of the organisation (and of the gateway's own calls). */
    public static final String ORGANISATION_SCOPE = "org";

    /** Prefix of an application's scope. */
    public static final String APPLICATION_SCOPE_PREFIX = "app:";

    public static final String MISSING_MESSAGE = "No internal credential configured: set " + PROPERTY
            + " (environment HOOKRELAY_INTERNAL_TOKEN) to the same random secret in api-gateway, ingest-service and"
            + " delivery-service. Only for development on a machine nobody else reaches, "
            + ALLOW_MISSING_PROPERTY + "=true starts without one.";

    public static final String DEVELOPMENT_WARNING = "DEVELOPMENT MODE: " + ALLOW_MISSING_PROPERTY
            + "=true and no " + PROPERTY + ": the services accept requests that did not come through the gateway."
            + " Never run like this where anyone else can connect.";

    private InternalCredential() {}

    /**
     * The configured credential, checked at start-up: blank is refused with {@link #MISSING_MESSAGE}
     * unless {@code allowMissing}; then the result is empty and the caller must log
     * {@link #DEVELOPMENT_WARNING}.
     *
     * @throws IllegalStateException when no credential is configured and missing is not allowed
     */
    public static String require(String configured, boolean allowMissing) {
        String token = configured == null ? "" : configured.trim();
        if (token.isEmpty() && !allowMissing) {
            throw new IllegalStateException(MISSING_MESSAGE);
        }
        return token;
    }

    /** True for {@code org} and {@code app:<id>} with a non-empty id; anything else is no scope. */
    public static boolean isScope(String value) {
        if (value == null) {
            return false;
        }
        return value.equals(ORGANISATION_SCOPE)
                || (value.startsWith(APPLICATION_SCOPE_PREFIX) && value.length() > APPLICATION_SCOPE_PREFIX.length());
    }
}
