package io.hookrelay.ingest.groupcommit;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;

/**
 * A column of byte strings for a batch statement, bound as ONE {@code bytea} parameter and two
 * {@code int[]} (where each value starts, 1-based, and its length; both null for a null value),
 * read back row by row with {@code substring($bytes from start for length)}.
 *
 * <p>Why not a {@code bytea[]} or a {@code text[]} of hex: the R2DBC driver binds no {@code bytea[]},
 * and it writes every element of a {@code text[]} into an array literal character by character,
 * escaping as it goes — for the payloads of a batch that was the largest allocation site of the
 * accept (docs/benchmarks.md). A single {@code bytea} is written in one piece.
 */
public record PackedBytes(ByteBuffer bytes, Integer[] starts, Integer[] lengths) {

    public static <T> PackedBytes of(List<T> rows, Function<T, byte[]> value) {
        int size = rows.size();
        var values = new byte[size][];
        int total = 0;
        for (int i = 0; i < size; i++) {
            values[i] = value.apply(rows.get(i));
            total += values[i] == null ? 0 : values[i].length;
        }
        var bytes = ByteBuffer.allocate(total);
        var starts = new Integer[size];
        var lengths = new Integer[size];
        for (int i = 0; i < size; i++) {
            if (values[i] != null) {
                starts[i] = bytes.position() + 1;
                lengths[i] = values[i].length;
                bytes.put(values[i]);
            }
        }
        return new PackedBytes(bytes.flip(), starts, lengths);
    }
}
