package io.hookrelay.support.r2dbc;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;

/** For a connection held for the life of the process, which must not take one of the pool's. */
public final class Unpooled {

    private Unpooled() {}

    /** The factory underneath any pool (or other wrapper) around {@code factory}. */
    public static ConnectionFactory connections(ConnectionFactory factory) {
        ConnectionFactory current = factory;
        while (current instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof ConnectionFactory inner) {
            current = inner;
        }
        return current;
    }
}
