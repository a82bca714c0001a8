package io.hookrelay.ingest.groupcommit;

import java.util.StringJoiner;

/** SQL for multi-row statements with PostgreSQL's positional markers ({@code $1}, {@code $2}, ...). */
public final class Rows {

    private Rows() {}

    /**
     * {@code ($1::t1, $2::t2), ($3::t1, $4::t2), ...}: {@code rows} tuples of the given column types
     * (an empty type leaves that column without a cast).
     */
    public static String values(int rows, String... columnTypes) {
        var all = new StringJoiner(", ");
        int marker = 1;
        for (int row = 0; row < rows; row++) {
            var tuple = new StringJoiner(", ", "(", ")");
            for (String type : columnTypes) {
                tuple.add("$" + marker++ + (type.isEmpty() ? "" : "::" + type));
            }
            all.add(tuple.toString());
        }
        return all.toString();
    }
}
