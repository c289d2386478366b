package io.iotpm.core.json;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class IsoInstantsTest {

    private static final long MIN = Instant.parse("1678-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX = Instant.parse("2261-12-31T23:59:59Z").getEpochSecond();

    @Test
    void format_isExactlyInstantToString_forEveryPrecision() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 50_000; i++) {
            long sec = rnd.nextLong(MIN, MAX);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> rnd.nextInt(1_000) * 1_000_000;
                case 2 -> rnd.nextInt(1_000_000) * 1_000;
                default -> rnd.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(sec, nano);
            assertThat(IsoInstants.format(t)).isEqualTo(t.toString());
        }
        for (Instant edge : List.of(Instant.EPOCH, Instant.ofEpochSecond(-1, 999_999_999), Instant.ofEpochSecond(MAX, 1),
                Instant.parse("2024-02-29T23:59:59.999Z"), Instant.parse("-0001-01-01T00:00:00Z"),
                Instant.parse("+10000-01-01T00:00:00Z"))) {
            assertThat(IsoInstants.format(edge)).isEqualTo(edge.toString());
        }
    }

    @Test
    void parseSimple_agreesWithJavaTime_withAndWithoutZ_andAnyFractionLength() {
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < 50_000; i++) {
            Instant t = Instant.ofEpochSecond(rnd.nextLong(MIN, MAX), rnd.nextInt(1_000_000_000));
            String base = t.toString().substring(0, 19);
            int digits = rnd.nextInt(10);
            String fraction = digits == 0 ? "" : "." + String.format("%09d", t.getNano()).substring(0, digits);
            String zulu = base + fraction + "Z";
            String local = base + fraction;
            assertThat(IsoInstants.parseSimple(zulu)).isEqualTo(Instant.parse(zulu));
            assertThat(IsoInstants.parseSimple(local)).isEqualTo(LocalDateTime.parse(local).toInstant(ZoneOffset.UTC));
        }
    }

    @Test
    void parseSimple_leavesEveryOtherFormToJavaTime() {
        for (String s : List.of("", "2026-01-01", "2026-01-01T00:00Z", "2026-02-30T00:00:00Z", "2025-02-29T00:00:00Z",
                "2026-13-01T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T23:60:00Z", "2026-12-31T23:59:60Z",
                "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00.1234567890Z", "2026-01-01T00:00:00+01:00",
                "2026-01-01T00:00:00-05:00", "2026-01-01t00:00:00Z", "2026-01-01T00:00:00z", "2026-01-01T0a:00:00Z",
                "+2026-01-01T00:00:00Z", "2026/01/01T00:00:00Z", "2026-01-01T00:00:00.12a4Z")) {
            assertThat(IsoInstants.parseSimple(s)).as(s).isNull();
        }
        assertThat(IsoInstants.parseSimple("2024-02-29T12:00:00Z")).isEqualTo(Instant.parse("2024-02-29T12:00:00Z"));
    }
}
