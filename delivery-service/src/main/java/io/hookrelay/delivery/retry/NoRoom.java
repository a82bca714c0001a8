package io.hookrelay.delivery.retry;

import java.util.Set;

/**
 * What has no room in this process right now: applications whose share is taken, endpoints whose
 * slots and line are. Claiming their due rows would only hand them back (a claim, a read of each
 * message, a release per row), again at every poll for as long as they stay full.
 */
public record NoRoom(Set<String> applications, Set<String> endpoints) {

    public static final NoRoom NONE = new NoRoom(Set.of(), Set.of());

    public NoRoom {
        applications = Set.copyOf(applications);
        endpoints = Set.copyOf(endpoints);
    }
}
