package io.iotpm.core.storage;

import io.iotpm.core.DeviceEvent;
import io.iotpm.core.SensorReading;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageBackendsTest {

    /** A provider that records what it was asked to open. */
    static final class FakeProvider implements StorageProvider {
        final String scheme;
        StorageLocation lastLocation;

        FakeProvider(String scheme) {
            this.scheme = scheme;
        }

        @Override
        public String scheme() {
            return scheme;
        }

        @Override
        public StorageBackend open(StorageLocation location) {
            location.requireKnownOptions(Set.of("size"));
            lastLocation = location;
            return new NoStore();
        }
    }

    /** A backend that stores nothing; only identity matters here. */
    static final class NoStore implements StorageBackend {
        @Override public void append(SensorReading reading) { }
        @Override public void appendAll(Collection<SensorReading> readings) { }
        @Override public List<SensorReading> latest(String deviceId, int n) { return List.of(); }
        @Override public List<SensorReading> range(String deviceId, Instant from, Instant to) { return List.of(); }
        @Override public List<DeviceInfo> devices() { return List.of(); }
        @Override public long count(String deviceId) { return 0; }
        @Override public void appendEvent(DeviceEvent event) { }
        @Override public List<DeviceEvent> events(String deviceId, Instant from, Instant to) { return List.of(); }
        @Override public long deleteBefore(Instant cutoff) { return 0; }
        @Override public void close() { }
    }

    @Test
    void open_usesTheRegisteredProviderForTheScheme_withPathAndOptions() {
        FakeProvider fake = new FakeProvider("fake");
        StorageBackends backends = StorageBackends.builder().register(fake).build();

        StorageBackend s = backends.openUri("fake:/var/iot/x.db?size=10");

        assertThat(s).isInstanceOf(NoStore.class);
        assertThat(fake.lastLocation.path()).isEqualTo("/var/iot/x.db");
        assertThat(fake.lastLocation.intOption("size", 0)).isEqualTo(10);
        assertThat(backends.schemes()).containsExactly("fake");
    }

    @Test
    void open_withUnknownScheme_namesTheKnownSchemes() {
        StorageBackends backends = StorageBackends.builder()
                .register(new FakeProvider("memory")).register(new FakeProvider("sqlite")).build();
        assertThatThrownBy(() -> backends.openUri("mongo://localhost/iot"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mongo'").hasMessageContaining("memory, sqlite");
    }

    @Test
    void open_withUnknownOption_namesItAndTheKnownOnes() {
        StorageBackends backends = StorageBackends.builder().register(new FakeProvider("fake")).build();
        assertThatThrownBy(() -> backends.openUri("fake:x?sise=3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[sise]").hasMessageContaining("[size]");
    }

    @Test
    void register_rejectsASecondProviderForTheSameScheme() {
        StorageBackends.Builder b = StorageBackends.builder().register(new FakeProvider("fake"));
        assertThatThrownBy(() -> b.register(new FakeProvider("fake")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'fake'");
    }

    @Test
    void register_rejectsAnInvalidScheme() {
        assertThatThrownBy(() -> StorageBackends.builder().register(new FakeProvider("No Scheme")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'No Scheme'");
    }

    @Test
    void discover_findsProvidersListedInMetaInfServices_andRegisteredOnesWin(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path services = tmp.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(StorageProvider.class.getName()), DiscoveredProvider.class.getName() + "\n");
        try (URLClassLoader cl = new URLClassLoader(new URL[] {tmp.toUri().toURL()}, getClass().getClassLoader())) {
            StorageBackends discovered = StorageBackends.builder().discover(cl).build();
            assertThat(discovered.schemes()).contains("disc");
            assertThat(discovered.provider("disc")).isInstanceOf(DiscoveredProvider.class);

            FakeProvider mine = new FakeProvider("disc");
            StorageBackends both = StorageBackends.builder().register(mine).discover(cl).build();
            assertThat(both.provider("disc")).isSameAs(mine);
        }
    }

    @Test
    void staticOpen_withNoProviderOnTheClassPath_explainsWhy() {
        assertThatThrownBy(() -> StorageBackends.open("nosuchscheme:x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nosuchscheme'").hasMessageContaining("known schemes");
    }

    /** Listed in a generated META-INF/services file by the discovery test. */
    public static final class DiscoveredProvider implements StorageProvider {
        @Override
        public String scheme() {
            return "disc";
        }

        @Override
        public StorageBackend open(StorageLocation location) {
            return new NoStore();
        }
    }
}
