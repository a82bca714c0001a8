package io.hookrelay.ingest.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hookrelay.support.api.ApiException;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class GroupCommitTest {

    /** The batches the fake database ran, and a gate holding the first one until the test opens it. */
    final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    final List<Integer> alone = new CopyOnWriteArrayList<>();
    final Sinks.One<Boolean> gate = Sinks.one();

    GroupCommit<Integer, String> groupCommit(int maxBatch) {
        return groupCommit(new GroupCommitProperties(maxBatch, 1, 1000, Duration.ofMinutes(1)), GroupCommit.Overload.REFUSE);
    }

    GroupCommit<Integer, String> groupCommit(GroupCommitProperties properties, GroupCommit.Overload overload) {
        return groupCommit(properties, overload, Duration.ZERO);
    }

    GroupCommit<Integer, String> groupCommit(GroupCommitProperties properties, GroupCommit.Overload overload, Duration linger) {
        return new GroupCommit<>("test", properties, overload, new SimpleMeterRegistry(), linger,
                items -> {
                    batches.add(items);
                    if (items.contains(13)) {
                        return Mono.error(new IllegalStateException("13 fails the whole batch"));
                    }
                    return Mono.just(items.stream().map(i -> "batched " + i).toList());
                },
                item -> {
                    alone.add(item);
                    if (item == 13) {
                        return Mono.error(new IllegalArgumentException("13 is refused"));
                    }
                    Mono<String> result = Mono.just("alone " + item);
                    return item == 0 ? gate.asMono().then(result) : result;
                });
    }

    /** Submits 0 (held at the gate, alone), then the others while it runs; opens the gate. */
    List<Object> submitWhileTheFirstRuns(GroupCommit<Integer, String> commit, int... others) {
        var answers = new CopyOnWriteArrayList<Object>();
        commit.submit(0).subscribe(answers::add, answers::add);
        var results = new ArrayList<Mono<Object>>();
        for (int item : others) {
            results.add(commit.submit(item).<Object>map(answer -> answer).onErrorResume(e -> Mono.just(e.getMessage())));
        }
        var collected = new CopyOnWriteArrayList<Object>();
        results.forEach(result -> result.subscribe(collected::add));
        gate.tryEmitValue(true);
        assertThat(answers).containsExactly("alone 0");
        return collected;
    }

    @Test
    void anItemArrivingWhenNothingRunsIsRunAloneAtOnce() {
        var commit = groupCommit(10);

        assertThat(commit.submit(5).block()).isEqualTo("alone 5");
        assertThat(batches).isEmpty();
    }

    @Test
    void aLingeringCommitWaitsForCompanyAndRunsWhatArrivedMeanwhileTogether() {
        var commit = groupCommit(new GroupCommitProperties(10, 1, 1000, Duration.ofMinutes(1)), GroupCommit.Overload.QUEUE,
                Duration.ofMillis(300));

        Mono<String> first = commit.submit(1).cache();
        first.subscribe();
        Mono<String> second = commit.submit(2).cache();
        second.subscribe();

        assertThat(first.block(Duration.ofSeconds(5))).isEqualTo("batched 1");
        assertThat(second.block(Duration.ofSeconds(5))).isEqualTo("batched 2");
        assertThat(batches).containsExactly(List.of(1, 2));
        assertThat(alone).isEmpty();
    }

    @Test
    void aFullBatchDoesNotLinger() {
        var commit = groupCommit(new GroupCommitProperties(2, 1, 1000, Duration.ofMinutes(1)), GroupCommit.Overload.QUEUE,
                Duration.ofHours(1));

        Mono<String> first = commit.submit(1).cache();
        first.subscribe();

        assertThat(commit.submit(2).block(Duration.ofSeconds(5))).isEqualTo("batched 2");
        assertThat(first.block(Duration.ofSeconds(5))).isEqualTo("batched 1");
        assertThat(batches).containsExactly(List.of(1, 2));
    }

    @Test
    void itemsArrivingWhileABatchRunsShareTheNextOneAndEachGetsItsOwnResult() {
        var commit = groupCommit(10);

        List<Object> answers = submitWhileTheFirstRuns(commit, 1, 2, 3);

        assertThat(batches).containsExactly(List.of(1, 2, 3));
        assertThat(answers).containsExactlyInAnyOrder("batched 1", "batched 2", "batched 3");
    }

    @Test
    void aBatchTakesAtMostMaxBatchItems() {
        var commit = groupCommit(2);

        List<Object> answers = submitWhileTheFirstRuns(commit, 1, 2, 3, 4, 5);

        assertThat(batches).containsExactly(List.of(1, 2), List.of(3, 4));
        assertThat(answers).containsExactlyInAnyOrder("batched 1", "batched 2", "batched 3", "batched 4", "alone 5");
    }

    @Test
    void oneBadItemDoesNotFailItsBatchMates() {
        var commit = groupCommit(10);

        List<Object> answers = submitWhileTheFirstRuns(commit, 1, 13, 2);

        assertThat(batches).containsExactly(List.of(1, 13, 2));
        assertThat(alone).contains(1, 13, 2);
        assertThat(answers).containsExactlyInAnyOrder("alone 1", "13 is refused", "alone 2");
    }

    @Test
    void beyondMaxWaitingANewItemIsRefusedAtOnceWith503AndNeverRun() {
        var commit = groupCommit(new GroupCommitProperties(10, 1, 3, Duration.ofMinutes(1)), GroupCommit.Overload.REFUSE);
        commit.submit(0).subscribe(); // runs alone, held at the gate
        var queued = List.of(commit.submit(1).toFuture(), commit.submit(2).toFuture(), commit.submit(3).toFuture());

        assertThatThrownBy(() -> commit.submit(4).block())
                .isInstanceOfSatisfying(ApiException.Unavailable.class, e -> {
                    assertThat(e.status().value()).isEqualTo(503);
                    assertThat(e.retryAfterSeconds()).isEqualTo(1);
                    assertThat(e.getMessage()).contains("nothing was stored");
                });
        gate.tryEmitValue(true);
        assertThat(queued).allSatisfy(future -> assertThat(future.join()).startsWith("batched"));
        assertThat(batches).containsExactly(List.of(1, 2, 3));
        assertThat(alone).containsExactly(0);
    }

    @Test
    void anItemWaitingLongerThanMaxWaitIsRefusedAndNeverRunWhileTheRunningBatchKeepsItsOutcome() {
        var commit = groupCommit(new GroupCommitProperties(10, 1, 100, Duration.ofMillis(200)), GroupCommit.Overload.REFUSE);
        var running = commit.submit(0).toFuture(); // held at the gate: the "database" has stalled
        var waiting = commit.submit(1).toFuture();

        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ApiException.Unavailable.class);
        gate.tryEmitValue(true);
        assertThat(running.join()).isEqualTo("alone 0");
        assertThat(alone).containsExactly(0);
        assertThat(batches).isEmpty();
        // the queue works again once the database does
        assertThat(commit.submit(2).block()).isEqualTo("alone 2");
    }

    @Test
    void internalWorkIsNeverRefusedHoweverLongItWaits() {
        var commit = groupCommit(new GroupCommitProperties(10, 1, 1, Duration.ofMillis(50)), GroupCommit.Overload.QUEUE);
        commit.submit(0).subscribe();
        var queued = List.of(commit.submit(1).toFuture(), commit.submit(2).toFuture());
        Mono.delay(Duration.ofMillis(300)).block(); // well past maxWait, with more than maxWaiting queued

        gate.tryEmitValue(true);
        assertThat(queued).allSatisfy(future -> assertThat(future.join()).startsWith("batched"));
    }
}
