package io.hookrelay.delivery.refs;

import io.hookrelay.support.api.ApiException;
import io.hookrelay.support.security.CallerScope;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Resolves the application, message and endpoint named in an API path — by id, or by uid /
 * eventId as Svix allows — against ingest-service's tables (read-only, ADR 0002), or fails with
 * the Svix 404 that names what is missing — also for an application outside the caller's scope
 * ({@link CallerScope}).
 */
@Component
public class IngestRefs {

    private final DatabaseClient db;

    public IngestRefs(DatabaseClient db) {
        this.db = db;
    }

    /**
     * A message of an application.
     *
     * @param expired its payload is past its {@code payloadRetentionPeriod} (whether or not the
     *     retention sweep has cleared it yet)
     */
    public record MessageRef(String appId, String msgId, boolean expunged, boolean expired) {}

    /** An endpoint of an application. */
    public record EndpointRef(String appId, String endpointId, boolean disabled) {}

    public Mono<MessageRef> message(String appRef, String msgRef) {
        return db.sql("select a.id as app_id, m.id as ref_id, m.payload_expunged_at is not null as flag,"
                        + " m.payload_expires_at <= now() as expired"
                        + " from ingest.application a left join ingest.message m on m.app_id = a.id"
                        + " and (m.id = :ref or m.event_id = :ref) where a.id = :app or a.uid = :app"
                        + " order by (a.id = :app) desc limit 1")
                .bind("app", appRef)
                .bind("ref", msgRef)
                .map(row -> new MessageRef(row.get("app_id", String.class), row.get("ref_id", String.class),
                        Boolean.TRUE.equals(row.get("flag", Boolean.class)), Boolean.TRUE.equals(row.get("expired", Boolean.class))))
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Application")))
                .flatMap(ref -> CallerScope.permit(ref.appId()).thenReturn(ref))
                .flatMap(ref -> ref.msgId() == null ? Mono.error(ApiException.notFound("Message")) : Mono.just(ref));
    }

    public Mono<EndpointRef> endpoint(String appRef, String endpointRef) {
        return db.sql("select a.id as app_id, e.id as ref_id, e.disabled as flag"
                        + " from ingest.application a left join ingest.endpoint e on e.app_id = a.id"
                        + " and (e.id = :ref or e.uid = :ref) where a.id = :app or a.uid = :app"
                        + " order by (a.id = :app) desc limit 1")
                .bind("app", appRef)
                .bind("ref", endpointRef)
                .map(row -> new EndpointRef(row.get("app_id", String.class), row.get("ref_id", String.class),
                        Boolean.TRUE.equals(row.get("flag", Boolean.class))))
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Application")))
                .flatMap(ref -> CallerScope.permit(ref.appId()).thenReturn(ref))
                .flatMap(ref -> ref.endpointId() == null ? Mono.error(ApiException.notFound("Endpoint")) : Mono.just(ref));
    }
}
