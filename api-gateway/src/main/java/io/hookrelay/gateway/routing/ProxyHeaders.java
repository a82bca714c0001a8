package io.hookrelay.gateway.routing;

import io.hookrelay.frontdoor.InternalCredential;
import io.hookrelay.gateway.auth.Identity;
import io.hookrelay.gateway.observability.RequestIds;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * The headers that cross the gateway, decided in one pass each way (Spring Cloud Gateway's own
 * header filters each copied every request's headers into a new map, a third of the gateway's
 * allocation per request; docs/benchmarks.md).
 *
 * <p>To a service, of what the client sent, nothing that belongs to the client's connection or
 * claims trust the gateway does not give:
 * <ul>
 *   <li>hop-by-hop headers (RFC 9110 §7.6.1) and every header the {@code Connection} header names;
 *   <li>{@code Forwarded} and {@code X-Forwarded-*}: the gateway decides who the client is
 *       ({@code authfailures.ClientAddress}), the services read none of them;
 *   <li>every {@code X-HookRelay-*} header: those carry identity and trust between the gateway and
 *       the services, and only the gateway sets them;
 *   <li>{@code Authorization}: the gateway checked the client's token; a service trusts the
 *       internal credential instead, and never sees a client's secret (so cannot log it);
 *   <li>{@code tracestate}: it belongs to the client's span, which the gateway's replaced;
 *   <li>{@code Content-Length} beside {@code Transfer-Encoding: chunked} (RFC 9112 §6.3).
 * </ul>
 * and then the gateway's own: the internal credential, who is calling ({@code X-HookRelay-Token-Id},
 * safe to log, and {@code X-HookRelay-Scope}: {@code org} or {@code app:<id>}), the request's
 * {@code X-Request-Id} and {@code traceparent}.
 *
 * <p>To the client, of a service's answer: everything but its hop-by-hop headers.
 */
final class ProxyHeaders {

    static final String TOKEN_ID = "X-HookRelay-Token-Id";
    static final String SCOPE = InternalCredential.SCOPE_HEADER;
    private static final String INTERNAL_PREFIX = "x-hookrelay-";
    private static final String FORWARDED_PREFIX = "x-forwarded-";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate");

    private final ServiceCredential credential;

    ProxyHeaders(ServiceCredential credential) {
        this.credential = credential;
    }

    /** The routing filter's header filters: this class's two directions, nothing else. */
    List<HttpHeadersFilter> filters() {
        return List.of(new ToService(), new ToClient());
    }

    private final class ToService implements HttpHeadersFilter {
        @Override
        public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
            return toService(input, exchange.getAttribute(Identity.ATTRIBUTE), RequestIds.of(exchange));
        }

        @Override
        public boolean supports(Type type) {
            return type == Type.REQUEST;
        }
    }

    private static final class ToClient implements HttpHeadersFilter {
        @Override
        public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
            return toClient(input);
        }

        @Override
        public boolean supports(Type type) {
            return type == Type.RESPONSE;
        }
    }

    HttpHeaders toService(HttpHeaders input, Identity identity, RequestIds ids) {
        Set<String> named = connectionOptions(input);
        boolean chunked = isChunked(input);
        var output = new HttpHeaders();
        for (Map.Entry<String, List<String>> header : input.headerSet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !named.contains(name) && !isOurs(name)
                    && !(chunked && name.equals("content-length"))) {
                output.addAll(header.getKey(), header.getValue());
            }
        }
        output.set(InternalCredential.HEADER, credential.token());
        output.set(TOKEN_ID, identity.tokenId());
        output.set(SCOPE, identity.scope());
        if (ids != null) {
            ids.writeTo(output);
        }
        return output;
    }

    /**
     * A header only the gateway may set towards a service (a client's copy is dropped): the
     * internal ones, the forwarding chain, the trace's vendor state, and the client's own
     * credential, which the services never need.
     */
    private static boolean isOurs(String lowerCaseName) {
        return lowerCaseName.startsWith(INTERNAL_PREFIX)
                || lowerCaseName.startsWith(FORWARDED_PREFIX)
                || lowerCaseName.equals("forwarded")
                || lowerCaseName.equals("tracestate")
                || lowerCaseName.equals("authorization");
    }

    /** The response's headers are a copy already (the routing filter made it): changed in place. */
    static HttpHeaders toClient(HttpHeaders input) {
        Set<String> named = connectionOptions(input);
        List<String> drop = null;
        for (String name : input.headerNames()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(lower) || named.contains(lower)) {
                if (drop == null) {
                    drop = new ArrayList<>(2);
                }
                drop.add(name);
            }
        }
        if (drop != null) {
            drop.forEach(input::remove);
        }
        return input;
    }

    private static Set<String> connectionOptions(HttpHeaders headers) {
        List<String> values = headers.get(HttpHeaders.CONNECTION);
        if (values == null) {
            return Set.of();
        }
        var options = new HashSet<String>();
        for (String value : values) {
            for (String option : value.split(",")) {
                String trimmed = option.trim();
                if (!trimmed.isEmpty()) {
                    options.add(trimmed.toLowerCase(Locale.ROOT));
                }
            }
        }
        return options;
    }

    private static boolean isChunked(HttpHeaders headers) {
        List<String> values = headers.get(HttpHeaders.TRANSFER_ENCODING);
        if (values == null) {
            return false;
        }
        for (String value : values) {
            if (value.toLowerCase(Locale.ROOT).contains("chunked")) {
                return true;
            }
        }
        return false;
    }
}
