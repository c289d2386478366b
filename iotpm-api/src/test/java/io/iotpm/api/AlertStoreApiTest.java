package io.iotpm.api;

import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.alerts.store.AlertStore;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.test.alerts.FaultyAlertStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Changes the alert store refuses answer 503 and change nothing; once it works again they go through. */
class AlertStoreApiTest {

    final StorageBackend storage = StorageBackends.open("memory:");
    final AlertStore store = AlertStore.inMemory();
    final FaultyAlertStore faulty = new FaultyAlertStore(store);
    final AlertManager alerts = AlertManager.builder().store(faulty)
            .rules(AlertRules.defaults(SensorSchema.industrialMotor())).build();
    final IotpmServer server = IotpmServer.builder().port(0).storage(storage).alerts(alerts).users(TestUsers.store())
            .jwtSecret(TestUsers.SECRET).build().start();
    final ApiClient client = new ApiClient(server);

    @AfterEach
    void stop() {
        server.close();
        alerts.close();
        storage.close();
    }

    @Test
    void changesTheStoreRefuses_answer503_andChangeNothing() {
        String operator = client.login("oscar", TestUsers.OPERATOR_PW);
        String admin = client.login("alice", TestUsers.ADMIN_PW);
        String hot = ReadingJson.of(SensorSchema.industrialMotor()).writeAll(PredictApiTest.readings("HOT_1", 1, 120));
        assertThat(client.post("/api/readings", operator, hot).status()).isEqualTo(201);
        long id = client.get("/api/alerts?device_id=HOT_1&rule=limit.temperature", operator).json().get("alerts").get(0)
                .get("id").asLong();
        faulty.failWrites(true);

        ApiClient.Response ack = client.post("/api/alerts/" + id + "/acknowledge", operator, null);
        assertThat(ack.status()).as(ack.body()).isEqualTo(503);
        assertThat(ack.json().get("error").asText()).isEqualTo("alert_store_unavailable");
        assertThat(client.get("/api/alerts/" + id, operator).json().get("state").asText()).isEqualTo("ACTIVE");
        assertThat(client.post("/api/alerts/silences", operator, "{\"device_id\":\"HOT_1\",\"duration_minutes\":5}")
                .status()).isEqualTo(503);
        assertThat(client.post("/api/rules", admin, "{\"name\":\"p_hi\",\"channel\":\"pressure\",\"above\":9}").status())
                .isEqualTo(503);
        assertThat(client.delete("/api/rules/no_data", admin).status()).isEqualTo(503);
        assertThat(client.get("/api/rules", operator).body()).contains("no_data").doesNotContain("p_hi");

        faulty.failWrites(false);
        assertThat(client.post("/api/alerts/" + id + "/acknowledge", operator, null).json().get("acknowledged_by")
                .asText()).isEqualTo("oscar");
        assertThat(store.get(id).orElseThrow().alert().acknowledgedBy()).isEqualTo("oscar");
    }
}
