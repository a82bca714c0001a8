package io.hookrelay.delivery.dispatch;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What delivery's traces show to receivers (ADR 0018).
 *
 * @param sendTraceparent send each attempt's W3C {@code traceparent} to the receiver, so a receiver
 *     that traces too can join our trace. Off by default: receivers are third parties, the header
 *     hands them our trace and span ids, and they did not ask for it
 */
@ConfigurationProperties("hookrelay.delivery.tracing")
public record TraceProperties(@DefaultValue("false") boolean sendTraceparent) {}
