package io.hookrelay.local;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A real OTLP/HTTP trace collector on loopback: decodes each {@code ExportTraceServiceRequest}
 * (protobuf, as the services' exporter sends it to {@code /v1/traces}) and keeps its spans.
 */
final class OtlpCollector implements AutoCloseable {

    /** One span as exported, ids in lowercase hex (parent empty for a root). */
    record ExportedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
            Span.SpanKind kind, Map<String, String> attributes) {}

    private static final HexFormat HEX = HexFormat.of();

    private final HttpServer server;
    final List<ExportedSpan> spans = new CopyOnWriteArrayList<>();

    OtlpCollector() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/traces", exchange -> {
            try (exchange) {
                var request = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes());
                request.getResourceSpansList().forEach(resource -> {
                    String service = text(resource.getResource().getAttributesList()).get("service.name");
                    resource.getScopeSpansList().forEach(scope -> scope.getSpansList().forEach(span -> spans.add(
                            new ExportedSpan(service, hex(span.getTraceId().toByteArray()), hex(span.getSpanId().toByteArray()),
                                    hex(span.getParentSpanId().toByteArray()), span.getName(), span.getKind(),
                                    text(span.getAttributesList())))));
                });
                byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                if (answer.length == 0) {
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    exchange.sendResponseHeaders(200, answer.length);
                    exchange.getResponseBody().write(answer);
                }
            }
        });
        server.start();
    }

    /** For {@code management.opentelemetry.tracing.export.otlp.endpoint}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    List<ExportedSpan> ofTrace(String traceId) {
        return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    private static Map<String, String> text(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey,
                attribute -> attribute.getValue().hasStringValue()
                        ? attribute.getValue().getStringValue()
                        : attribute.getValue().hasIntValue() ? Long.toString(attribute.getValue().getIntValue()) : "",
                (first, second) -> first));
    }

    private static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
