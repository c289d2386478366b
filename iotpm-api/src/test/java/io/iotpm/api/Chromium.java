package io.iotpm.api;

import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (never a downloaded browser: Selenium
 * Manager is bypassed by naming both binaries). A fresh profile folder per instance, deleted on close.
 */
final class Chromium implements AutoCloseable {

    static final Path BROWSER = Path.of(System.getProperty("iotpm.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("iotpm.chromedriver", "/usr/bin/chromedriver"));

    final ChromeDriver driver;
    final Path downloads;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile, Path downloads) {
        this.driver = driver;
        this.profile = profile;
        this.downloads = downloads;
    }

    /**
     * Logs in on the dashboard at {@code url} and opens {@code page} from the top bar.
     *
     * @return a wait of 60 s that ignores stale elements, for the page's content
     */
    WebDriverWait openPage(String url, String user, String password, String page) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class);
        driver.get(url + "/");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user"))).sendKeys(user);
        driver.findElement(By.id("login-pass")).sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("#/live"));
        driver.findElement(By.cssSelector(".topbar nav a[data-page='" + page + "']")).click();
        return wait;
    }

    /** @return the browser console's SEVERE messages so far */
    List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
    }

    /**
     * Starts the browser.
     *
     * @throws IllegalStateException naming the missing binary and the install command, so a machine without
     *                               Chromium fails this test loudly instead of skipping it
     */
    static Chromium start(int width, int height) throws IOException {
        for (Path p : new Path[] {BROWSER, DRIVER}) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing: the dashboard tests need Debian's Chromium;"
                        + " install it with 'apt-get install -y chromium chromium-driver' (.ci/run does)");
            }
        }
        Path profile = Files.createTempDirectory("iotpm-chromium-profile");
        Path downloads = Files.createTempDirectory("iotpm-chromium-downloads");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-extensions", "--disable-default-apps", "--hide-scrollbars",
                "--force-device-scale-factor=1", "--lang=en-US", "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile.toAbsolutePath());
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toAbsolutePath().toString(),
                "download.prompt_for_download", false));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        try {
            return new Chromium(new ChromeDriver(service, options), profile, downloads);
        } catch (RuntimeException e) {
            service.stop();
            deleteTree(profile);
            deleteTree(downloads);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
            deleteTree(downloads);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // A left-over temp folder is harmless.
        }
    }
}
