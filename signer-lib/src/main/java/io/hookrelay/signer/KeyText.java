package io.hookrelay.signer;

import java.util.Base64;

/** Decodes the {@code prefix_<base64>} text form shared by secrets and keys. */
final class KeyText {

    private KeyText() {
    }

    /**
     * Strips surrounding whitespace and the optional prefix, then decodes standard base64
     * (padding optional). Messages name the problem but never echo the input.
     */
    static byte[] decode(String text, String prefix, String what) {
        if (text == null) {
            throw new InvalidSecretException(what + " is null");
        }
        String value = text.strip();
        if (value.startsWith(prefix)) {
            value = value.substring(prefix.length());
        }
        if (value.isEmpty()) {
            throw new InvalidSecretException(what + " is empty");
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidSecretException(what + " is not valid base64 (expected " + prefix + "<base64>)");
        }
    }

    static String encode(String prefix, byte[] bytes) {
        return prefix + Base64.getEncoder().encodeToString(bytes);
    }
}
