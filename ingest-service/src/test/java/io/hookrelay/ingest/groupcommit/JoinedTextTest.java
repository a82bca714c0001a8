package io.hookrelay.ingest.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class JoinedTextTest {

    @Test
    void joinsValuesWithTheRecordSeparatorAndWritesNullAsTheUnitSeparator() {
        assertThat(JoinedText.of(Arrays.asList("{\"a\":1}", null, "", "é"), Function.identity()))
                .isEqualTo("{\"a\":1}\u001e\u001f\u001e\u001eé");
    }

    @Test
    void refusesAValueHoldingEitherSeparator() {
        assertThatIllegalArgumentException().isThrownBy(() -> JoinedText.of(List.of("a\u001eb"), Function.identity()));
        assertThatIllegalArgumentException().isThrownBy(() -> JoinedText.of(List.of("\u001f"), Function.identity()));
    }

    @Test
    void takesUtf8BytesAndRefusesBytesThatAreNot() {
        assertThat(JoinedText.ofUtf8(List.of("✓".getBytes(StandardCharsets.UTF_8)), Function.identity())).isEqualTo("✓");
        assertThatIllegalArgumentException().isThrownBy(
                () -> JoinedText.ofUtf8(List.of(new byte[] {(byte) 0xc3}), Function.identity()));
        assertThatIllegalArgumentException().isThrownBy(
                () -> JoinedText.ofUtf8(List.of(new byte[] {'a', (byte) 0xff, 'b'}), Function.identity()));
    }

    /** Malformed input decodes to U+FFFD too; a real one, as a payload may hold, is not refused. */
    @Test
    void keepsAReplacementCharacterTheBytesReallyHold() {
        byte[] real = "M\ufffdller".getBytes(StandardCharsets.UTF_8);

        assertThat(JoinedText.ofUtf8(List.of(real), Function.identity())).isEqualTo("M\ufffdller");
        assertThatIllegalArgumentException().isThrownBy(() -> JoinedText.ofUtf8(
                List.of(real, new byte[] {'M', (byte) 0xc3, 'l'}), Function.identity()));
    }
}
