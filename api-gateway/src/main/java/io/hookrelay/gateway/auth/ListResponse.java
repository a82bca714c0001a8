package io.hookrelay.gateway.auth;

import java.util.List;
import java.util.function.Function;

/**
 * Svix's list envelope, as the services write it. Pages are read with one extra row: its presence
 * means "not done". {@code iterator} is the id of the last item (null on an empty page);
 * {@code prevIterator} is null (no reverse paging here, as in the services).
 */
record ListResponse<T>(List<T> data, String iterator, String prevIterator, boolean done) {

    static <T> ListResponse<T> page(List<T> rowsPlusOne, int limit, Function<T, String> id) {
        boolean done = rowsPlusOne.size() <= limit;
        List<T> data = done ? rowsPlusOne : rowsPlusOne.subList(0, limit);
        return new ListResponse<>(data, data.isEmpty() ? null : id.apply(data.getLast()), null, done);
    }
}
