package io.hookrelay.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSettingsTest {

    @TempDir
    Path data;

    @Test
    void deliveryServiceRunsAtTheOthersPriorityUnlessToldOtherwise() {
        assertThat(settings(Map.of()).deliveryNiceness()).isZero();
        assertThat(settings(Map.of("HOOKRELAY_DELIVERY_NICENESS", "10")).deliveryNiceness()).isEqualTo(10);
        assertThat(settings(Map.of("HOOKRELAY_DELIVERY_NICENESS", " 19 ")).deliveryNiceness()).isEqualTo(19);
    }

    @Test
    void refusesANicenessNiceWouldNotTakeOrThatWouldRaiseDeliveryAboveTheOthers() {
        for (String wrong : new String[] {"-5", "20", "ten", ""}) {
            assertThatThrownBy(() -> settings(Map.of("HOOKRELAY_DELIVERY_NICENESS", wrong)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("HOOKRELAY_DELIVERY_NICENESS must be 0")
                    .hasMessageContaining("'" + wrong + "'");
        }
    }

    @Test
    void takesAPortAndRefusesWhatIsNone() {
        assertThat(settings(Map.of()).gatewayPort()).isEqualTo(8080);
        assertThat(settings(Map.of("HOOKRELAY_PORT", "18080")).gatewayPort()).isEqualTo(18080);
        for (String wrong : new String[] {"0", "65536", "http"}) {
            assertThatThrownBy(() -> settings(Map.of("HOOKRELAY_PORT", wrong)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("HOOKRELAY_PORT must be a port number (1-65535), not '" + wrong + "'");
        }
    }

    @Test
    void aPlatformForTestsRunsDeliveryAsBinRunLocalDoes() {
        assertThat(new LocalSettings(data, data, 8080, "token", false).deliveryNiceness())
                .isEqualTo(LocalSettings.DEFAULT_DELIVERY_NICENESS);
    }

    private LocalSettings settings(Map<String, String> environment) {
        var all = new HashMap<>(environment);
        all.put("HOOKRELAY_DATA", data.toString());
        all.put("HOOKRELAY_ADMIN_TOKEN", "token");
        return LocalSettings.from(all);
    }
}
