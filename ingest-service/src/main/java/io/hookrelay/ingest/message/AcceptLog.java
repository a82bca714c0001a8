package io.hookrelay.ingest.message;

import io.micrometer.tracing.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * A DEBUG line per message answered, under the request's span, so that Boot's log correlation
 * puts the message's trace id in it (ADR 0018). The answer comes on the thread of the database
 * connection that committed it (shared by the group commit), where no span of the request is
 * current (a line logged there plainly had a blank correlation), so the line puts the span in scope
 * itself. A repeated eventId is answered, and logged, with its original's id.
 */
@Component
class AcceptLog {

    private static final Logger log = LoggerFactory.getLogger(AcceptLog.class);

    private final Tracer tracer;

    AcceptLog(Tracer tracer) {
        this.tracer = tracer;
    }

    void accepted(String appId, MessageOut message, ServerWebExchange exchange) {
        if (!log.isDebugEnabled()) {
            return;
        }
        var span = RequestTrace.span(exchange);
        try (var inScope = span == null ? null : tracer.withSpan(span)) {
            log.debug("Accepted message {} for app {} (event type {})", message.id(), appId, message.eventType());
        }
    }
}
