package io.iotpm.ml;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineOptionsTest {

    @Test
    void defaults_areOfflineWithOneThreadPerPool() {
        assertThat(EngineOptions.defaults().systemProperties()).containsExactly(
                Map.entry("ai.djl.pytorch.num_threads", "1"),
                Map.entry("ai.djl.pytorch.num_interop_threads", "1"),
                Map.entry("ai.djl.offline", "true"));
    }

    @Test
    void zeroThreads_leavesPyTorchsDefault() {
        EngineOptions o = EngineOptions.builder().intraOpThreads(0).interOpThreads(4).offline(false).build();
        assertThat(o.systemProperties()).containsExactly(
                Map.entry("ai.djl.pytorch.num_interop_threads", "4"),
                Map.entry("ai.djl.offline", "false"));
    }

    @Test
    void apply_setsOnlyPropertiesTheHostLeftUnset() {
        Map<String, String> before = Map.of(
                EngineOptions.OFFLINE, String.valueOf(System.getProperty(EngineOptions.OFFLINE)),
                EngineOptions.INTRA_OP_THREADS, String.valueOf(System.getProperty(EngineOptions.INTRA_OP_THREADS)),
                EngineOptions.INTER_OP_THREADS, String.valueOf(System.getProperty(EngineOptions.INTER_OP_THREADS)));
        try {
            System.clearProperty(EngineOptions.INTER_OP_THREADS);
            System.setProperty(EngineOptions.INTRA_OP_THREADS, "3");
            System.clearProperty(EngineOptions.OFFLINE);
            Map<String, String> set = EngineOptions.builder().intraOpThreads(2).interOpThreads(2).build().apply();
            assertThat(set).containsExactly(Map.entry(EngineOptions.INTER_OP_THREADS, "2"),
                    Map.entry(EngineOptions.OFFLINE, "true"));
            assertThat(System.getProperty(EngineOptions.INTRA_OP_THREADS)).isEqualTo("3");
            assertThat(System.getProperty(EngineOptions.INTER_OP_THREADS)).isEqualTo("2");
        } finally {
            before.forEach((k, v) -> {
                if (v.equals("null")) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    @Test
    void threads_areValidated() {
        assertThatThrownBy(() -> EngineOptions.builder().intraOpThreads(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("intraOpThreads must be in [0, 1024], but was -1");
        assertThatThrownBy(() -> EngineOptions.builder().interOpThreads(2000))
                .hasMessage("interOpThreads must be in [0, 1024], but was 2000");
    }
}
