package io.iotpm.core;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SensorSchemaTest {

    @Test
    void industrialMotor_hasTheTenOriginalChannelsInOrderWithTheirBaselines() {
        SensorSchema s = SensorSchema.industrialMotor();
        assertThat(s.channels()).extracting(Channel::name).containsExactly("temperature", "vibration_x",
                "vibration_y", "vibration_z", "pressure", "rpm", "current", "voltage", "power_factor", "noise");
        assertThat(s.channel(s.requireIndex("temperature")).nominal()).isEqualTo(65);
        assertThat(s.channel(s.requireIndex("temperature")).unit()).isEqualTo("°C");
        assertThat(s.channel(s.requireIndex("pressure")).nominal()).isEqualTo(2.5);
        assertThat(s.channel(s.requireIndex("rpm")).nominal()).isEqualTo(1800);
        assertThat(s.channel(s.requireIndex("current")).nominal()).isEqualTo(15);
        assertThat(s.channel(s.requireIndex("voltage")).nominal()).isEqualTo(220);
        assertThat(s.channel(s.requireIndex("power_factor")).nominal()).isEqualTo(0.95);
        assertThat(s.channel(s.requireIndex("noise")).nominal()).isEqualTo(45);
        for (String v : new String[] {"vibration_x", "vibration_y", "vibration_z"}) {
            assertThat(s.channel(s.requireIndex(v)).nominal()).isBetween(0.3, 0.5);
        }
        assertThat(SensorSchema.industrialMotor()).isSameAs(s);
    }

    @Test
    void requireIndex_namesKnownChannelsForAnUnknownOne() {
        assertThatThrownBy(() -> SensorSchema.industrialMotor().requireIndex("humidity"))
                .hasMessageContaining("unknown channel 'humidity'").hasMessageContaining("temperature, vibration_x");
        assertThat(SensorSchema.industrialMotor().indexOf("humidity")).isEqualTo(-1);
    }

    @Test
    void builder_rejectsDuplicateChannelsAndEmptySchemas() {
        assertThatThrownBy(() -> SensorSchema.builder("x").channel(Channel.builder("a")).channel(Channel.builder("a")).build())
                .hasMessageContaining("channel 'a' twice");
        assertThatThrownBy(() -> SensorSchema.builder("x").build()).hasMessageContaining("at least one channel");
        assertThatThrownBy(() -> SensorSchema.builder("bad name").channel(Channel.builder("a")).build())
                .hasMessageContaining("schema name");
    }

    @Test
    void channel_rejectsUnsafeNamesAndDisorderedRanges() {
        assertThatThrownBy(() -> Channel.builder("Temp; DROP").build()).hasMessageContaining("channel name");
        assertThatThrownBy(() -> Channel.builder("t").physicalRange(0, 10).normalRange(5, 20).build())
                .hasMessageContaining("physicalMin <= normalMin");
    }

    @Test
    void schemasWithTheSameChannelsAreEqual() {
        SensorSchema a = SensorSchema.builder("s").channel(Channel.builder("x").physicalRange(0, 1)).build();
        SensorSchema b = SensorSchema.builder("s").channel(Channel.builder("x").physicalRange(0, 1)).build();
        SensorSchema c = SensorSchema.builder("s").channel(Channel.builder("x").physicalRange(0, 2)).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
    }
}
