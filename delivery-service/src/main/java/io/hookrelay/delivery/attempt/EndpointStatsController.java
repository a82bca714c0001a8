package io.hookrelay.delivery.attempt;

import io.hookrelay.delivery.refs.IngestRefs;
import io.hookrelay.support.api.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Svix's endpoint stats: how the endpoint's deliveries went in a time window.
 *
 * <p>What is counted: each message delivered, or to be delivered, to the endpoint — one
 * (message, endpoint) delivery — once, by where it stands now, with the same rule as the
 * attempted-messages listing ({@link DeliveryStatusController}):
 *
 * <ul>
 *   <li>{@code success}: an attempt in the window succeeded;
 *   <li>{@code sending}: otherwise, the delivery is owed and no attempt of its current chain has
 *       been made yet (the first attempt is queued or under way; also a resend just started);
 *   <li>{@code pending}: otherwise, attempts failed and a retry is scheduled;
 *   <li>{@code fail}: otherwise — every attempt failed and nothing more will be tried (dead);
 *   <li>{@code canceled}: always 0 — HookRelay has no way to cancel a delivery (neither has the
 *       open-source Svix server, which answers 0 too).
 * </ul>
 *
 * A delivery is in the window when one of its attempts was made in [{@code since}, {@code
 * until}], or, for one owed without any attempt yet, when it was claimed in the window. The
 * listing reports {@code sending} deliveries as pending (status 1); here they are told apart.
 *
 * <p>The open-source Svix server counts attempts (rows) by their status instead; its attempts are
 * only ever success or fail, which would leave {@code pending} and {@code sending} always 0. Its
 * window rules are kept: {@code until} defaults to now and may not be in the future, {@code since}
 * defaults to 28 days before {@code until}, and a window longer than 28 days (plus 5 minutes for
 * clock skew) is refused — 400 {@code invalid_range} — which also bounds the query's work.
 *
 * <p>One aggregate query: the window's attempts of the endpoint come from the index {@code
 * attempt_endpoint_created} alone (endpoint, time, message, status), grouped per message, joined
 * with the endpoint's unfinished deliveries (index {@code pending_delivery_endpoint}).
 */
@RestController
class EndpointStatsController {

    static final Duration MAX_WINDOW = Duration.ofDays(28);
    private static final Duration SKEW_ALLOWANCE = Duration.ofMinutes(5);

    private static final String COUNT = "select"
            + " count(*) filter (where status = 0) as success,"
            + " count(*) filter (where status = 1) as pending,"
            + " count(*) filter (where status = 2) as fail,"
            + " count(*) filter (where status = 3) as sending"
            + " from (select case when a.succeeded then 0"
            + "     when p.state = 'scheduled' and p.attempts = 0 then 3"
            + "     when p.state = 'scheduled' then 1"
            + "     else 2 end as status"
            + "   from (select msg_id, bool_or(status = 0) as succeeded from delivery.attempt"
            + "       where endpoint_id = :ep and created_at >= :since and created_at <= :until group by msg_id) a"
            + "   full join (select msg_id, state, attempts, updated_at from delivery.pending_delivery"
            + "       where endpoint_id = :ep) p on p.msg_id = a.msg_id"
            + "   where a.msg_id is not null or (p.state = 'scheduled' and p.attempts = 0"
            + "       and p.updated_at >= :since and p.updated_at <= :until)) deliveries";

    private final DatabaseClient db;
    private final IngestRefs refs;
    private final Clock clock;

    EndpointStatsController(DatabaseClient db, IngestRefs refs, Clock clock) {
        this.db = db;
        this.refs = refs;
        this.clock = clock;
    }

    @Operation(operationId = "v1.endpoint.get-stats")
    @GetMapping("/api/v1/app/{appId}/endpoint/{endpointId}/stats")
    Mono<EndpointStats> stats(
            @PathVariable String appId,
            @PathVariable String endpointId,
            @RequestParam(required = false) String since,
            @RequestParam(required = false) String until) {
        Instant now = clock.instant();
        Instant end = until == null ? now : instant("until", until);
        Instant start = since == null ? end.minus(MAX_WINDOW) : instant("since", since);
        if (end.isAfter(now)) {
            return Mono.error(invalidRange("'until' cannot be in the future"));
        }
        if (Duration.between(start, end).compareTo(MAX_WINDOW.plus(SKEW_ALLOWANCE)) > 0) {
            return Mono.error(invalidRange("'since' cannot be more than 28 days prior to " + end));
        }
        return refs.endpoint(appId, endpointId).flatMap(ref -> count(ref.endpointId(), start, end));
    }

    private Mono<EndpointStats> count(String endpointId, Instant since, Instant until) {
        return db.sql(COUNT)
                .bind("ep", endpointId)
                .bind("since", since)
                .bind("until", until)
                .map(row -> new EndpointStats(
                        row.get("success", Long.class),
                        row.get("pending", Long.class),
                        row.get("sending", Long.class),
                        row.get("fail", Long.class),
                        0))
                .one();
    }

    private static ApiException invalidRange(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, "invalid_range", detail);
    }

    /** RFC 3339; a '+' of an offset that arrived unencoded in the query string reads as a space. */
    private static Instant instant(String field, String value) {
        try {
            return OffsetDateTime.parse(value.replace(' ', '+')).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.validation(field, field + " must be an RFC 3339 date-time");
        }
    }

    /** As Svix's {@code EndpointStats}. */
    record EndpointStats(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) long success,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) long pending,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) long sending,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) long fail,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) long canceled) {}
}
