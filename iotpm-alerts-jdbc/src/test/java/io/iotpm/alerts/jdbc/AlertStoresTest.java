package io.iotpm.alerts.jdbc;

import io.iotpm.alerts.AlertQuery;
import io.iotpm.alerts.store.AlertStore;
import io.iotpm.alerts.store.AlertStoreException;
import io.iotpm.alerts.store.AlertStores;
import io.iotpm.test.server.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Opening alert stores by URI, as {@code STORAGE_URI} does, and what the JDBC store says when it cannot. */
class AlertStoresTest {

    @TempDir
    Path dir;

    @Test
    void besideStorage_putsAlertsInASiblingSqliteFile_orTheSameDatabase() {
        assertThat(AlertStores.besideStorage("sqlite:data/iot.db?synchronous=full")).isEqualTo("sqlite:data/iot.alerts.db");
        assertThat(AlertStores.besideStorage("sqlite:/var/iot/store")).isEqualTo("sqlite:/var/iot/store.alerts.db");
        assertThat(AlertStores.besideStorage("csv:data/csv")).isEqualTo("sqlite:data/csv/alerts.db");
        assertThat(AlertStores.besideStorage("postgresql://iot@db:5432/iot?poolSize=4"))
                .isEqualTo("postgresql://iot@db:5432/iot");
        assertThat(AlertStores.besideStorage("memory:")).isEqualTo("memory:");
        assertThat(AlertStores.besideStorage("redis://localhost:6379/0")).isEqualTo("memory:");
    }

    @Test
    void open_findsTheSqliteProviderOnTheClassPath() {
        Path file = dir.resolve("sub/iot.alerts.db");
        try (AlertStore s = AlertStores.open("sqlite:" + file)) {
            assertThat(s).isInstanceOf(JdbcAlertStore.class);
            assertThat(s.description()).isEqualTo("sqlite:" + file.toAbsolutePath());
            assertThat(s.reserveIds(AlertStore.ALERT_IDS, 1)).isEqualTo(1);
        }
        assertThat(file).exists();
    }

    @Test
    void open_rejectsUnknownSchemesAndOptions_namingThem() {
        assertThatThrownBy(() -> AlertStores.open("mongo://x/y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mongo'").hasMessageContaining("memory:").hasMessageContaining("sqlite:PATH");
        assertThatThrownBy(() -> AlertStores.open("sqlite:" + dir.resolve("a.db") + "?synchronus=full"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("synchronus");
        assertThatThrownBy(() -> AlertStores.open("sqlite:" + dir.resolve("a.db") + "?synchronous=sometimes"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sometimes");
        assertThatThrownBy(() -> AlertStores.open("postgresql://iot:hunter2@db/iot"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PGPASSWORD")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> AlertStores.open("postgresql://db")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DATABASE");
    }

    @Test
    void sqlite_onAFileThatIsNotADatabase_failsNamingIt() throws Exception {
        Path file = dir.resolve("notes.db");
        Files.writeString(file, "this is not a database, just some text that is long enough to have a header".repeat(20));
        assertThatThrownBy(() -> JdbcAlertStore.sqlite(file)).isInstanceOf(AlertStoreException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("not an SQLite database");
        assertThat(Files.readString(file)).startsWith("this is not a database");
    }

    @Test
    void postgres_storeReconnectsAfterTheServerRestarted() {
        try (PostgresServer pg = PostgresServer.start()) {
            String db = pg.createDatabase("alerts_restart");
            try (AlertStore s = JdbcAlertStore.open(pg.jdbcUrl(db), pg.user(), pg.password())) {
                long first = s.reserveIds(AlertStore.ALERT_IDS, 10);
                pg.stopImmediate();
                pg.restart();
                assertThat(s.reserveIds(AlertStore.ALERT_IDS, 1)).isEqualTo(first + 10);
                assertThat(s.history(AlertQuery.all())).isEmpty();
                assertThat(s.description()).isEqualTo("postgresql://127.0.0.1:" + pg.port() + "/" + db)
                        .doesNotContain(pg.password());
            }
        }
    }
}
