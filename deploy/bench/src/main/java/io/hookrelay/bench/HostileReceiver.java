package io.hookrelay.bench;

import io.hookrelay.signer.WebhookHeaders;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * The chaos campaign's misbehaving endpoint, on 127.0.0.1: answers 204 until told to misbehave in
 * one {@link Mode}. A delivery counts as arrived (in the scenario's {@link DeliveryRecorder}) only
 * when this receiver answered it with a 2xx status line, as a real receiver would have processed it.
 */
final class HostileReceiver implements AutoCloseable {

    /** Longer than delivery's request timeout (15 s), so a slow answer is a timed-out attempt. */
    static final Duration SLOW = Duration.ofSeconds(20);
    static final int HUGE_BODY_BYTES = 32 * 1024 * 1024;

    enum Mode {
        HEALTHY("answers 204"),
        STATUS_500("answers 500"),
        TIMEOUT("answers after 20 s"),
        RESET("resets the connection"),
        BYTE_BY_BYTE("answers 200 one byte a second"),
        HUGE_BODY("answers 200 with a 32 MiB body"),
        REDIRECT("redirects (307)"),
        NEVER_ANSWERS("accepts and never answers");

        private final String description;

        Mode(String description) {
            this.description = description;
        }

        String description() {
            return description;
        }
    }

    private final DisposableServer server;
    private final int endpoint;
    private final AtomicLong requests = new AtomicLong();
    private volatile Mode mode = Mode.HEALTHY;
    private volatile DeliveryRecorder recorder;

    /** @param endpoint the index of the endpoint this receiver stands for in the recorder */
    HostileReceiver(LoopResources loops, int endpoint) {
        this.endpoint = endpoint;
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .runOn(loops)
                .handle(this::answer)
                .bindNow();
    }

    String url() {
        return "http://127.0.0.1:" + server.port() + "/hostile";
    }

    void record(DeliveryRecorder recorder) {
        this.recorder = recorder;
    }

    void misbehave(Mode mode) {
        this.mode = mode;
    }

    long requests() {
        return requests.get();
    }

    private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response) {
        requests.incrementAndGet();
        Mode now = mode;
        return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap(body -> switch (now) {
            case HEALTHY -> arrived(request, body).then(response.status(204).send().then());
            case STATUS_500 -> response.status(500).sendString(Mono.just("chaos: failing on purpose")).then();
            case TIMEOUT -> Mono.delay(SLOW).then(response.status(204).send().then());
            case RESET -> response.withConnection(connection -> {
                // SO_LINGER 0: close sends a TCP RST instead of a FIN
                connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                connection.channel().close();
            }).then().then(Mono.<Void>never());
            case BYTE_BY_BYTE -> arrived(request, body).then(response.status(200)
                    .header("content-length", "60")
                    .send(Flux.interval(Duration.ofSeconds(1)).take(60).map(i -> Unpooled.wrappedBuffer(new byte[] {'.'})))
                    .then());
            case HUGE_BODY -> arrived(request, body).then(response.status(200)
                    .header("content-length", Integer.toString(HUGE_BODY_BYTES))
                    .send(Flux.range(0, HUGE_BODY_BYTES / 65536).map(i -> Unpooled.wrappedBuffer(new byte[65536])))
                    .then());
            case REDIRECT -> response.status(307).header("location", url() + "/elsewhere").send().then();
            case NEVER_ANSWERS -> Mono.<Void>never();
        });
    }

    /** A 2xx status line is about to go out: the receiver has the webhook. */
    private Mono<Void> arrived(HttpServerRequest request, byte[] body) {
        DeliveryRecorder current = recorder;
        if (current != null) {
            current.arrived(endpoint, WebhookHeaders.from(request.requestHeaders()::get), body, System.nanoTime());
        }
        return Mono.empty();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(2));
    }
}
