package io.hookrelay.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Joins what the clients saw with what the receivers got, for one fault of a campaign: the
 * requests scheduled from the fault's start to the next fault's start are its requests; whatever
 * of theirs is accepted must be delivered or still owed. Pure: the campaign collects, this counts.
 */
final class FaultAnalysis {

    /** What became of one accepted (message, endpoint) the receivers never got, asked of the platform afterwards. */
    enum Undelivered {
        /** The platform still holds it for a later attempt (scheduled, in flight, or not yet consumed). */
        OWED,
        /**
         * Failed as the contract says: the receiver's last answer was a status the platform does not
         * retry (a redirect, a 4xx other than 408/425/429), so it gave up and says so in the attempt
         * list. Not a loss: the receiver refused it, and a resend or recover is the operator's call.
         */
        NOT_RETRIED,
        /** Neither delivered nor held: an accepted message the platform lost or gave up on. */
        LOST
    }

    /** The label of a request that got no answer because the gateway had been killed meanwhile. */
    static final String GATEWAY_DOWN = "no answer while the gateway was down: ";

    /** The name of the results of {@link #beforeTheFirstFault}. */
    static final String WARM_UP = "before the first fault";

    /** One fault as it ran: when, until when its requests count, and the duplicates that arrived meanwhile. */
    record Span(Fault fault, FaultInjector.Window window, long segmentEndNanos, long duplicates) {}

    private final SentMessages sent;
    private final int reached;
    private final Map<String, Long> firstArrivals;
    private final Map<String, Undelivered> undelivered;
    private final int endpoints;
    private final Set<Integer> healthyEndpoints;
    private final Duration hang;
    /** [killed, first 202 to a request sent once it was gone) of each gateway kill, in System.nanoTime(). */
    private final List<long[]> gatewayDown;

    /**
     * @param reached how many of {@code sent}'s indices the load got to
     * @param firstArrivals "messageId#endpoint" to the first arrival's System.nanoTime()
     * @param undelivered what the platform said about accepted pairs that never arrived (absent: lost)
     * @param hang an answer slower than this is a hang: more than the platform promises
     */
    FaultAnalysis(SentMessages sent, int reached, Map<String, Long> firstArrivals, Map<String, Undelivered> undelivered,
            int endpoints, Set<Integer> healthyEndpoints, Duration hang) {
        this(sent, reached, firstArrivals, undelivered, endpoints, healthyEndpoints, hang, List.of());
    }

    /**
     * @param gatewayKills when the gateway was killed (System.nanoTime()): a request that failed
     *     without an answer from then until the gateway next accepted one died with it, whichever
     *     fault's window it was sent in (a request sent just before the kill is one)
     */
    FaultAnalysis(SentMessages sent, int reached, Map<String, Long> firstArrivals, Map<String, Undelivered> undelivered,
            int endpoints, Set<Integer> healthyEndpoints, Duration hang, List<Long> gatewayKills) {
        List<Long> kills = gatewayKills.stream().sorted().toList();
        this.gatewayDown = java.util.stream.IntStream.range(0, kills.size())
                .mapToObj(k -> {
                    long kill = kills.get(k);
                    long nextKill = k + 1 < kills.size() ? kills.get(k + 1) : Long.MAX_VALUE;
                    return new long[] {kill, firstAcceptAfter(sent, reached, deadBy(sent, reached, kill, nextKill))};
                })
                .toList();
        this.sent = sent;
        this.reached = reached;
        this.firstArrivals = firstArrivals;
        this.undelivered = undelivered;
        this.endpoints = endpoints;
        this.healthyEndpoints = healthyEndpoints;
        this.hang = hang;
    }

    static String pair(String messageId, int endpoint) {
        return messageId + '#' + endpoint;
    }

    ChaosReport.FaultResult analyse(Span span) {
        // a kill is over the moment it is sent: what it does shows while the service comes back
        long latencyUntil = span.fault() instanceof Fault.Kill ? span.segmentEndNanos() : span.window().endNanos();
        return analyse(span.fault().name(), span.window(), span.segmentEndNanos(), latencyUntil, Long.MAX_VALUE,
                span.duplicates());
    }

    /**
     * The requests scheduled from {@code loadStartNanos} until {@code untilNanos} (the first fault's
     * start): the platform under load before anything was done to it, its first seconds after start
     * included. Its {@code hangs} are only the slow answers that were late already at
     * {@code lateBeforeNanos} (the first fault's start): a request still within the hang bound when
     * the fault began may be slow because of it, and counts in the totals only. With no fault at all,
     * {@code Long.MIN_VALUE}: then none is put down to the warm-up.
     */
    ChaosReport.FaultResult beforeTheFirstFault(long loadStartNanos, long untilNanos, long lateBeforeNanos, long duplicates) {
        var window = new FaultInjector.Window(loadStartNanos, untilNanos);
        return analyse(WARM_UP, window, untilNanos, untilNanos, lateBeforeNanos, duplicates);
    }

