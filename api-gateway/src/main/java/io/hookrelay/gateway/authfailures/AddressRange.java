package io.hookrelay.gateway.authfailures;

import java.net.InetAddress;
import java.util.Optional;

/** An address or a CIDR range ({@code 10.0.0.0/8}, {@code fd00::/8}), written as literals only. */
record AddressRange(byte[] network, int prefixLength) {

    static AddressRange parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address)
                .orElseThrow(() -> new IllegalArgumentException("Not an IP address or CIDR range: '" + text + "'"));
        int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("Prefix length out of range in '" + text + "'");
        }
        return new AddressRange(bytes, prefix);
    }

    boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefixLength; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /**
     * An IP literal as bytes, never a name lookup ({@link InetAddress#ofLiteral}): a header value
     * like {@code evil.example} must not make the gateway query DNS.
     */
    static Optional<byte[]> literal(String text) {
        String candidate = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        try {
            return Optional.of(InetAddress.ofLiteral(candidate).getAddress());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
