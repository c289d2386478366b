package io.iotpm.api;

import com.sun.net.httpserver.HttpServer;
import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertRule;
import io.iotpm.alerts.Priority;
import io.iotpm.alerts.notify.WebhookNotifier;
import io.iotpm.alerts.rules.AlertRules;
import io.iotpm.api.auth.Role;
import io.iotpm.api.auth.User;
import io.iotpm.api.auth.UserStore;
import io.iotpm.api.internal.Json;
import io.iotpm.api.training.LstmTrainer;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.sim.Fleet;
import io.iotpm.ml.LstmPredictor;
import io.iotpm.storage.memory.MemoryStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drives the dashboard in real headless Chromium against a real server on an ephemeral port, fed with
 * simulated readings through the real ingest endpoint. Each test leaves a screenshot in
 * {@code target/screenshots/} and fails on any browser console error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    static final Path SHOTS = Path.of("target", "screenshots");
    static final int DEVICES = 4;
    /** Ceiling of every wait for the page: generous, since CI machines may be slow or busy; passing runs never reach it. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Ceiling for the real (tiny) LSTM training job, which takes seconds on an idle machine. */
    static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(5);

    private final List<String> allowedConsoleErrors = new ArrayList<>();
    private MemoryStorage storage;
    private AlertManager alerts;
    /** A real webhook receiver (JDK HttpServer) behind the alert manager's webhook notifier. */
    private HttpServer hooks;
    private final LinkedBlockingQueue<String> hookBodies = new LinkedBlockingQueue<>();
    private IotpmServer server;
    private Chromium chromium;
    private ChromeDriver driver;
    private WebDriverWait wait;
    private ScheduledExecutorService feeder;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    void start() throws Exception {
        chromium = Chromium.start(1440, 900);
        driver = chromium.driver;
        wait = new WebDriverWait(driver, TIMEOUT);
        // Pages re-render parts of themselves (charts on a device switch): re-find instead of failing.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        Files.createDirectories(SHOTS);
        try (Stream<Path> old = Files.list(SHOTS)) {
            for (Path f : old.filter(f -> f.toString().endsWith(".png")).toList()) {
                Files.delete(f);
            }
        }

        storage = MemoryStorage.builder().build();
        Instant now = Instant.now();
        Fleet fleet = Fleet.builder().devices(DEVICES).idPrefix("PUMP_").seed(42).failureProbability(1.0)
                .leadTime(Duration.ofMinutes(5), Duration.ofMinutes(20)).repairTime(Duration.ofMinutes(5))
                .interval(Duration.ofSeconds(1)).start(now.minus(Duration.ofMinutes(30))).build();
        storage.appendAll(fleet.history(Duration.ofMinutes(30)).toList());
        fleet.events().forEach(storage::appendEvent);
        // The schema's default rules, plus one that PUMP_003's normal readings always trip, so the live page
        // has an alert to acknowledge.
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/hook", ex -> {
            try (InputStream in = ex.getRequestBody()) {
                hookBodies.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                ex.sendResponseHeaders(204, -1);
            } finally {
                ex.close();
            }
        });
        hooks.start();
        alerts = AlertManager.builder().rules(AlertRules.defaults(SensorSchema.industrialMotor()))
                .notifier(WebhookNotifier.builder("http://127.0.0.1:" + hooks.getAddress().getPort() + "/hook?key=k1")
                        .build())
                .rule(AlertRule.named("rpm_watch").when(r -> r.deviceId().equals("PUMP_003") && r.value("rpm") > 100)
                        .channel("rpm").priority(Priority.MEDIUM).message("{device_id}: rpm under watch").build())
                .build();
        server = IotpmServer.builder().port(0).storage(storage).storageUri("memory:").retention(Duration.ofDays(30))
                .alerts(alerts)
                // The real LstmTrainer with a deliberately tiny LSTM (short windows, one small layer), so a
                // whole job takes seconds.
                .trainer(LstmTrainer.of(() -> LstmPredictor.builder(SensorSchema.industrialMotor()).sequenceLength(20)
                        .stride(10).horizon(120).layers(8).dropout(0).epochs(3).batchSize(64)
                        .earlyStoppingPatience(0).seed(7)))
                .users(UserStore.of(
                        User.withPassword("admin", "admin-pass-1".toCharArray(), Role.ADMIN),
                        User.withPassword("operator", "operator-pass-1".toCharArray(), Role.OPERATOR),
                        User.withPassword("viewer", "viewer-pass-1".toCharArray(), Role.VIEWER)))
                .jwtSecret(randomSecret())
                .build().start();

        // Live data: one reading per device per second through the real ingest endpoint.
        ReadingJson json = ReadingJson.of(SensorSchema.industrialMotor());
        feeder = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "iotpm-test-feeder"));
        String[] token = {login("operator", "operator-pass-1")};
        feeder.scheduleWithFixedDelay(() -> {
            List<SensorReading> batch = fleet.next();
            StringBuilder body = new StringBuilder("[");
            for (SensorReading r : batch) {
                body.append(body.length() > 1 ? "," : "").append(json.write(r));
            }
            // A scheduled task that throws is never run again: one failed POST (a slow machine, an access token
            // that expired in a long run) would silently stop the live data every later test waits for.
            try {
                post("/api/readings", token[0], body.append(']').toString());
            } catch (RuntimeException e) {
                System.err.println("feeder: " + e + "; logging in again");
                try {
                    token[0] = login("operator", "operator-pass-1");
                } catch (IOException | RuntimeException | AssertionError again) {
                    System.err.println("feeder: login failed: " + again);
                }
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (feeder != null) {
            feeder.shutdownNow();
            feeder.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
        if (alerts != null) {
            alerts.close();
        }
        if (hooks != null) {
            hooks.stop(0);
        }
        if (storage != null) {
            storage.close();
        }
    }

    @AfterEach
    void consoleHasNoErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()
                    && allowedConsoleErrors.stream().noneMatch(a -> e.getMessage().contains(a))) {
                errors.add(e.getMessage());
            }
        }
        allowedConsoleErrors.clear();
        assertThat(errors).as("browser console errors").isEmpty();
    }

    @Test
    @Order(1)
    void login_refusesWrongPassword_thenOpensLiveMonitoring() throws IOException {
        driver.get(server.url() + "/");
        WebElement user = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user")));
        screenshot("01-login");
        user.sendKeys("admin");
        driver.findElement(By.id("login-pass")).sendKeys("wrong-password");
        driver.findElement(By.id("login-submit")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
        assertThat(error.getText()).contains("Wrong username or password");
        allowedConsoleErrors.add("status of 401");

        logIn("admin", "admin-pass-1");
        assertThat(driver.getCurrentUrl()).endsWith("#/live");
        assertThat(driver.findElement(By.id("who")).getText()).isEqualTo("admin · admin");
        assertThat(js("return sessionStorage.getItem('iotpm.session') !== null")).isEqualTo(true);
        assertThat(js("return localStorage.length")).isEqualTo(0L);
    }

    @Test
    @Order(2)
    void live_showsDeviceGridWithHealthAndStatus() throws IOException {
        open("live");
        wait.until(d -> d.findElements(By.cssSelector("#device-grid .device")).size() == DEVICES);
        List<WebElement> cards = driver.findElements(By.cssSelector("#device-grid .device"));
        assertThat(cards).extracting(c -> c.getAttribute("data-device"))
                .containsExactly("PUMP_001", "PUMP_002", "PUMP_003", "PUMP_004");
        assertThat(cards.get(0).getText()).contains("Health");
        assertThat(cards.get(0).getAttribute("class")).matches(".*st-(normal|warning|critical|failed).*");
        By temperature = By.cssSelector("#live-charts .live-chart[data-channel='temperature']");
        wait.until(d -> Integer.parseInt(d.findElement(temperature).getAttribute("data-points")) > 0);
        // Keyboard: the second card takes focus and Enter selects it.
        cards.get(1).sendKeys(org.openqa.selenium.Keys.ENTER);
        wait.until(d -> d.findElement(By.id("detail-title")).getText().equals("PUMP_002"));
        wait.until(d -> {
            WebElement c = d.findElement(By.cssSelector("#live-charts .live-chart[data-channel='temperature']"));
            return c.findElement(By.cssSelector(".chart")).getAttribute("aria-label").endsWith("PUMP_002")
                    && Integer.parseInt(c.getAttribute("data-points")) > 100;
        });
        screenshot("02-live");
    }

    @Test
    @Order(3)
    void live_chartReceivesStreamedPointsWithoutReload() {
        assumeApiOffers("GET", "/api/stream");
        By temperature = By.cssSelector("#live-charts .live-chart[data-channel='temperature']");
        // Read in a wait: the chart element is rebuilt when the page re-renders its charts.
        long firstLast = wait.until(d -> {
            WebElement c = d.findElement(temperature);
            return Integer.parseInt(c.getAttribute("data-points")) > 0 ? Long.parseLong(c.getAttribute("data-last")) : null;
        });
        Object marker = js("return window.__iotpmMarker = Math.random();");
        // New readings arrive over SSE: the chart's newest point moves forward, and the page never reloads.
        wait.until(d -> Long.parseLong(d.findElement(temperature).getAttribute("data-last")) > firstLast + 1000);
        assertThat(js("return window.__iotpmMarker;")).isEqualTo(marker);
        wait.until(d -> d.findElement(By.id("conn")).getText().equals("live"));
    }

    @Test
    @Order(4)
    void analysis_drawsChartsHeatmapAndExportsCsv() throws IOException, InterruptedException {
        open("analysis");
        WebElement status = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("an-status")));
        wait.until(d -> status.getAttribute("data-rows") != null);
        int rows = Integer.parseInt(status.getAttribute("data-rows"));
        assertThat(rows).isGreaterThan(1000);
        assertThat(driver.findElements(By.cssSelector("#an-lines .an-line"))).hasSize(3);
        assertThat(driver.findElement(By.id("an-corr")).getAttribute("data-size")).isEqualTo("10");
        assertThat(driver.findElements(By.cssSelector("#an-dist canvas"))).isNotEmpty();
        // Every device fails within the simulated half hour: the stored failure events are marked on each chart.
        assertThat(Integer.parseInt(status.getAttribute("data-failures"))).isPositive();
        assertThat(status.getText()).doesNotContain("Not available");
        for (WebElement line : driver.findElements(By.cssSelector("#an-lines .an-line"))) {
            assertThat(Integer.parseInt(line.getAttribute("data-event-marks"))).isPositive();
        }
        screenshot("04-analysis");
        // A reversed range is explained, not sent.
        js("document.getElementById('an-from').value = '2030-01-02T00:00'; document.getElementById('an-to').value = '2030-01-01T00:00';");
        driver.findElement(By.id("an-load")).click();
        wait.until(d -> d.findElement(By.id("an-status")).getText().contains("must be before"));

        driver.findElement(By.id("an-csv")).click();
        Path csv = awaitDownload();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines.get(0)).startsWith("device_id,timestamp,temperature,vibration_x");
        assertThat(lines).hasSize(rows + 1);
        assertThat(lines.get(1)).startsWith("PUMP_001,");
    }

    @Test
    @Order(5)
    void model_adminTrainsATinyModelAndSeesLossCurvesAndEvaluation() throws IOException {
        assumeApiOffers("POST", "/api/model/train");
        open("model");
        wait.until(d -> d.findElement(By.id("model-card")).getText().toLowerCase(java.util.Locale.ROOT).contains("status"));
        WebElement epochs = wait.until(ExpectedConditions.elementToBeClickable(By.id("tr-epochs")));
        epochs.clear();
        epochs.sendKeys("3");
        driver.findElement(By.id("train-start")).click();
        WebElement status = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("job-status")));
        new WebDriverWait(driver, TRAINING_TIMEOUT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> List.of("SUCCEEDED", "FAILED").contains(d.findElement(By.id("job-status")).getAttribute("data-status")));
        assertThat(driver.findElement(By.id("job-status")).getText()).contains("succeeded");
        assertThat(driver.findElement(By.id("loss-chart")).getAttribute("data-epochs")).isEqualTo("3");
        WebElement cm = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confusion-matrix")));
        assertThat(cm.findElements(By.cssSelector("tbody td"))).hasSize(4);
        // The ROC curve of the held-out devices, as the job reported it.
        WebElement roc = driver.findElement(By.id("roc-chart"));
        assertThat(Integer.parseInt(roc.getAttribute("data-points"))).isGreaterThanOrEqualTo(2);
        assertThat(roc.findElements(By.tagName("canvas"))).isNotEmpty();
        assertThat(driver.findElement(By.id("eval-metrics")).getText()).contains("PRECISION").contains("RECALL").contains("F1")
                .contains("BRIER");
        // Issue 18: the calibrated probability's reliability table beside F1.
        assertThat(driver.findElement(By.id("reliability")).findElements(By.cssSelector("tbody tr"))).isNotEmpty();
        // The trained model now serves: the card says so and the live page gets a prediction.
        wait.until(d -> d.findElement(By.id("model-card")).getText().contains("loaded"));
        assertThat(status).isNotNull();
        screenshot("05-model");
        open("live");
        wait.until(d -> d.findElement(By.id("prediction")).getText().contains("Failure probability"));
        // Issue 18: the LSTM explains the prediction; the live page lists the channels that moved it.
        WebElement why = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("explanation")));
        assertThat(why.findElements(By.cssSelector("tbody tr[data-channel]"))).isNotEmpty();
    }

    @Test
    @Order(6)
    void live_operatorAcknowledgesAnAlert() throws IOException {
        assumeApiOffers("POST", "/api/alerts/{id}/acknowledge");
        open("live");
        By active = By.cssSelector("#alerts li.alert[data-status='ACTIVE']");
        // The list is rebuilt whenever an alert arrives (the feeder keeps raising them), so an element found a
        // moment ago may be stale: read the alert in one wait, then act on it by id, re-finding it on a rebuild.
        // Other alerts may be active too (the model trained above can raise a health-score alert for any
        // pump), so the wait looks for the feeder's one rather than taking the first.
        String[] first = new WebDriverWait(driver, TIMEOUT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElements(active).stream()
                        .map(a -> new String[] {a.getAttribute("data-alert"), a.getText()})
                        .filter(a -> a[1].contains("PUMP_003") && a[1].contains("rpm"))
                        .findFirst().orElse(null));
        String id = first[0];
        screenshot("03-live-alert");
        By ack = By.cssSelector("#alerts li.alert[data-alert='" + id + "'] button.ack");
        wait.until(d -> {
            d.findElement(ack).click();
            return true;
        });
        wait.until(d -> d.findElement(By.cssSelector("#alerts li.alert[data-alert='" + id + "']"))
                .getAttribute("data-status").equals("ACKNOWLEDGED"));
        var stored = Json.MAPPER.readTree(get("/api/alerts/" + id, login("viewer", "viewer-pass-1")));
        assertThat(stored.get("state").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(stored.get("acknowledged_by").asText()).isEqualTo("admin");
    }

    @Test
    @Order(7)
    void settings_adminAddsAThresholdRule() throws IOException, InterruptedException {
        assumeApiOffers("POST", "/api/rules");
        open("settings");
        WebElement name = wait.until(ExpectedConditions.elementToBeClickable(By.id("ru-name")));
        name.sendKeys("temperature_over_80");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("ru-channel"))).selectByValue("temperature");
        driver.findElement(By.id("ru-limit")).sendKeys("80");
        driver.findElement(By.id("rule-add")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#rules-table tr[data-rule='temperature_over_80']")));
        assertThat(driver.findElement(By.id("rule-result")).getText()).contains("added");
        var rules = Json.MAPPER.readTree(get("/api/rules", login("viewer", "viewer-pass-1"))).get("rules");
        assertThat(rules.findValuesAsText("name")).contains("temperature_over_80");
        // Backend details from GET /api/storage (admins and operators).
        WebElement storageCard = wait.until(d -> {
            WebElement card = d.findElement(By.id("storage"));
            return "memory".equals(card.getAttribute("data-backend")) ? card : null;
        });
        assertThat(storageCard.findElement(By.id("storage-table")).getText())
                .containsIgnoringCase("memory (MemoryStorage)").contains("30 days").containsIgnoringCase("Newest reading");
        screenshot("06-settings-admin");

        // The same name again: the server's refusal is shown next to the form, and nothing changes.
        driver.findElement(By.id("ru-name")).sendKeys("temperature_over_80");
        driver.findElement(By.id("ru-limit")).sendKeys("90");
        driver.findElement(By.id("rule-add")).click();
        wait.until(d -> d.findElement(By.id("rule-result")).getText().startsWith("Not added: "));
        assertThat(driver.findElement(By.id("rule-result")).getText()).contains("temperature_over_80");
        allowedConsoleErrors.add("status of 409");
        allowedConsoleErrors.add("status of 400");
        var after = Json.MAPPER.readTree(get("/api/rules", login("viewer", "viewer-pass-1"))).get("rules");
        assertThat(after.findValuesAsText("name")).hasSameSizeAs(rules.findValuesAsText("name"));

        // Notifications: the webhook is listed by host only; the admin's test reaches the real receiver.
        WebElement notifier = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#notifiers-table tr[data-notifier='webhook-127.0.0.1']")));
        assertThat(notifier.getText()).contains("webhook").contains("http://127.0.0.1").doesNotContain("k1");
        WebElement test = driver.findElement(By.id("notify-test"));
        assertThat(test.isEnabled()).isTrue();
        hookBodies.clear();
        test.click();
        WebElement result = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#notify-results-table tr[data-notifier='webhook-127.0.0.1']")));
        assertThat(result.getAttribute("data-outcome")).isEqualTo("sent");
        assertThat(driver.findElement(By.id("notify-results")).getText()).contains("1 of 1 sent");
        String payload = null;
        for (String b; (b = hookBodies.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) != null; ) {
            if (b.contains(AlertManager.TEST_RULE)) {
                payload = b;
                break;
            }
        }
        assertThat(payload).as("test payload at the webhook").isNotNull().contains(AlertManager.TEST_MESSAGE);
        screenshot("06b-settings-notification-test");
    }

    @Test
    @Order(8)
    void viewer_cannotChangeRules_andTheServerRefusesIfForced() throws IOException {
        driver.findElement(By.id("logout")).click();
        logIn("viewer", "viewer-pass-1");
        open("settings");
        WebElement add = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("rule-add")));
        assertThat(add.isEnabled()).isFalse();
        assertThat(driver.findElement(By.id("ru-name")).isEnabled()).isFalse();
        assertThat(disabledStates("#rules-table button.rule-remove")).isNotEmpty().allMatch(Boolean.TRUE::equals);
        assertThat(driver.findElement(By.id("readonly-notice")).getText()).contains("read-only");
        // A viewer may not see backend details: the page does not ask (no 403 in the console) and says why.
        WebElement note = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("storage-note")));
        assertThat(note.getText()).contains("operators and admins");
        assertThat(driver.findElement(By.id("storage-table")).getText()).containsIgnoringCase("Readings stored").doesNotContainIgnoringCase("Retention");
        // Nor notifier details, nor the test button: disabled, with the reason beside it.
        WebElement notifyNote = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notify-note")));
        assertThat(notifyNote.getText()).contains("operators and admins");
        assertThat(driver.findElement(By.id("notify-test")).isEnabled()).isFalse();
        assertThat(driver.findElement(By.id("notify-why")).getText()).contains("Only admins");
        screenshot("07-settings-viewer");

        // Past the disabled form: the viewer's own token is refused by the server.
        Object status = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const s = JSON.parse(sessionStorage.getItem('iotpm.session'));"
                        + "fetch('/api/rules', {method: 'POST', headers: {'Content-Type': 'application/json',"
                        + " 'Authorization': 'Bearer ' + s.access}, body: JSON.stringify({name: 'sneaky',"
                        + " channel: 'temperature', above: 1, priority: 'LOW', cooldown_minutes: 1})})"
                        + ".then(r => done(r.status), e => done(String(e)));");
        assertThat(status).isEqualTo(403L);
        allowedConsoleErrors.add("status of 403");
        var rules = Json.MAPPER.readTree(get("/api/rules", login("viewer", "viewer-pass-1"))).get("rules");
        assertThat(rules.findValuesAsText("name")).doesNotContain("sneaky");

        // Viewers may not acknowledge either.
        open("live");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#alerts li.alert")));
        assertThat(disabledStates("#alerts button.ack")).allMatch(Boolean.TRUE::equals);
    }

    @Test
    @Order(20)
    void tabletWidth_pagesDoNotScrollSideways() throws IOException {
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(820, 1180));
        try {
            for (String page : List.of("settings", "analysis", "model", "live")) {
                open(page);
                wait.until(d -> !d.findElements(By.cssSelector("main h1")).isEmpty());
                assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth"))
                        .as(page + " fits 820 px").isEqualTo(true);
            }
            wait.until(d -> d.findElements(By.cssSelector("#device-grid .device")).size() == DEVICES);
            screenshot("08-live-tablet");
        } finally {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 900));
        }
    }

    @Test
    @Order(30)
    void invalidSession_returnsToLoginWithAMessage() {
        allowedConsoleErrors.add("status of 401");
        assertThat(driver.findElements(By.id("topbar"))).isNotEmpty();
        js("const s = JSON.parse(sessionStorage.getItem('iotpm.session'));"
                + "s.access = s.access.slice(0, -2) + 'xx'; s.refresh = 'not-a-token'; s.exp = Date.now() + 600000;"
                + "sessionStorage.setItem('iotpm.session', JSON.stringify(s));");
        driver.navigate().refresh();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
        assertThat(error.getText()).contains("session expired");
        assertThat(driver.getCurrentUrl()).endsWith("#/login");
        assertThat(js("return sessionStorage.getItem('iotpm.session')")).isNull();
    }

    // ---------------------------------------------------------------------------------------------

    private void logIn(String user, String password) {
        WebElement u = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user")));
        u.clear();
        u.sendKeys(user);
        WebElement p = driver.findElement(By.id("login-pass"));
        p.clear();
        p.sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("topbar")));
    }

    private void open(String page) {
        driver.findElement(By.cssSelector(".topbar nav a[data-page='" + page + "']")).click();
        wait.until(d -> page.equals(((JavascriptExecutor) d).executeScript(
                "const a = document.querySelector('.topbar nav a[aria-current=page]'); return a && a.dataset.page;")));
    }

    /** Skips (visibly) a step whose endpoint the API does not offer yet, judged by its OpenAPI document. */
    private void assumeApiOffers(String method, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + IotpmServer.OPENAPI_PATH))
                    .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            var op = Json.MAPPER.readTree(r.body()).path("paths").path(path).path(method.toLowerCase(java.util.Locale.ROOT));
            org.junit.jupiter.api.Assumptions.assumeTrue(!op.isMissingNode(),
                    "the API does not offer " + method + " " + path + " yet");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether each element matching {@code css} is disabled, read in one script: lists that live data rebuilds
     * (alerts) would make elements found by one WebDriver call stale by the next.
     */
    private List<Object> disabledStates(String css) {
        @SuppressWarnings("unchecked")
        List<Object> states = (List<Object>) js("return Array.from(document.querySelectorAll(arguments[0]), b => b.disabled);", css);
        return states;
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Full-page PNG through the DevTools protocol (a plain WebDriver screenshot stops at the viewport). */
    private void screenshot(String name) throws IOException {
        // A sticky header would be painted mid-page in a capture taller than the window.
        js("const s = document.createElement('style'); s.id = 'shot-style';"
                + "s.textContent = '.topbar{position:static!important} .toasts{display:none!important}';"
                + "document.head.append(s); window.scrollTo(0, 0);");
        try {
            capture(name);
        } finally {
            js("const s = document.getElementById('shot-style'); if (s) s.remove();");
        }
    }

    private void capture(String name) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        double w = ((Number) size.get("width")).doubleValue();
        double h = Math.min(((Number) size.get("height")).doubleValue(), 4000);
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
                "format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", w, "height", h, "scale", 1)));
        Files.write(SHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) shot.get("data")));
    }

    private Path awaitDownload() {
        return await("a CSV downloaded into " + chromium.downloads).atMost(TIMEOUT).until(() -> {
            try (Stream<Path> files = Files.list(chromium.downloads)) {
                return files.filter(f -> f.toString().endsWith(".csv")).findFirst();
            }
        }, Optional::isPresent).orElseThrow();
    }

    private String login(String user, String password) throws IOException {
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/auth/login")).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body()).get("token").asText();
    }

    private String get(String path, String token) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
            return r.body();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void post(String path, String token, String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(TIMEOUT)
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException("POST " + path + " -> " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] randomSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