    /**
     * @param hangsLateBefore a slow answer counts as a hang only if its request was already later
     *     than the hang bound at this moment ({@code Long.MAX_VALUE}: every one counts)
     */
    private ChaosReport.FaultResult analyse(String name, FaultInjector.Window window, long segmentEnd, long latencyUntil,
            long hangsLateBefore, long duplicates) {
        long from = window.startNanos();
        long end = window.endNanos();
        Map<String, Integer> statuses = new TreeMap<>();
        Histogram healthy = Latency.histogram();
        long requests = 0, accepted = 0, expected = 0, delivered = 0, owed = 0, notRetried = 0, lost = 0;
        long retryAfter503 = 0, plain503 = 0, other5xx = 0, hangs = 0;
        long slowest = 0;
        Map<Long, Integer> hangsBySecond = new TreeMap<>();
        long hangsMaxSendLag = 0;
        long firstAcceptAfter = Long.MAX_VALUE;
        long firstDeliveryAfter = Long.MAX_VALUE;
        long firstHostileAfter = Long.MAX_VALUE;
        long lastHealthyArrival = Long.MIN_VALUE;
        boolean healthyBacklogOpen = false;
        for (int i = 0; i < reached; i++) {
            long scheduled = sent.scheduledNanos(i);
            int status = sent.status(i);
            if (scheduled < from || scheduled >= segmentEnd || status == SentMessages.SKIPPED) {
                continue;
            }
            requests++;
            statuses.merge(label(i), 1, Integer::sum);
            long took = sent.answeredNanos(i) == 0 ? Long.MAX_VALUE : sent.answeredNanos(i) - scheduled;
            slowest = Math.max(slowest, took);
            boolean lateInTime = hangsLateBefore == Long.MAX_VALUE || scheduled + hang.toNanos() < hangsLateBefore;
            if (took > hang.toNanos() && lateInTime) {
                hangs++;
                hangsBySecond.merge(Math.floorDiv(scheduled - from, 1_000_000_000L), 1, Integer::sum);
                hangsMaxSendLag = Math.max(hangsMaxSendLag, sent.sentNanos(i) == 0 ? 0 : sent.sentNanos(i) - scheduled);
            }
            if (status == 503) {
                retryAfter503 += sent.hasRetryAfter(i) ? 1 : 0;
                plain503 += sent.hasRetryAfter(i) ? 0 : 1;
            } else if (status >= 500) {
                other5xx++;
            }
            if (status != 202 || sent.messageId(i) == null) {
                continue;
            }
            accepted++;
            if (scheduled >= end) {
                firstAcceptAfter = Math.min(firstAcceptAfter, sent.answeredNanos(i));
            }
            for (int endpoint = 0; endpoint < endpoints; endpoint++) {
                expected++;
                String pair = pair(sent.messageId(i), endpoint);
                Long arrival = firstArrivals.get(pair);
                if (arrival != null) {
                    delivered++;
                    if (!healthyEndpoints.contains(endpoint)) {
                        firstHostileAfter = arrival >= end ? Math.min(firstHostileAfter, arrival) : firstHostileAfter;
                    } else {
                        if (scheduled < latencyUntil) {
                            Latency.record(healthy, arrival - scheduled);
                            lastHealthyArrival = Math.max(lastHealthyArrival, arrival);
                        }
                        if (scheduled >= end) {
                            firstDeliveryAfter = Math.min(firstDeliveryAfter, arrival);
                        }
                    }
                } else if (undelivered.get(pair) == Undelivered.OWED) {
                    healthyBacklogOpen |= healthyEndpoints.contains(endpoint) && scheduled < latencyUntil;
                    owed++;
                } else if (undelivered.get(pair) == Undelivered.NOT_RETRIED) {
                    notRetried++;
                } else {
                    healthyBacklogOpen |= healthyEndpoints.contains(endpoint) && scheduled < latencyUntil;
                    lost++;
                }
            }
        }
        return new ChaosReport.FaultResult(name, (end - from) / 1e9, requests, accepted, statuses,
                retryAfter503, plain503, other5xx, slowest == Long.MAX_VALUE ? -1 : slowest / 1e6, hangs,
                from == Long.MIN_VALUE ? Map.of() : hangsBySecond, hangsMaxSendLag / 1e6, expected,
                delivered, duplicates, owed, notRetried, lost, seconds(firstAcceptAfter, end), seconds(firstDeliveryAfter, end),
                seconds(firstHostileAfter, end), Latency.of(healthy),
                healthyBacklogOpen || lastHealthyArrival == Long.MIN_VALUE ? null : seconds(lastHealthyArrival, from),
                segmentEnd == Long.MAX_VALUE ? null : seconds(segmentEnd, from),
                // a message sent just before the next fault arrives after it as any message does:
                // only a backlog still owed, or worked off a hang bound later, met that fault
                segmentEnd != Long.MAX_VALUE && lastHealthyArrival != Long.MIN_VALUE
                        && (healthyBacklogOpen || lastHealthyArrival > segmentEnd + hang.toNanos()));
    }

