package io.hookrelay.delivery.dispatch;

import io.hookrelay.events.PrefixedId;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Svix's resend and recover operations. */
@RestController
class ManualDeliveryController {

    private final ManualDeliveries manual;
    private final PrefixedId ids;
    private final Clock clock;

    ManualDeliveryController(ManualDeliveries manual, PrefixedId ids, Clock clock) {
        this.manual = manual;
        this.ids = ids;
        this.clock = clock;
    }

    @Operation(operationId = "v1.message-attempt.resend")
    @PostMapping("/api/v1/app/{appId}/msg/{msgId}/endpoint/{endpointId}/resend")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<Map<String, Object>> resend(@PathVariable String appId, @PathVariable String msgId, @PathVariable String endpointId) {
        return manual.endpoint(appId, endpointId)
                .flatMap(endpoint -> manual.resend(endpoint, msgId))
                .thenReturn(Map.of());
    }

    /**
     * 202 at once; the recovery runs on (Svix reports it as a background task). 422 for a
     * {@code since} beyond {@code recover.max-age}, 409 while the endpoint's last recovery runs.
     */
    @Operation(operationId = "v1.endpoint.recover")
    @PostMapping("/api/v1/app/{appId}/endpoint/{endpointId}/recover")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<RecoverOut> recover(@PathVariable String appId, @PathVariable String endpointId, @Valid @RequestBody RecoverIn in) {
        Instant until = in.until() == null ? clock.instant() : in.until();
        return manual.endpoint(appId, endpointId)
                .flatMap(endpoint -> manual.startRecovery(endpoint, in.since(), until)
                        .then(Mono.fromSupplier(() -> new RecoverOut(ids.next("qtask"), "running", "endpoint.recover",
                                clock.instant().truncatedTo(ChronoUnit.MILLIS)))));
    }

    record RecoverIn(@NotNull(message = "since is required") Instant since, Instant until) {}

    record RecoverOut(String id, String status, String task, Instant updatedAt) {}
}
