package io.hookrelay.delivery.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

class EndpointSlotsTest {

    private static final Duration LONG = Duration.ofMinutes(1);

    @Test
    void aFreeSlotIsTakenAtOnce() {
        var slots = new EndpointSlots(1, 5);

        StepVerifier.create(slots.acquire(LONG)).expectNext(true).verifyComplete();
        assertThat(slots.tryAcquire()).isFalse();
    }

    @Test
    void waitersGetFreedSlotsFirstComeFirstServed() {
        var slots = new EndpointSlots(1, 5);
        slots.tryAcquire();
        List<String> served = new ArrayList<>();
        slots.acquire(LONG).subscribe(ok -> served.add("first"));
        slots.acquire(LONG).subscribe(ok -> served.add("second"));

        slots.release();
        assertThat(served).containsExactly("first");

        slots.release();
        assertThat(served).containsExactly("first", "second");
        assertThat(slots.tryAcquire()).as("both freed slots were handed on, none came free").isFalse();
    }

    @Test
    void refusesAtOnceWhenTooManyWaitAlready() {
        var slots = new EndpointSlots(1, 1);
        slots.tryAcquire();
        slots.acquire(LONG).subscribe();

        assertThat(slots.hasRoom()).isFalse();
        StepVerifier.create(slots.acquire(LONG)).expectNext(false).verifyComplete();
    }

    @Test
    void aWaiterGivesUpAfterItsTimeAndLeavesTheLine() {
        var slots = new EndpointSlots(1, 1);
        slots.tryAcquire();

        StepVerifier.create(slots.acquire(Duration.ofMillis(20))).expectNext(false).verifyComplete();

        assertThat(slots.hasRoom()).as("the line is empty again").isTrue();
        slots.release();
        assertThat(slots.tryAcquire()).as("the released slot was not handed to the one who left").isTrue();
    }

    @Test
    void aCancelledWaiterNeitherTakesNorLosesASlot() {
        var slots = new EndpointSlots(1, 5);
        slots.tryAcquire();
        AtomicReference<Boolean> got = new AtomicReference<>();
        Disposable waiting = slots.acquire(LONG).subscribe(got::set);

        waiting.dispose();
        slots.release();

        assertThat(got.get()).isNull();
        assertThat(slots.tryAcquire()).isTrue();
        assertThat(slots.tryAcquire()).isFalse();
    }

    @Test
    void withoutWaitingABusyEndpointIsRefused() {
        var slots = new EndpointSlots(1, 5);
        slots.tryAcquire();

        StepVerifier.create(slots.acquire(Duration.ZERO)).expectNext(false).verifyComplete();
    }
}
