package io.iotpm.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.iotpm.api.training.RegisteringTrainer;
import io.iotpm.core.Predictor;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import io.iotpm.ml.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model page's registry card in real headless Chromium: an admin sees the stored models with the
 * active one marked, activates another and rolls back, and predictions follow each switch.
 */
class RegistryDashboardBrowserTest {

    @Test
    void admin_activatesAndRollsBack_fromTheModelPage(@TempDir Path tmp) throws Exception {
        SensorSchema schema = SensorSchema.industrialMotor();
        try (StorageBackend store = StorageBackends.open("memory:")) {
            TwoRegisteredModels m = TwoRegisteredModels.create(tmp.resolve("models"), store);
            ModelRegistry registry = m.registry();
            RegisteringTrainer catalog = m.catalog();
            String first = m.first();
            String second = m.second();
            try (Predictor startup = registry.loadActive(schema).orElseThrow();
                 IotpmServer server = IotpmServer.builder().port(0).storage(store).predictor(startup).trainer(catalog)
                         .users(TestUsers.store()).jwtSecret(TestUsers.SECRET).build().start();
                 Chromium chromium = Chromium.start(1280, 900)) {
                WebDriver driver = chromium.driver;
                WebDriverWait wait = chromium.openPage(server.url(), "alice", TestUsers.ADMIN_PW, "model");

                WebElement table = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("registry-table")));
                assertThat(table.getText()).contains(first, second, "bob");
                assertThat(activeRow(driver)).isEqualTo(first);

                driver.findElement(By.id("activate-" + second)).click();
                wait.until(d -> second.equals(activeRow(d)));
                ApiClient c = new ApiClient(server);
                String admin = c.login("alice", TestUsers.ADMIN_PW);
                assertThat(c.post("/api/predict/PUMP_001", admin, null).json().get("model_version").asText())
                        .isEqualTo(second);

                driver.findElement(By.id("registry-rollback")).click();
                wait.until(d -> first.equals(activeRow(d)));
                JsonNode p = c.post("/api/predict/PUMP_001", admin, null).json();
                assertThat(p.get("model_version").asText()).isEqualTo(first);

                List<String> errors = chromium.consoleErrors();
                assertThat(errors).as("browser console errors").isEmpty();
            }
        }
    }

    /** The version in the registry row marked active, or null. */
    private static String activeRow(WebDriver d) {
        for (WebElement row : d.findElements(By.cssSelector("#registry-table tbody tr"))) {
            if (row.getText().contains("active")) {
                return row.getAttribute("data-version");
            }
        }
        return null;
    }
}
