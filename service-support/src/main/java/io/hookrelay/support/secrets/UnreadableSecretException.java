package io.hookrelay.support.secrets;

/**
 * A stored credential that must not be used: written without encryption while a key is
 * configured, encrypted with a key that is not configured, bound to another row or column, or
 * altered. The message names the value (e.g. {@code endpoint ep_…: secret}) and what the operator
 * can do; it never contains the value.
 */
public class UnreadableSecretException extends IllegalStateException {

    private final String context;

    UnreadableSecretException(String context, String problem, Throwable cause) {
        super(describe(context) + ": " + problem, cause);
        this.context = context;
    }

    /** What the value belongs to, e.g. {@code endpoint:ep_…:secret}. */
    public String context() {
        return context;
    }

    private static String describe(String context) {
        String[] parts = context.split(":", 3);
        return parts.length == 3 ? parts[0] + " " + parts[1] + " (" + parts[2] + ")" : context;
    }
}
