package io.hookrelay.support.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Operators;
import reactor.netty.channel.AbortedException;
import reactor.util.context.Context;

class DroppedErrorsTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(DroppedErrors.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void capture() {
        logged.start();
        logger.addAppender(logged);
        logger.setLevel(Level.DEBUG);
        DroppedErrors.install();
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
        logger.setLevel(null);
    }

    @Test
    void aResponseToACallerWhoHungUpIsADebugLineWithoutAStack() {
        Operators.onErrorDropped(AbortedException.beforeSend(), Context.empty());
        Operators.onErrorDropped(new IOException("Connection reset by peer"), Context.empty());
        Operators.onErrorDropped(new IOException("Broken pipe"), Context.empty());

        assertThat(logged.list).hasSize(3).allSatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.DEBUG);
            assertThat(event.getThrowableProxy()).isNull();
        });
    }

    @Test
    void anyOtherDroppedErrorIsStillAnErrorWithItsStack() {
        Operators.onErrorDropped(new IllegalStateException("a bug"), Context.empty());
        Operators.onErrorDropped(new IOException("No space left on device"), Context.empty());

        assertThat(logged.list).hasSize(2).allSatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getThrowableProxy()).isNotNull();
        });
    }
}
