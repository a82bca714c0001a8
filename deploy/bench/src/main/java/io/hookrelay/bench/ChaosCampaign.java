package io.hookrelay.bench;

import static io.hookrelay.bench.UndeliveredVerdicts.STATUS_FAILED;
import static io.hookrelay.bench.UndeliveredVerdicts.STATUS_PENDING;
import static io.hookrelay.bench.UndeliveredVerdicts.STATUS_SENDING;
import static io.hookrelay.bench.UndeliveredVerdicts.STATUS_SUCCESS;

import io.hookrelay.bench.UndeliveredVerdicts.EndpointLists;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;

/**
 * The fault campaign's engine (bin/chaos, and ChaosIT's short form): one application with healthy
 * endpoints and a misbehaving one, a steady open-model load through the gateway for the whole run,
 * the faults of {@link ChaosOptions#plan()} one after the other, each followed by a wait for the
 * platform to recover; then the load stops, deliveries drain, and whatever never arrived is
 * looked up in the platform: still owed, or lost.
 */
final class ChaosCampaign {

    static final String SCENARIO = "chaos";
    private static final int PAYLOAD_BYTES = 512;
    private static final int VERIFY_EVERY = 50;
    private static final int MAX_OUTSTANDING = 5_000;
    /** Up to this many messages no list holds are looked up one by one (three calls each); more, from lists. */
    private static final int LOOK_UP_EACH_AT_MOST = 250;
    /** How long the platform must answer within the steady bound before the first fault. */
    private static final Duration STEADY_WINDOW = Duration.ofSeconds(3);

    private final ChaosOptions options;
    private final PlatformApi api;
    private final Receiver receiver;
    private final HostileReceiver hostile;
    private final LoadClient client;
    private final FaultInjector injector;
    private final String runId;
    private final PrintStream log;
    private final Random random;
    private final List<String> notes = new ArrayList<>();

    ChaosCampaign(ChaosOptions options, URI gateway, String token, Receiver receiver, HostileReceiver hostile,
            LoadClient client, FaultInjector injector, String runId, PrintStream log) {
        this.options = options;
        this.api = new PlatformApi(gateway, token);
        this.receiver = receiver;
        this.hostile = hostile;
        this.client = client;
        this.injector = injector;
        this.runId = runId;
        this.log = log;
        this.random = new Random(options.seed());
    }

    /** The faults' results and the totals; notes say what was skipped and why. */
    record Outcome(ChaosReport.FaultResult beforeTheFirstFault, List<ChaosReport.FaultResult> faults,
            ChaosReport.Totals totals, List<String> notes) {}

    private record Injected(Fault fault, FaultInjector.Window window, long duplicates) {}

    /**
     * A fault's requests are those sent from its start until the next fault starts — its
     * recovery and the load that follows it included (a backlog caught up after the fault slows
     * what comes next) — and the last fault's until the load stopped.
     */
    private static List<FaultAnalysis.Span> spans(List<Injected> injected) {
        List<FaultAnalysis.Span> spans = new ArrayList<>();
        for (int i = 0; i < injected.size(); i++) {
            Injected fault = injected.get(i);
            long segmentEnd = i + 1 < injected.size() ? injected.get(i + 1).window().startNanos() : Long.MAX_VALUE;
            spans.add(new FaultAnalysis.Span(fault.fault(), fault.window(), segmentEnd, fault.duplicates()));
        }
        return spans;
    }

    Outcome run() {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < options.endpoints(); i++) {
            urls.add(receiver.url() + Receiver.endpointPath(SCENARIO, i));
        }
        urls.add(hostile.url());
        var setup = api.createApplication("chaos-" + runId, SCENARIO, urls);
        var deliveries = new DeliveryRecorder(setup.secrets(), VERIFY_EVERY);
        receiver.register(SCENARIO, deliveries);
        hostile.record(deliveries);
        var sender = new MessageSender(client, "/api/v1/app/" + setup.applicationId() + "/msg",
                MessageSender.body("chaos.event", PAYLOAD_BYTES), "chaos-" + runId + "-");

