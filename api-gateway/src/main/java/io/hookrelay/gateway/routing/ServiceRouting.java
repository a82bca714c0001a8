package io.hookrelay.gateway.routing;

import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.config.HttpClientProperties;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.http.client.HttpClient;

/**
 * Spring Cloud Gateway's routing filter and the filter that writes the service's answer back, with
 * {@link ProxyHeaders} as their only header filters, in place of the gateway's own pair (switched off
 * together by {@code spring.cloud.gateway.server.webflux.global-filter.netty-routing.enabled=false}):
 * those apply every {@code HttpHeadersFilter} bean in turn, each copying all of a request's headers.
 */
@Configuration(proxyBeanMethods = false)
class ServiceRouting {

    @Bean
    NettyRoutingFilter serviceRoutingFilter(HttpClient httpClient, HttpClientProperties properties, ServiceCredential credential) {
        List<HttpHeadersFilter> filters = new ProxyHeaders(credential).filters();
        return new NettyRoutingFilter(httpClient, new FixedFilters(filters), properties) {
            @Override
            public List<HttpHeadersFilter> getHeadersFilters() {
                return filters;
            }
        };
    }

    @Bean
    NettyWriteResponseFilter serviceResponseWriter(GatewayProperties gateway) {
        // reads its header filters only for response trailers, which ProxyHeaders leaves alone
        return new NettyWriteResponseFilter(gateway.getStreamingMediaTypes(), new FixedFilters(List.of()));
    }

    /** What the filters' constructors take: the one list, never looked up in the context. */
    private record FixedFilters(List<HttpHeadersFilter> filters) implements ObjectProvider<List<HttpHeadersFilter>> {
        @Override
        public List<HttpHeadersFilter> getObject() {
            return filters;
        }
    }
}
