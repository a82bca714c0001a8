package io.hookrelay.bench;

import io.hookrelay.signer.WebhookHeaders;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.resources.LoopResources;

/**
 * The webhook receiver the bench's endpoints point at, on 127.0.0.1: answers 204 at once and hands
 * each delivery to the recorder of its scenario. Paths: {@code /s/<scenario>/<endpoint index>};
 * {@code /ceiling} only counts (the ceiling scenario posts there straight from the load client).
 */
final class Receiver implements AutoCloseable {

    static final String CEILING_PATH = "/ceiling";

    private final Map<String, DeliveryRecorder> recorders = new ConcurrentHashMap<>();
    private final AtomicLong ceilingRequests = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    private final DisposableServer server;

    Receiver(LoopResources loops) {
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .runOn(loops)
                .handle((request, response) -> receive(request).then(response.status(204).send()))
                .bindNow();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    static String endpointPath(String scenario, int endpoint) {
        return "/s/" + scenario + "/" + endpoint;
    }

    void register(String scenario, DeliveryRecorder recorder) {
        recorders.put(scenario, recorder);
    }

    long unknownRequests() {
        return unknown.get();
    }

    private Mono<Void> receive(HttpServerRequest request) {
        String path = request.path();
        if (path.equals(CEILING_PATH.substring(1))) {
            ceilingRequests.incrementAndGet();
            return request.receive().then();
        }
        String[] parts = path.split("/");
        DeliveryRecorder recorder = parts.length == 3 && parts[0].equals("s") ? recorders.get(parts[1]) : null;
        if (recorder == null) {
            unknown.incrementAndGet();
            return request.receive().then();
        }
        int endpoint = parseIndex(parts[2]);
        return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0])
                .doOnNext(body -> recorder.arrived(endpoint, WebhookHeaders.from(request.requestHeaders()::get), body,
                        System.nanoTime()))
                .then();
    }

    private static int parseIndex(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
