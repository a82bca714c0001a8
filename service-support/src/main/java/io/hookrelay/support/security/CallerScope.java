package io.hookrelay.support.security;

import io.hookrelay.frontdoor.InternalCredential;
import io.hookrelay.support.api.ApiException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * The caller's scope as the gateway verified it ({@code X-HookRelay-Scope}: {@code org} or
 * {@code app:<id>}; clients cannot set it), carried in the Reactor context so that whatever
 * resolves an application named in a path can refuse one the caller may not see.
 *
 * <p>The gateway already refuses paths outside an application token's application; this is the
 * second line, for what only the services know: a uid that now names another application (renamed,
 * or reused after a delete), or a uid equal to another application's id.
 *
 * <p>No scope is not the organisation: a request (actuator excepted) without a well-formed scope is
 * refused with 403 {@code scope_required}. The gateway sends one on every request it forwards and on
 * its own calls ({@code org}); a request without one did not come from it, or came from a bug.
 */
@Order(-5)
public class CallerScope implements WebFilter {

    public static final String HEADER = InternalCredential.SCOPE_HEADER;
    private static final String KEY = CallerScope.class.getName();
    private static final String APP_PREFIX = InternalCredential.APPLICATION_SCOPE_PREFIX;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (Actuator.isActuator(exchange)) {
            return chain.filter(exchange);
        }
        var scopes = exchange.getRequest().getHeaders().getOrEmpty(HEADER);
        if (scopes.size() != 1 || !InternalCredential.isScope(scopes.getFirst())) {
            return Mono.error(new ApiException(HttpStatus.FORBIDDEN, "scope_required",
                    "Requests must come through the API gateway, which says whose they are"));
        }
        String scope = scopes.getFirst();
        if (!scope.startsWith(APP_PREFIX)) {
            return chain.filter(exchange);
        }
        String appId = scope.substring(APP_PREFIX.length());
        return chain.filter(exchange).contextWrite(Context.of(KEY, appId));
    }

    /**
     * {@code resolvedAppId} when the caller may see that application, else a 404 — the same
     * answer as for an application that does not exist.
     */
    public static Mono<String> permit(String resolvedAppId) {
        return Mono.deferContextual(context -> context.<String>getOrEmpty(KEY)
                .filter(allowed -> !allowed.equals(resolvedAppId))
                .<Mono<String>>map(other -> Mono.error(ApiException.notFound("Application")))
                .orElseGet(() -> Mono.just(resolvedAppId)));
    }

    /** True when an application-scoped token sent the request. */
    public static Mono<Boolean> applicationScoped() {
        return Mono.deferContextual(context -> Mono.just(context.hasKey(KEY)));
    }
}
