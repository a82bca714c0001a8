package io.hookrelay.ingest.api;

import io.hookrelay.support.api.ApiException;
import io.hookrelay.support.api.ListResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a Svix cursor listing. {@code iterator} continues after the last item of a page;
 * {@code prevIterator} is the first item's key prefixed with {@code -} and walks back. Keys are
 * unique and sortable (KSUID ids, event type names), so the order is stable under inserts.
 *
 * @param cursor the key to continue from, or null for the first page
 * @param backwards whether the cursor came from a {@code prevIterator}
 * @param descending the order the client asked for (newest first for ids)
 */
public record Page(int limit, String cursor, boolean backwards, boolean descending) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 250;

    /** {@code order} is Svix's {@code Ordering}; null takes {@code defaultDescending}. */
    public static Page of(Integer limit, String iterator, String order, boolean defaultDescending) {
        int size = limit == null ? DEFAULT_LIMIT : Math.clamp(limit, 1, MAX_LIMIT);
        boolean descending = switch (order == null ? "" : order) {
            case "" -> defaultDescending;
            case "ascending" -> false;
            case "descending" -> true;
            default -> throw ApiException.validation("order", "order must be 'ascending' or 'descending'");
        };
        if (iterator == null || iterator.isEmpty()) {
            return new Page(size, null, false, descending);
        }
        boolean backwards = iterator.startsWith("-");
        return new Page(size, backwards ? iterator.substring(1) : iterator, backwards, descending);
    }

    /** The direction rows are read in: a backward page reads against the requested order. */
    private boolean scanDescending() {
        return descending != backwards;
    }

    /**
     * A SQL condition on {@code column} for the cursor (bind {@code :cursor}), or null without one.
     * Keys compare byte-wise ({@code collate "C"}): base62 KSUIDs sort by time only so, whatever
     * the database's locale.
     */
    public String condition(String column) {
        return cursor == null ? null : column + " collate \"C\"" + (scanDescending() ? " < :cursor" : " > :cursor");
    }

    public String orderBy(String column) {
        return " order by " + column + " collate \"C\"" + (scanDescending() ? " desc" : " asc") + " limit " + (limit + 1);
    }

    /** Builds the envelope from the rows read (at most one more than the limit). */
    public <T> ListResponse<T> response(List<T> rowsPlusOne, Function<T, String> key) {
        boolean more = rowsPlusOne.size() > limit;
        List<T> data = new ArrayList<>(more ? rowsPlusOne.subList(0, limit) : rowsPlusOne);
        if (backwards) {
            Collections.reverse(data);
        }
        if (data.isEmpty()) {
            // Nothing here: hand the cursor back so the client can wait and ask again.
            String again = cursor;
            return new ListResponse<>(data, backwards ? null : again, backwards ? "-" + again : null, true);
        }
        String iterator = key.apply(data.getLast());
        String prevIterator = "-" + key.apply(data.getFirst());
        return new ListResponse<>(data, iterator, prevIterator, !more);
    }
}
