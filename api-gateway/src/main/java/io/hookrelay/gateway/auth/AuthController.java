package io.hookrelay.gateway.auth;

import io.hookrelay.gateway.GatewayProperties;
import io.hookrelay.gateway.api.GatewayException;
import java.time.Duration;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The gateway's own API: application-scoped tokens as in Svix
 * ({@code POST /api/v1/auth/app-portal-access/{app_id}}), logout, and organisation tokens
 * ({@code /api/v1/auth/token}), and the organisation's view of application tokens
 * ({@code /api/v1/auth/app-token}: list, revoke). {@link AccessPolicy} already keeps application
 * tokens out of everything here but logout.
 */
@RestController
class AuthController {

    private static final int MAX_NAME = 256;
    private static final long MAX_ORG_TOKEN_EXPIRY_SECONDS = 10L * 366 * 24 * 3600;

    private final Tokens tokens;
    private final TokenStore store;
    private final IngestApplications applications;
    private final TokenProperties properties;
    private final GatewayProperties gateway;

    AuthController(Tokens tokens, TokenStore store, IngestApplications applications, TokenProperties properties,
            GatewayProperties gateway) {
        this.tokens = tokens;
        this.store = store;
        this.applications = applications;
        this.properties = properties;
        this.gateway = gateway;
    }

    @PostMapping("/api/v1/auth/app-portal-access/{app_id}")
    Mono<AppPortalAccessOut> appPortalAccess(
            @PathVariable("app_id") String appId, @RequestBody(required = false) AppPortalAccessIn in) {
        var request = in == null ? new AppPortalAccessIn(null, List.of(), null, null) : in;
        Duration lifetime = appTokenLifetime(request.expiry());
        return applications.findOrCreate(appId, request.application())
                .flatMap(app -> tokens.issueAppToken(app.id(), app.uid(), lifetime, Boolean.TRUE.equals(request.readOnly()))
                        .map(issued -> new AppPortalAccessOut(issued.token(),
                                gateway.publicUrl().resolve("/api/v1/app/" + app.id()).toString())));
    }

    @PostMapping("/api/v1/auth/logout")
    Mono<ResponseEntity<Void>> logout(ServerWebExchange exchange) {
        Identity identity = exchange.getRequiredAttribute(Identity.ATTRIBUTE);
        if (Tokens.ADMIN_TOKEN_ID.equals(identity.tokenId())) {
            return Mono.error(new GatewayException(HttpStatus.CONFLICT, "conflict",
                    "The admin token comes from configuration and cannot be logged out; change hookrelay.gateway.admin-token"));
        }
        return tokens.revoke(identity.tokenId()).thenReturn(ResponseEntity.noContent().build());
    }

    @PostMapping("/api/v1/auth/token")
    Mono<ResponseEntity<OrgTokenOut>> createOrgToken(@RequestBody(required = false) OrgTokenIn in) {
        String name = in == null || in.name() == null ? "" : in.name();
        if (name.length() > MAX_NAME) {
            throw invalid("name must be at most " + MAX_NAME + " characters");
        }
        Long expiry = in == null ? null : in.expiry();
        if (expiry != null && (expiry < 60 || expiry > MAX_ORG_TOKEN_EXPIRY_SECONDS)) {
            throw invalid("expiry must be between 60 and " + MAX_ORG_TOKEN_EXPIRY_SECONDS + " seconds (10 years)");
        }
        return tokens.issueOrgToken(name, expiry == null ? null : Duration.ofSeconds(expiry))
                .map(issued -> ResponseEntity.status(HttpStatus.CREATED).body(OrgTokenOut.of(issued.stored(), issued.token())));
    }

    @GetMapping("/api/v1/auth/token")
    Mono<ListResponse<OrgTokenOut>> listOrgTokens(
            @RequestParam(name = "iterator", required = false) String iterator,
            @RequestParam(name = "limit", defaultValue = "50") int limit) {
        checkLimit(limit);
        return store.listOrgTokens(iterator, limit + 1)
                .map(token -> OrgTokenOut.of(token, null))
                .collectList()
                .map(rows -> ListResponse.page(rows, limit, OrgTokenOut::id));
    }

    @DeleteMapping("/api/v1/auth/token/{token_id}")
    Mono<ResponseEntity<Void>> revokeOrgToken(@PathVariable("token_id") String tokenId) {
        return store.findOrgToken(tokenId)
                .switchIfEmpty(Mono.error(tokenNotFound()))
                .flatMap(token -> tokens.revoke(token.id()))
                .thenReturn(ResponseEntity.noContent().build());
    }

    /** Application tokens still usable, of one application (by id or uid) or of all. */
    @GetMapping("/api/v1/auth/app-token")
    Mono<ListResponse<AppTokenOut>> listAppTokens(
            @RequestParam(name = "app_id", required = false) String appId,
            @RequestParam(name = "iterator", required = false) String iterator,
            @RequestParam(name = "limit", defaultValue = "50") int limit) {
        checkLimit(limit);
        return store.listLiveAppTokens(appId == null || appId.isEmpty() ? null : appId, iterator, limit + 1)
                .map(AppTokenOut::of)
                .collectList()
                .map(rows -> ListResponse.page(rows, limit, AppTokenOut::id));
    }

    /** Revokes an application token: at once on this replica, within the token cache time on others. */
    @DeleteMapping("/api/v1/auth/app-token/{token_id}")
    Mono<ResponseEntity<Void>> revokeAppToken(@PathVariable("token_id") String tokenId) {
        return store.findAppToken(tokenId)
                .switchIfEmpty(Mono.error(tokenNotFound()))
                .flatMap(token -> tokens.revoke(token.id()))
                .thenReturn(ResponseEntity.noContent().build());
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > 250) {
            throw invalid("limit must be between 1 and 250");
        }
    }

    private static GatewayException tokenNotFound() {
        return new GatewayException(HttpStatus.NOT_FOUND, "not_found", "Token not found");
    }

    private Duration appTokenLifetime(Long expirySeconds) {
        if (expirySeconds == null) {
            return properties.appTokenExpiry();
        }
        Duration asked = Duration.ofSeconds(expirySeconds);
        if (asked.compareTo(properties.appTokenMinExpiry()) < 0 || asked.compareTo(properties.appTokenMaxExpiry()) > 0) {
            throw invalid("expiry must be between " + properties.appTokenMinExpiry().toSeconds() + " and "
                    + properties.appTokenMaxExpiry().toSeconds() + " seconds");
        }
        return asked;
    }

    private static GatewayException invalid(String detail) {
        return new GatewayException(HttpStatus.UNPROCESSABLE_CONTENT, "validation", detail);
    }
}
