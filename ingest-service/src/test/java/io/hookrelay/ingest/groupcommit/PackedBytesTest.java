package io.hookrelay.ingest.groupcommit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PackedBytesTest {

    @Test
    void packsValuesEndToEndWithOneBasedStartsAndNullsWithoutBytes() {
        List<byte[]> values = Arrays.asList(new byte[] {1, 2, 3}, null, new byte[0], new byte[] {(byte) 0xff});

        PackedBytes packed = PackedBytes.of(values, Function.identity());

        assertThat(remaining(packed.bytes())).containsExactly(1, 2, 3, 0xff);
        assertThat(packed.starts()).containsExactly(1, null, 4, 4);
        assertThat(packed.lengths()).containsExactly(3, null, 0, 1);
    }

    @Test
    void packsNothingToAnEmptyParameter() {
        PackedBytes packed = PackedBytes.of(List.<byte[]>of(), Function.identity());

        assertThat(packed.bytes().remaining()).isZero();
        assertThat(packed.starts()).isEmpty();
        assertThat(packed.lengths()).isEmpty();
    }

    private static int[] remaining(ByteBuffer buffer) {
        int[] bytes = new int[buffer.remaining()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = buffer.get(buffer.position() + i) & 0xff;
        }
        return bytes;
    }
}
