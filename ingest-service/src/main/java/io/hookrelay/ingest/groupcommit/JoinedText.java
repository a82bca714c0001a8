package io.hookrelay.ingest.groupcommit;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * A column of a batch statement bound as ONE text parameter: the values joined by the ASCII record
 * separator (U+001E), a null written as the unit separator (U+001F), split again in SQL by
 * {@link #split(int)}. Neither control character can appear unescaped in JSON text (RFC 8259 §7),
 * and every value joined here is JSON: a value that holds one anyway is refused with an
 * {@link IllegalArgumentException}, on which a group commit runs its batch one by one.
 *
 * <p>Why not a {@code text[]} or a {@code bytea}: the R2DBC driver writes every element of an
 * array parameter into an array literal character by character, escaping as it goes, and a
 * {@code bytea} as hex — for the payloads of a batch, the accept's largest allocations
 * (docs/benchmarks.md). A text is written once, as it is.
 */
public final class JoinedText {

    private static final char SEPARATOR = '\u001e';
    private static final char NULL = '\u001f';

    private JoinedText() {}

    /** The SQL that turns parameter {@code $index} back into a {@code text[]}, one element per value. */
    public static String split(int index) {
        // string_to_array('') is an empty array, not one empty string
        return "(case when $" + index + "::text = '' then array['']::text[]"
                + " else string_to_array($" + index + "::text, chr(30), chr(31)) end)";
    }

    public static <T> String of(List<T> rows, Function<T, String> value) {
        var joined = new StringBuilder(rows.size() * 600);
        for (int i = 0; i < rows.size(); i++) {
            if (i > 0) {
                joined.append(SEPARATOR);
            }
            String text = value.apply(rows.get(i));
            if (text == null) {
                joined.append(NULL);
            } else if (text.indexOf(SEPARATOR) >= 0 || text.indexOf(NULL) >= 0) {
                throw new IllegalArgumentException("A value with an unescaped control character cannot be joined");
            } else {
                joined.append(text);
            }
        }
        return joined.toString();
    }

    /**
     * UTF-8 bytes as text, for a {@code bytea} column ({@code convert_to(…, 'UTF8')} gives them
     * back). Bytes that are not UTF-8 are refused like a separator: decoding would replace them
     * with U+FFFD. A U+FFFD that the bytes really hold (a payload may) is kept.
     */
    public static <T> String ofUtf8(List<T> rows, Function<T, byte[]> value) {
        return of(rows, row -> {
            byte[] bytes = value.apply(row);
            if (bytes == null) {
                return null;
            }
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (text.indexOf('\ufffd') >= 0) {
                requireUtf8(bytes); // the rare case: replaced malformed input, or a real U+FFFD?
            }
            return text;
        });
    }

    private static void requireUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException notUtf8) {
            throw new IllegalArgumentException("Not UTF-8 text", notUtf8);
        }
    }
}
