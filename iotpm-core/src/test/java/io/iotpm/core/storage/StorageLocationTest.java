package io.iotpm.core.storage;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageLocationTest {

    @Test
    void parse_splitsSchemePathAndOptions() {
        StorageLocation l = StorageLocation.parse("sqlite:/var/iot/iot.db?synchronous=full&readers=2");
        assertThat(l.scheme()).isEqualTo("sqlite");
        assertThat(l.path()).isEqualTo("/var/iot/iot.db");
        assertThat(l.options()).containsExactly(java.util.Map.entry("synchronous", "full"),
                java.util.Map.entry("readers", "2"));
        assertThat(l.intOption("readers", 4)).isEqualTo(2);
        assertThat(l.intOption("missing", 4)).isEqualTo(4);
    }

    @Test
    void parse_acceptsEmptyAndRelativePaths_andPercentEscapes() {
        assertThat(StorageLocation.parse("memory:").path()).isEmpty();
        assertThat(StorageLocation.parse("memory:?capacityPerDevice=100_000").intOption("capacityPerDevice", 1))
                .isEqualTo(100_000);
        assertThat(StorageLocation.parse("csv:data/iot").path()).isEqualTo("data/iot");
        assertThat(StorageLocation.parse("CSV:x?name=a%20b+c").option("name")).isEqualTo("a b+c");
        assertThat(StorageLocation.parse("CSV:x").scheme()).isEqualTo("csv");
    }

    @Test
    void parse_rejectsMissingSchemeAndRepeatedOptions() {
        for (String bad : List.of("", "/var/iot", ":x", "9x:y")) {
            assertThatThrownBy(() -> StorageLocation.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> StorageLocation.parse("csv:x?a=1&a=2")).hasMessageContaining("'a' twice");
        assertThatThrownBy(() -> StorageLocation.parse("csv:x?=1")).hasMessageContaining("without a name");
        assertThatThrownBy(() -> StorageLocation.parse("csv:x?a=%zz")).hasMessageContaining("%zz");
    }

    @Test
    void typedOptions_nameTheBadValue() {
        StorageLocation l = StorageLocation.parse("memory:?capacityPerDevice=lots&fsync=maybe");
        assertThatThrownBy(() -> l.intOption("capacityPerDevice", 1)).hasMessageContaining("'lots'");
        assertThatThrownBy(() -> l.booleanOption("fsync", false)).hasMessageContaining("'maybe'");
        assertThatThrownBy(() -> StorageLocation.parse("csv:").requirePath()).hasMessageContaining("needs a path");
    }
}
