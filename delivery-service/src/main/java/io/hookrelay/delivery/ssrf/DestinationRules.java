package io.hookrelay.delivery.ssrf;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Decides, for every address a destination resolves to, whether it may be contacted: the
 * operator's denied ranges first, then the cloud metadata addresses (never allowed), then
 * loopback in local mode and the operator's allowed ranges, then the built-in {@link AddressRules}.
 * A refusal names the rule, never the address: the attempt's stored response and the log are
 * seen by the tenant and must not map the internal network for them.
 */
public final class DestinationRules {

    private static final String PREFIX = "destination refused: resolves to ";
    private static final String SUFFIX = " (SSRF protection)";

    private final DestinationProperties properties;

    public DestinationRules(DestinationProperties properties) {
        this.properties = properties;
    }

    /** Why none of {@code addresses} may be contacted, if one of them must not be. */
    public Optional<DestinationRefusedException> check(List<InetAddress> addresses) {
        return addresses.stream().map(this::refusal).flatMap(Optional::stream).findFirst()
                .map(reason -> new DestinationRefusedException(PREFIX + reason + SUFFIX));
    }

    private Optional<String> refusal(InetAddress address) {
        InetAddress effective = AddressRules.effective(address);
        if (inAny(properties.deniedRanges(), address) || inAny(properties.deniedRanges(), effective)) {
            return Optional.of("an address in a range refused by the operator");
        }
        if (AddressRules.isCloudMetadata(address)) {
            return AddressRules.nonPublicClass(address);
        }
        if (properties.allowLoopback() && AddressRules.isLoopback(address)) {
            return Optional.empty();
        }
        if (inAny(properties.allowedRanges(), address) || inAny(properties.allowedRanges(), effective)) {
            return Optional.empty();
        }
        return AddressRules.nonPublicClass(address);
    }

    private static boolean inAny(List<AddressRange> ranges, InetAddress address) {
        return ranges.stream().anyMatch(range -> range.contains(address));
    }
}
