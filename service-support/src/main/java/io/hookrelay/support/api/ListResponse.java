package io.hookrelay.support.api;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Svix list envelope. Pages are fetched with one extra row: its presence means "not done".
 * {@code iterator} is the id of the last item; {@code prevIterator} is unused until reverse
 * paging lands (issue 4) and is null.
 */
public record ListResponse<T>(List<T> data, @Nullable String iterator, @Nullable String prevIterator, boolean done) {

    public static <T> ListResponse<T> page(List<T> rowsPlusOne, int limit, Function<T, String> id) {
        boolean done = rowsPlusOne.size() <= limit;
        List<T> data = done ? rowsPlusOne : rowsPlusOne.subList(0, limit);
        String iterator = data.isEmpty() ? null : id.apply(data.getLast());
        return new ListResponse<>(data, iterator, null, done);
    }
}