        var schedule = Schedule.of(System.nanoTime() + 100_000_000L, options.rate(),
                Duration.ofMinutes(options.maxMinutes()));
        var sent = new SentMessages(schedule.count());
        var running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread load = Thread.ofPlatform().name("chaos-load").start(
                () -> new OpenModelLoad(sender, MAX_OUTSTANDING).run(schedule, sent, running::get));
        List<Injected> injected = new ArrayList<>();
        long duplicatesBeforeTheFirstFault = -1;
        try {
            log.printf("chaos: load %d msg/s to %d endpoints + 1 misbehaving; warming up %d s%n", options.rate(),
                    options.endpoints(), options.warmup().toSeconds());
            sleep(options.warmup());
            awaitRecovery(sent, schedule, deliveries, System.nanoTime(), "warm-up");
            awaitSteady(sent, schedule);
            for (Fault fault : options.plan()) {
                if (!injector.supports(fault)) {
                    notes.add("skipped '" + fault.name() + "': it needs the platform's data directory (--data-dir)");
                    continue;
                }
                sleep(Duration.ofMillis((long) (random.nextDouble() * options.pause().toMillis())));
                long duplicatesBefore = deliveries.duplicates();
                if (injected.isEmpty()) {
                    duplicatesBeforeTheFirstFault = duplicatesBefore;
                }
                log.printf("chaos: %s%n", fault.name());
                var window = injector.inject(fault);
                Duration recovery = awaitRecovery(sent, schedule, deliveries, window.endNanos(), fault.name());
                log.printf("chaos: %s: recovered after %.1f s%n", fault.name(), recovery.toMillis() / 1000.0);
                injected.add(new Injected(fault, window, deliveries.duplicates() - duplicatesBefore));
            }
        } finally {
            running.set(false);
            injector.close();
            join(load);
        }
        int reached = reached(sent);
        awaitAnswers(sent);
        log.printf("chaos: load stopped after %d requests; draining deliveries (up to %d s)%n", reached,
                options.drainTimeout().toSeconds());
        drain(sent, reached, deliveries, options.drainTimeout());
        long lookUpStarted = System.nanoTime();
        var undelivered = classifyUndelivered(sent, reached, firstArrivals(deliveries), setup);
        log.printf("chaos: asked the platform about %d undelivered (message, endpoint) pairs in %.1f s%n", undelivered.size(),
                (System.nanoTime() - lookUpStarted) / 1e9);
        // read again: the platform goes on delivering while it is asked (a look-up of thousands takes
        // a minute), and a pair that arrived meanwhile is delivered, whatever it was classified as
        // (a first version judged "delivered by the platform's account, not yet at the receiver" lost)
        Map<String, Long> arrivals = firstArrivals(deliveries);
        List<Long> gatewayKills = injected.stream()
                .filter(fault -> fault.fault() instanceof Fault.Kill kill && kill.role().equals(PlatformProcesses.GATEWAY))
                .map(fault -> fault.window().startNanos())
                .toList();
        var analysis = new FaultAnalysis(sent, reached, arrivals, undelivered, deliveries.endpoints(),
                Set.copyOf(IntStream.range(0, options.endpoints()).boxed().toList()), options.hang(), gatewayKills);
        List<ChaosReport.FaultResult> results = spans(injected).stream().map(analysis::analyse).toList();
        var whole = analysis.wholeRun(deliveries.duplicates());
        long loadStart = reached == 0 ? 0 : sent.scheduledNanos(0);
        // with no fault injected every slow answer is judged: none is put down to the warm-up
        var beforeTheFirstFault = injected.isEmpty()
                ? analysis.beforeTheFirstFault(loadStart, reached == 0 ? 0 : sent.scheduledNanos(reached - 1) + 1,
                        Long.MIN_VALUE, deliveries.duplicates())
                : analysis.beforeTheFirstFault(loadStart, injected.getFirst().window().startNanos(),
                        injected.getFirst().window().startNanos(), duplicatesBeforeTheFirstFault);
        Set<String> acceptedIds = new HashSet<>();
        for (int i = 0; i < reached; i++) {
            if (sent.status(i) == 202 && sent.messageId(i) != null) {
                acceptedIds.add(sent.messageId(i));
            }
        }
        long withoutAcceptance = deliveries.firstArrivals().stream().map(DeliveryRecorder.Arrival::messageId)
                .filter(id -> !acceptedIds.contains(id)).distinct().count();
        Map<String, Integer> clientErrors = new TreeMap<>(sent.failures());
        var totals = new ChaosReport.Totals(whole.requests(), whole.accepted(), whole.expectedDeliveries(),
                whole.delivered(), deliveries.duplicates(), whole.owed(), whole.notRetried(), whole.lost(), withoutAcceptance,
                deliveries.badSignatures(), whole.otherServerErrors(), whole.unavailableWithoutRetryAfter(), whole.hangs(),
                beforeTheFirstFault.hangs(), clientErrors);
        // the connections cut while the gateway was up: their times, to find what cut them
        long firstFault = injected.isEmpty() ? Long.MIN_VALUE : injected.getFirst().window().startNanos();
        analysis.noAnswerWhileTheGatewayWasUp(loadStart, firstFault, 10).forEach(notes::add);
        if (receiver.unknownRequests() > 0) {
            notes.add(receiver.unknownRequests() + " requests reached the receiver on paths no endpoint owns");
        }
        return new Outcome(beforeTheFirstFault, results, totals, notes);
    }

    /** "messageId#endpoint" to the first arrival's System.nanoTime(), as the receivers have them now. */
    private static Map<String, Long> firstArrivals(DeliveryRecorder deliveries) {
        Map<String, Long> arrivals = new HashMap<>();
        deliveries.firstArrivals().forEach(a -> arrivals.put(FaultAnalysis.pair(a.messageId(), a.endpoint()), a.nanos()));
        return arrivals;
    }

    /**
     * Waits until the platform works again after {@code sinceNanos}: a request sent after it was
     * accepted, and a message sent after it reached every healthy endpoint. Returns how long that took.
     */
    private Duration awaitRecovery(SentMessages sent, Schedule schedule, DeliveryRecorder deliveries, long sinceNanos,
            String what) {
        long deadline = System.nanoTime() + options.recoveryTimeout().toNanos();
        int first = schedule.firstDueAfter(sinceNanos);
        while (System.nanoTime() < deadline) {
            for (int i = first; i < sent.capacity() && sent.scheduledNanos(i) != 0; i++) {
                String id = sent.status(i) == 202 ? sent.messageId(i) : null;
                if (id != null && IntStream.range(0, options.endpoints()).allMatch(e -> deliveries.hasArrived(id, e))) {
                    return Duration.ofNanos(System.nanoTime() - sinceNanos);
                }
            }
            sleep(Duration.ofMillis(100));
        }
        notes.add("'" + what + "': no accepted and delivered message within " + options.recoveryTimeout().toSeconds()
                + " s; the campaign went on");
        return Duration.ofNanos(System.nanoTime() - sinceNanos);
    }

    /**
     * Waits until the platform answers as it will be judged: every request due in the last
     * {@link #STEADY_WINDOW} (up to one {@link #steadyBound()} ago) answered over HTTP, each within
     * that bound, a fifth of the hang bound. A fault injected while the JVMs still compile their
     * request paths would cut requests already seconds old, and the verdict could not tell the cold
     * start's share of their wait from the fault's (ADR 0035): from here on, a request in flight
     * when a fault begins is at most a fifth of the bound old.
     */
    private void awaitSteady(SentMessages sent, Schedule schedule) {
        long started = System.nanoTime();
        long deadline = started + options.recoveryTimeout().toNanos();
        long bound = steadyBound();
        while (System.nanoTime() < deadline) {
            long now = System.nanoTime();
            int from = schedule.firstDueAfter(now - STEADY_WINDOW.toNanos() - bound);
            int until = schedule.firstDueAfter(now - bound);
            if (until > from && answeredWithin(sent, from, until, bound)) {
                log.printf("chaos: answers within %d ms after %.1f s more%n", bound / 1_000_000,
                        (now - started) / 1e9);
                return;
            }
            sleep(Duration.ofMillis(100));
        }
        notes.add("warm-up: answers never all came within " + bound / 1_000_000 + " ms over " + STEADY_WINDOW.toSeconds()
                + " s, in " + options.recoveryTimeout().toSeconds() + " s; the faults began anyway");
    }

    private long steadyBound() {
        return options.hang().toNanos() / 5;
    }

    private static boolean answeredWithin(SentMessages sent, int from, int until, long bound) {
        for (int i = from; i < until; i++) {
            long answered = sent.answeredNanos(i);
            if (sent.status(i) <= 0 || answered == 0 || answered - sent.scheduledNanos(i) > bound) {
                return false;
            }
        }
        return true;
    }

    /** Everything accepted reached every endpoint, or the time is up. */
    private static void drain(SentMessages sent, int reached, DeliveryRecorder deliveries, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int next = 0;
        while (System.nanoTime() < deadline) {
            while (next < reached && (sent.status(next) != 202 || sent.messageId(next) == null
                    || allArrived(sent.messageId(next), deliveries))) {
                next++;
            }
            if (next == reached) {
                return;
            }
            sleep(Duration.ofMillis(200));
        }
    }

    private static boolean allArrived(String messageId, DeliveryRecorder deliveries) {
        return IntStream.range(0, deliveries.endpoints()).allMatch(e -> deliveries.hasArrived(messageId, e));
    }

    /**
     * Asks the platform about every accepted (message, endpoint) that never arrived, and lets
     * {@link UndeliveredVerdicts} judge: each endpoint's lists first, page by page (thousands may be
     * owed after a long fault); what they leave open is looked up one by one, or from the message
     * and delivered lists when there are more than {@link #LOOK_UP_EACH_AT_MOST}.
     */
    private Map<String, FaultAnalysis.Undelivered> classifyUndelivered(SentMessages sent, int reached,
            Map<String, Long> arrivals, PlatformApi.Setup setup) {
        // What the platform lists per endpoint, page by page: a few hundred calls where a look-up per
        // undelivered message took three, and a long run's thousands of failed deliveries to the
        // misbehaving endpoint outlasted the run itself (docs/reliability.md, 2026-12-02)
        List<EndpointLists> lists = new ArrayList<>();
        for (int endpoint = 0; endpoint < setup.endpointIds().size(); endpoint++) {
            Set<String> owed = messagesWithStatus(setup, endpoint, STATUS_PENDING);
            owed.addAll(messagesWithStatus(setup, endpoint, STATUS_SENDING));
            lists.add(new EndpointLists(owed, messagesWithStatus(setup, endpoint, STATUS_FAILED),
                    lastFailedAnswers(setup, endpoint)));
        }
        List<String> accepted = IntStream.range(0, reached).filter(i -> sent.status(i) == 202)
                .mapToObj(sent::messageId).filter(Objects::nonNull).toList();
        var fromLists = UndeliveredVerdicts.fromLists(accepted, arrivals.keySet(), lists);
        Map<String, FaultAnalysis.Undelivered> verdicts = new HashMap<>(fromLists.verdicts());
        if (fromLists.unlistedByMessage().size() <= LOOK_UP_EACH_AT_MOST) {
            fromLists.unlistedByMessage().forEach((id, endpoints) -> lookUp(setup, id, endpoints, verdicts));
        } else {
            lookUpInBulk(setup, fromLists.unlistedByMessage(), lists, verdicts);
        }
        return verdicts;
    }

    /**
     * {@link #lookUp} for many messages at once, from lists: those a drain left still on Kafka
     * (a delivery-service starved of CPU, a short drain time-out) number thousands, and two calls
     * each, one of them 80–200 ms, took longer than the run.
     */
    private void lookUpInBulk(PlatformApi.Setup setup, Map<String, List<Integer>> unlistedByMessage,
            List<EndpointLists> lists, Map<String, FaultAnalysis.Undelivered> verdicts) {
        Set<String> known = new HashSet<>();
        forEachRow("/api/v1/app/" + setup.applicationId() + "/msg?limit=250&with_content=false",
                row -> known.add(row.path("id").asString()));
        Map<Integer, Set<String>> deliveredByThePlatform = new HashMap<>();
        unlistedByMessage.forEach((id, endpoints) -> {
            for (int endpoint : endpoints) {
                Set<String> delivered = deliveredByThePlatform.computeIfAbsent(endpoint,
                        e -> messagesWithStatus(setup, e, STATUS_SUCCESS));
                verdicts.put(FaultAnalysis.pair(id, endpoint), UndeliveredVerdicts.fromBulkLists(known.contains(id),
                        delivered.contains(id), lists.get(endpoint).failed().contains(id)));
            }
        });
    }

    /** One accepted message that the lists leave open for some endpoints, asked about directly. */
    private void lookUp(PlatformApi.Setup setup, String id, List<Integer> endpoints,
            Map<String, FaultAnalysis.Undelivered> verdicts) {
        String message = "/api/v1/app/" + setup.applicationId() + "/msg/" + id;
        boolean known = api.find(message).isPresent();
        Map<String, Integer> statusByEndpoint = new HashMap<>();
        if (known) {
            api.find(message + "/endpoint?limit=250").ifPresent(page -> page.path("data")
                    .forEach(row -> statusByEndpoint.put(row.path("id").asString(), row.path("status").asInt())));
        }
        for (int endpoint : endpoints) {
            int which = endpoint;
            verdicts.put(FaultAnalysis.pair(id, endpoint), UndeliveredVerdicts.fromLookUp(known,
                    statusByEndpoint.get(setup.endpointIds().get(endpoint)), () -> lastAnswerNotRetried(setup, id, which)));
        }
    }

    /**
     * The status code of the last failed attempt of each message to one endpoint, from the attempt
     * list (newest first), every page.
     */
    private Map<String, Integer> lastFailedAnswers(PlatformApi.Setup setup, int endpoint) {
        Map<String, Integer> answers = new HashMap<>();
        forEachRow("/api/v1/app/" + setup.applicationId() + "/attempt/endpoint/" + setup.endpointIds().get(endpoint)
                + "?status=" + STATUS_FAILED + "&limit=250&with_content=false",
                row -> answers.putIfAbsent(row.path("msgId").asString(), row.path("responseStatusCode").asInt()));
        return answers;
    }

    /** Whether the last attempt of a failed (message, endpoint) got an answer not retried by contract. */
    private boolean lastAnswerNotRetried(PlatformApi.Setup setup, String messageId, int endpoint) {
        String attempts = "/api/v1/app/" + setup.applicationId() + "/attempt/msg/" + messageId + "?endpoint_id="
                + setup.endpointIds().get(endpoint) + "&limit=1&with_content=false";
        return api.find(attempts)
                .map(page -> page.path("data"))
                .filter(data -> !data.isEmpty())
                .map(data -> UndeliveredVerdicts.notRetried(data.get(0).path("responseStatusCode").asInt()))
                .orElse(false);
    }

    /** The ids of the messages whose delivery to one endpoint has a status (Svix's: 0 success, 1 pending, 2 failed, 3 sending), every page. */
    private Set<String> messagesWithStatus(PlatformApi.Setup setup, int endpoint, int status) {
        Set<String> ids = new HashSet<>();
        forEachRow("/api/v1/app/" + setup.applicationId() + "/endpoint/" + setup.endpointIds().get(endpoint)
                + "/msg?status=" + status + "&limit=250&with_content=false", row -> ids.add(row.path("id").asString()));
        return ids;
    }

    private void forEachRow(String list, Consumer<JsonNode> action) {
        String iterator = null;
        do {
            JsonNode page = api.find(list + (iterator == null ? "" : "&iterator=" + iterator)).orElseThrow();
            page.path("data").forEach(action);
            iterator = page.path("done").asBoolean(true) ? null : page.path("iterator").asString();
        } while (iterator != null);
    }

    /** How many of the schedule's indices the load got to (each was sent or skipped, so has a time). */
    private static int reached(SentMessages sent) {
        int reached = 0;
        while (reached < sent.capacity() && sent.scheduledNanos(reached) != 0) {
            reached++;
        }
        return reached;
    }

    private static void awaitAnswers(SentMessages sent) {
        long deadline = System.nanoTime() + LoadClient.RESPONSE_TIMEOUT.plusSeconds(10).toNanos();
        while (sent.outstanding() > 0 && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(20));
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
