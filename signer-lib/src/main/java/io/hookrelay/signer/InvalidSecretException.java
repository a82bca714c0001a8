package io.hookrelay.signer;

import java.io.Serial;

/**
 * A secret or key in text form ({@code whsec_…}, {@code whsk_…}, {@code whpk_…}) or in bytes
 * could not be used: wrong prefix, not base64, or the wrong length.
 *
 * <p>Unchecked on purpose: secrets and keys are configuration, parsed once when they are loaded,
 * not per request, and callers usually parse them inside lambdas where a checked exception only
 * gets wrapped. Catch it where stored secrets are loaded if one bad row must not stop the
 * others. The message never contains the secret itself.
 */
public final class InvalidSecretException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    InvalidSecretException(String message) {
        super(message);
    }
}
