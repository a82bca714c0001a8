package io.hookrelay.ingest.endpoint;

import io.hookrelay.support.api.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Checks an endpoint URL as strictly as Svix: absolute, http or https, with a host, no user
 * info. Whether the host may be reached (SSRF) is decided at delivery time, on the resolved
 * address.
 */
final class EndpointUrl {

    private EndpointUrl() {}

    static String validate(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw ApiException.validation("url", "url is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw ApiException.validation("url", "url must use http or https");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw ApiException.validation("url", "url must have a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.validation("url", "url must not contain credentials");
        }
        return uri.toString();
    }
}
