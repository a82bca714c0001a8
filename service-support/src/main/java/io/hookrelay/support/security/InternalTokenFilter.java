package io.hookrelay.support.security;

import io.hookrelay.frontdoor.InternalCredential;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Refuses API requests that did not come through the gateway: the gateway adds a shared internal
 * credential that clients never see. Actuator endpoints (probes, metrics) stay open to the pod
 * network; in Kubernetes a NetworkPolicy narrows that further.
 *
 * <p>An empty credential is only possible when the development setting
 * {@value InternalCredential#ALLOW_MISSING_PROPERTY} allowed starting without one
 * ({@link FrontDoorConfiguration}); then nothing is checked here.
 */
@Order(-10)
public class InternalTokenFilter implements WebFilter {

    public static final String HEADER = InternalCredential.HEADER;

    private final byte[] expected;

    public InternalTokenFilter(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (expected.length == 0 || Actuator.isActuator(exchange)) {
            return chain.filter(exchange);
        }
        String presented = exchange.getRequest().getHeaders().getFirst(HEADER);
        if (presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            return chain.filter(exchange);
        }
        var response = exchange.getResponse();
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = "{\"code\":\"authentication_failed\",\"detail\":\"Requests must come through the API gateway\"}"
                .getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