    /** The counts over every request of the run (its recovery times mean nothing). */
    ChaosReport.FaultResult wholeRun(long duplicates) {
        return analyse("whole run", new FaultInjector.Window(Long.MIN_VALUE, 0), Long.MAX_VALUE, Long.MIN_VALUE,
                Long.MAX_VALUE, duplicates);
    }

    /** How a note about a request that was already late when the first fault began starts: the warm-up's, not judged. */
    static final String NOT_JUDGED = "not judged, late before the first fault: ";

    /**
     * Each request that got no answer while the gateway was up (at most {@code limit}), with its
     * times: what a reader needs to find what cut it. Seconds from {@code originNanos}. A request
     * already later than the hang bound at {@code lateBeforeNanos} (the first fault's start) is the
     * warm-up's, as its hangs are: its note starts with {@link #NOT_JUDGED}.
     */
    List<String> noAnswerWhileTheGatewayWasUp(long originNanos, long lateBeforeNanos, int limit) {
        List<String> found = new java.util.ArrayList<>();
        for (int i = 0; i < reached && found.size() < limit; i++) {
            if (sent.status(i) != SentMessages.FAILED) {
                continue;
            }
            long failedAt = sent.answeredNanos(i);
            if (gatewayDown.stream().anyMatch(down -> failedAt >= down[0] && failedAt < down[1])) {
                continue;
            }
            String gateway = gatewayDown.stream()
                    .map(down -> String.format("killed +%.3f s, accepting again +%.3f s", (down[0] - originNanos) / 1e9,
                            down[1] == Long.MAX_VALUE ? Double.NaN : (down[1] - originNanos) / 1e9))
                    .reduce((a, b) -> a + "; " + b).orElse("never killed");
            boolean warmUp = sent.scheduledNanos(i) + hang.toNanos() < lateBeforeNanos;
            found.add(String.format("%sno answer (%s): scheduled +%.3f s, failed +%.3f s (the gateway: %s)",
                    warmUp ? NOT_JUDGED : "", sent.failure(i), (sent.scheduledNanos(i) - originNanos) / 1e9,
                    (failedAt - originNanos) / 1e9, gateway));
        }
        return found;
    }

    /**
     * When the killed gateway was certainly gone: the first connection refused after the kill (a
     * SIGKILL takes a few milliseconds, and the dying process may still answer requests sent after
     * it was issued) and before the next kill, or the kill itself if none was refused.
     */
    private static long deadBy(SentMessages sent, int reached, long kill, long nextKill) {
        long refused = Long.MAX_VALUE;
        for (int i = 0; i < reached; i++) {
            if (sent.status(i) == SentMessages.FAILED && sent.answeredNanos(i) >= kill && sent.answeredNanos(i) < nextKill
                    && "ConnectException".equals(sent.failure(i))) {
                refused = Math.min(refused, sent.answeredNanos(i));
            }
        }
        return refused == Long.MAX_VALUE ? kill : refused;
    }

    private static long firstAcceptAfter(SentMessages sent, int reached, long since) {
        long first = Long.MAX_VALUE;
        for (int i = 0; i < reached; i++) {
            // a request sent after the kill: one the old gateway answered just before dying says nothing
            if (sent.status(i) == 202 && sent.scheduledNanos(i) > since) {
                first = Math.min(first, sent.answeredNanos(i));
            }
        }
        return first;
    }

    /** What a client saw for request {@code index}: its status, or why it got none. */
    private String label(int index) {
        int status = sent.status(index);
        if (status == SentMessages.FAILED) {
            long failedAt = sent.answeredNanos(index);
            boolean gatewayWasDown = gatewayDown.stream().anyMatch(down -> failedAt >= down[0] && failedAt < down[1]);
            return (gatewayWasDown ? GATEWAY_DOWN : "no answer: ") + sent.failure(index);
        }
        if (status == SentMessages.NOT_ANSWERED) {
            return "no answer: still waiting";
        }
        return status == 503 && !sent.hasRetryAfter(index) ? "503 without Retry-After" : Integer.toString(status);
    }

    private static Double seconds(long at, long since) {
        return at == Long.MAX_VALUE ? null : Math.max(0, at - since) / 1e9;
    }
}
