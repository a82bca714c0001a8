package io.hookrelay.delivery.ssrf;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * A block of IPv4 or IPv6 addresses in CIDR notation ({@code 10.0.0.0/8}, {@code fd00:abcd::/32};
 * a bare address is a block of one). Only literal addresses are accepted, never a host name, so
 * parsing a configured range can never cause a DNS lookup.
 */
public final class AddressRange {

    private final String text;
    private final byte[] network;
    private final int prefixLength;

    private AddressRange(String text, byte[] network, int prefixLength) {
        this.text = text;
        this.network = network;
        this.prefixLength = prefixLength;
    }

    /** Parses {@code address/prefix}; the name lets Spring Boot bind configuration lists of ranges. */
    public static AddressRange valueOf(String cidr) {
        String text = cidr.strip();
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null) {
            throw new IllegalArgumentException("Not an address range (CIDR): '" + cidr + "'");
        }
        int bits = bytes.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Not an address range (CIDR): '" + cidr + "'");
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("Prefix length out of range in '" + cidr + "' (0-" + bits + ")");
        }
        return new AddressRange(text, mask(bytes, prefix), prefix);
    }

    /** Whether {@code address} lies in this block; an IPv4 block never contains an IPv6 address and the other way round. */
    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        return candidate.length == network.length && Arrays.equals(mask(candidate, prefixLength), network);
    }

    private static byte[] mask(byte[] address, int prefixLength) {
        byte[] masked = address.clone();
        for (int bit = prefixLength; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressRange range && range.prefixLength == prefixLength
                && Arrays.equals(range.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixLength;
    }

    @Override
    public String toString() {
        return text;
    }
}
