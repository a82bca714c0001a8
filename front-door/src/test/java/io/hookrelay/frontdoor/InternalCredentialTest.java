package io.hookrelay.frontdoor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InternalCredentialTest {

    @Test
    void refusesToStartWithoutACredential() {
        for (String missing : new String[] {null, "", "   "}) {
            assertThatThrownBy(() -> InternalCredential.require(missing, false))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("hookrelay.internal-token")
                    .hasMessageContaining("HOOKRELAY_INTERNAL_TOKEN")
                    .hasMessageContaining("hookrelay.development.allow-missing-internal-token=true");
        }
    }

    @Test
    void startsWithoutOneOnlyWhenTheDevelopmentSettingSaysSo() {
        assertThat(InternalCredential.require("", true)).isEmpty();
        assertThat(InternalCredential.require(" s3cret ", false)).isEqualTo("s3cret");
    }

    @Test
    void knowsAScopeFromNoScope() {
        assertThat(InternalCredential.isScope("org")).isTrue();
        assertThat(InternalCredential.isScope("app:app_1")).isTrue();
        for (String notAScope : new String[] {null, "", "app:", "ORG", "org ", "application:app_1", "admin"}) {
            assertThat(InternalCredential.isScope(notAScope)).as(String.valueOf(notAScope)).isFalse();
        }
    }
}
