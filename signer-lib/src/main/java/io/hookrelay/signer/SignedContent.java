package io.hookrelay.signer;

import java.nio.charset.StandardCharsets;

/** The {@code {id}.{timestamp}.} part of the signed content; the body follows it unchanged. */
final class SignedContent {

    private SignedContent() {
    }

    static byte[] prefix(String msgId, long timestamp) {
        String seconds = Long.toString(timestamp);
        int idLength = msgId.length();
        if (!isAscii(msgId)) {
            return (msgId + '.' + seconds + '.').getBytes(StandardCharsets.UTF_8);
        }
        byte[] prefix = new byte[idLength + seconds.length() + 2];
        for (int i = 0; i < idLength; i++) {
            prefix[i] = (byte) msgId.charAt(i);
        }
        prefix[idLength] = '.';
        for (int i = 0; i < seconds.length(); i++) {
            prefix[idLength + 1 + i] = (byte) seconds.charAt(i);
        }
        prefix[prefix.length - 1] = '.';
        return prefix;
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
