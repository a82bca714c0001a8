package io.hookrelay.events;

import java.time.Instant;

/**
 * Published on {@link Topics#OPERATIONAL} when delivery-service decides an endpoint must stop
 * receiving: it answered 410 Gone, or it has failed continuously for longer than allowed.
 * ingest-service, which owns endpoints, disables it. Keyed by endpoint id.
 *
 * @param reason {@code gone} or {@code failing}
 * @param detail for people: what was seen
 */
public record EndpointDisabled(String appId, String endpointId, String reason, String detail, Instant at) {}
