package io.iotpm.api;

import io.iotpm.alerts.AlertManager;
import io.iotpm.alerts.AlertRule;
import io.iotpm.api.auth.Role;
import io.iotpm.api.auth.User;
import io.iotpm.api.auth.UserStore;
import io.iotpm.core.FailureEvent;
import io.iotpm.core.SensorReading;
import io.iotpm.core.SensorSchema;
import io.iotpm.core.json.ReadingJson;
import io.iotpm.core.sim.Fleet;
import io.iotpm.storage.memory.MemoryStorage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard under a hostile data source, in real headless Chromium: an alert message and an event
 * detail carrying HTML with an inline handler must reach the page as text, and the Content-Security-Policy
 * must stop inline script even where HTML does get in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardSecurityBrowserTest {

    static final String HOSTILE_ALERT = "<img src=x onerror=\"window.__xssAlert=1\">";
    static final String HOSTILE_EVENT = "<img src=x onerror=\"window.__xssEvent=1\">";

    private MemoryStorage storage;
    private AlertManager alerts;
    private IotpmServer server;
    private Chromium chromium;
    private ChromeDriver driver;
    private WebDriverWait wait;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        chromium = Chromium.start(1280, 900);
        driver = chromium.driver;
        wait = new WebDriverWait(driver, Duration.ofSeconds(60));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        storage = MemoryStorage.builder().build();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Fleet fleet = Fleet.builder().devices(1).idPrefix("PUMP_").seed(7).start(now.minus(Duration.ofHours(2))).build();
        List<SensorReading> history = fleet.history(Duration.ofHours(2)).toList();
        storage.appendAll(history.subList(0, history.size() - 5));
        storage.appendEvent(new FailureEvent("PUMP_001", now.minus(Duration.ofMinutes(30)), HOSTILE_EVENT));
        alerts = AlertManager.builder()
                .rule(AlertRule.named("hostile").when(r -> true).channel("temperature").message(HOSTILE_ALERT).build())
                .build();
        server = IotpmServer.builder().port(0).storage(storage).alerts(alerts)
                .users(UserStore.of(User.withPassword("admin", "admin-pass-1".toCharArray(), Role.ADMIN)))
                .jwtSecret("browser-secret-0123456789abcdef0123456789abcdef").build().start();
        // The last readings arrive through the API, so the alert manager (the server's listener) raises the alert.
        ApiClient client = new ApiClient(server);
        String token = client.login("admin", "admin-pass-1");
        String body = ReadingJson.of(SensorSchema.industrialMotor()).writeAll(history.subList(history.size() - 5, history.size()));
        assertThat(client.post("/api/readings", token, body).status()).isEqualTo(201);
        assertThat(client.get("/api/alerts?rule=hostile", token).json().get("count").asInt()).isPositive();
    }

    @AfterAll
    void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
        if (alerts != null) {
            alerts.close();
        }
    }

    @Test
    void everyResponse_carriesAStrictContentSecurityPolicy() throws Exception {
        for (String path : List.of("/", "/index.html", "/js/app.js", "/api/health")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).as(path).isNotEmpty().doesNotContain("unsafe-eval");
            assertThat(csp.replaceAll("style-src[^;]*", "")).as(path).doesNotContain("unsafe-inline");
        }
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'");
        // No inline script or inline handler in the page for the policy to break.
        assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>").doesNotContainPattern("\\son[a-z]+=");
    }

    @Test
    void hostileAlertMessageAndEventDetail_areShownAsText_andNeverRun() {
        driver.get(server.url() + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user"))).sendKeys("admin");
        driver.findElement(By.id("login-pass")).sendKeys("admin-pass-1");
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("topbar")));
        driver.findElement(By.cssSelector(".topbar nav a[data-page='analysis']")).click();
        wait.until(d -> d.findElement(By.id("an-status")).getAttribute("data-rows") != null);
        wait.until(d -> !d.findElements(By.cssSelector("#an-lines .an-line")).isEmpty());

        @SuppressWarnings("unchecked")
        List<String> tooltips = (List<String>) js("const out = [];"
                + "document.querySelectorAll('#an-lines .an-line .chart').forEach(el => {"
                + "  const c = echarts.getInstanceByDom(el); if (!c) return;"
                + "  for (const s of c.getOption().series) for (const d of ((s.markLine || {}).data || []).flat())"
                + "    if (d && d.tooltip && typeof d.tooltip.formatter === 'string') out.push(d.tooltip.formatter);"
                + "}); return out;");
        assertThat(tooltips).anySatisfy(t -> assertThat(t).contains("Alert: &lt;img src=x onerror="))
                .anySatisfy(t -> assertThat(t).contains("failure: &lt;img src=x onerror="))
                .allSatisfy(t -> assertThat(t).doesNotContain("<img"));

        // Show every mark's tooltip: ECharts renders the formatter as HTML, so escaped text must stay text.
        js("document.querySelectorAll('#an-lines .an-line .chart').forEach(el => {"
                + "  const c = echarts.getInstanceByDom(el); if (!c) return;"
                + "  c.getOption().series.forEach((s, si) => ((s.markLine || {}).data || []).forEach((d, di) =>"
                + "    c.dispatchAction({ type: 'showTip', seriesIndex: si, dataIndex: di })));"
                + "});");
        // Where HTML does get in, the policy stops its inline handler.
        js("document.body.insertAdjacentHTML('beforeend', '<img id=\"csp-probe\" src=\"x\" onerror=\"window.__xssProbe=1\">');");
        wait.until(d -> Boolean.TRUE.equals(js("const i = document.getElementById('csp-probe'); return i.complete;")));
        assertThat(js("return [window.__xssAlert, window.__xssEvent, window.__xssProbe].filter(x => x !== undefined).length"))
                .isEqualTo(0L);
        List<String> violations = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue() && e.getMessage().contains("Content Security Policy")) {
                violations.add(e.getMessage());
            }
        }
        assertThat(violations).as("the probe's inline handler was refused by the policy")
                .anySatisfy(v -> assertThat(v).contains("script-src"));
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }
}
