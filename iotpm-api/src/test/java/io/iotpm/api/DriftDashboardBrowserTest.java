package io.iotpm.api;

import io.iotpm.alerts.AlertManager;
import io.iotpm.core.drift.DriftMonitor;
import io.iotpm.core.drift.DriftReference;
import io.iotpm.core.sim.Fleet;
import io.iotpm.core.storage.StorageBackend;
import io.iotpm.core.storage.StorageBackends;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model page's drift card in real headless Chromium: a viewer sees one PSI bar per channel, the
 * shifted channel marked as drifting with a bar past the threshold mark.
 */
class DriftDashboardBrowserTest {

    @Test
    void viewer_seesTheShiftedChannelDriftOnTheModelPage() throws Exception {
        Fleet fleet = Fleet.builder().devices(3).seed(21).failureProbability(0).start(DriftApiTest.T0)
                .interval(Duration.ofMinutes(5)).build();
        DriftMonitor drift = DriftMonitor.builder(DriftReference.fromReadings(DriftApiTest.MOTOR,
                fleet.history(Duration.ofDays(7)).toList())).window(1_296).build();
        // A week of training data and a day and a half in the window, so the daily load cycle and the weather
        // average out and only the shifted channel drifts.
        try (StorageBackend store = StorageBackends.open("memory:");
             AlertManager alerts = AlertManager.builder().tickInterval(Duration.ZERO).build();
             IotpmServer server = IotpmServer.builder().port(0).storage(store).alerts(alerts).drift(drift)
                     .users(TestUsers.store()).jwtSecret(TestUsers.SECRET).build().start();
             Chromium chromium = Chromium.start(1280, 900)) {
            ApiClient c = new ApiClient(server);
            DriftApiTest.postShifted(c, c.login("oscar", TestUsers.OPERATOR_PW), fleet, "voltage", 6, 2 * 288);

            WebDriverWait wait = chromium.openPage(server.url(), "vera", TestUsers.VIEWER_PW, "model");

            WebElement card = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("drift-card")));
            wait.until(d -> !card.findElements(By.cssSelector("tr[data-channel]")).isEmpty());
            List<WebElement> rows = card.findElements(By.cssSelector("tr[data-channel]"));
            assertThat(rows).hasSize(DriftApiTest.MOTOR.size());
            List<WebElement> drifting = card.findElements(By.cssSelector("tr.drifting"));
            assertThat(drifting).extracting(r -> r.getAttribute("data-channel")).containsExactly("voltage");
            WebElement row = drifting.get(0);
            assertThat(row.getText()).contains("voltage", "major", "1296");
            double fill = row.findElement(By.className("drift-fill")).getSize().getWidth();
            double mark = row.findElement(By.className("drift-mark")).getLocation().getX()
                    - row.findElement(By.className("drift-bar")).getLocation().getX();
            assertThat(fill).as("the bar passes the threshold mark").isGreaterThan(mark);

            List<String> errors = chromium.consoleErrors();
            assertThat(errors).as("browser console errors").isEmpty();
        }
    }
}
