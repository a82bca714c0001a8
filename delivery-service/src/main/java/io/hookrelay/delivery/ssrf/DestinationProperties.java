package io.hookrelay.delivery.ssrf;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which destinations webhooks may be sent to.
 *
 * @param allowLoopback allow 127.0.0.0/8 and ::1; for the local all-in-one mode and tests only
 */
@ConfigurationProperties("hookrelay.delivery.destinations")
public record DestinationProperties(@DefaultValue("false") boolean allowLoopback) {}
