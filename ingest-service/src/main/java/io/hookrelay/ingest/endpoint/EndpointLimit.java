package io.hookrelay.ingest.endpoint;

import io.hookrelay.support.api.ApiException;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Bounds the endpoints of one application, so one tenant cannot make every message fan out to
 * thousands of receivers. The count and the insert run in one transaction that first locks the
 * application's row: two creations racing for the last place are serialised, and the second sees
 * the first's endpoint when it counts (each statement of a read-committed transaction reads what
 * was committed before it began, and the lock makes the second wait for the first's commit).
 */
@Component
class EndpointLimit {

    private final DatabaseClient db;
    private final EndpointRepository endpoints;
    private final TransactionalOperator transaction;
    private final Settings settings;

    EndpointLimit(DatabaseClient db, EndpointRepository endpoints, TransactionalOperator transaction, Settings settings) {
        this.db = db;
        this.endpoints = endpoints;
        this.transaction = transaction;
        this.settings = settings;
    }

    /** Inserts the endpoint unless its application already has the most it may have (422). */
    Mono<Endpoint> insert(Endpoint endpoint, String secret) {
        return lockApplication(endpoint.appId())
                .then(count(endpoint.appId()))
                .flatMap(count -> count >= settings.maxEndpointsPerApplication()
                        ? Mono.error(full())
                        : endpoints.insert(endpoint, secret))
                .as(transaction::transactional);
    }

    private Mono<Void> lockApplication(String appId) {
        return db.sql("select id from ingest.application where id = :app for update").bind("app", appId).then();
    }

    private Mono<Long> count(String appId) {
        return db.sql("select count(*) as endpoints from ingest.endpoint where app_id = :app")
                .bind("app", appId)
                .map(row -> row.get("endpoints", Long.class))
                .one();
    }

    private ApiException full() {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "endpoint_limit_reached",
                "An application can have at most " + settings.maxEndpointsPerApplication()
                        + " endpoints (hookrelay.ingest.max-endpoints-per-application); delete one before creating another");
    }

    /**
     * @param maxEndpointsPerApplication endpoints one application may have, disabled ones included
     */
    @ConfigurationProperties("hookrelay.ingest")
    record Settings(@DefaultValue("100") int maxEndpointsPerApplication) {

        Settings {
            if (maxEndpointsPerApplication < 1) {
                throw new IllegalArgumentException("hookrelay.ingest.max-endpoints-per-application must be at least 1");
            }
        }
    }
}
