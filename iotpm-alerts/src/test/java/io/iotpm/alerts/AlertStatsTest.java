package io.iotpm.alerts;

import io.iotpm.core.metrics.AlertCounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AlertStatsTest {

    private final AlertManagerTest fixture = new AlertManagerTest();

    @AfterEach
    void close() {
        fixture.closeAll();
    }

    @Test
    void stats_countFiredAndResolvedByPriority_andConvertToCoreCounts() throws Exception {
        AlertRule low = AlertRule.named("warm").when(Condition.above("temperature", 75)).priority(Priority.LOW).build();
        AlertManager m = fixture.build(fixture.manager().rule(low).rule(AlertManagerTest.overheat()));
        m.process(fixture.reading("PUMP_001", 90));
        m.process(fixture.reading("PUMP_002", 80));
        Alert hot = m.active().stream().filter(a -> a.priority() == Priority.HIGH).findFirst().orElseThrow();
        m.resolve(hot.id(), "ops");

        AlertStats stats = m.stats();
        assertThat(stats.firedByPriority()).containsExactlyInAnyOrderEntriesOf(Map.of(Priority.LOW, 2L,
                Priority.MEDIUM, 0L, Priority.HIGH, 1L, Priority.CRITICAL, 0L));
        assertThat(stats.resolvedByPriority()).containsEntry(Priority.HIGH, 1L).containsEntry(Priority.LOW, 0L);

        AlertCounts counts = stats.counts();
        assertThat(counts.firedByPriority()).containsEntry("LOW", 2L).containsEntry("HIGH", 1L).hasSize(4);
        assertThat(counts.resolvedByPriority()).containsEntry("HIGH", 1L);
        assertThat(counts.notifiers()).singleElement().satisfies(n -> assertThat(n.name()).isEqualTo(
                stats.notifiers().get(0).name()));
    }

    @Test
    void oldConstructor_reportsZeroForEveryPriority() {
        AlertStats s = new AlertStats(1, 2, 3, 4, 5, 6, 7, 8, java.util.List.of());
        assertThat(s.firedByPriority()).hasSize(Priority.values().length).allSatisfy((p, n) -> assertThat(n).isZero());
    }
}
