package dev.datasync.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datasync.local.RunningStack;
import dev.datasync.local.demo.DemoReport;
import dev.datasync.local.demo.DemoScenario;
import dev.datasync.local.demo.SampleTarget;
import dev.datasync.local.stack.PipelineStack;
import dev.datasync.local.stack.Topology;
import dev.datasync.shared.contract.SourceHeaders;
import dev.datasync.shared.json.Json;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

/**
 * The console in a real browser — Debian's headless Chromium driven through its chromedriver — against a stack with
 * the demo's traffic and two messages waiting in ServiceUnavailableErrorStream (their target did not listen; it does
 * now): without the token it shows nothing; signed in it shows non-empty charts, a syncId's attempts, and a replay
 * that empties the stream's waiting count. Saves {@code target/console-*.png}.
 */
public class ConsoleBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static RunningStack running;
    private static PipelineStack stack;
    private static DemoReport report;
    private static SampleTarget lateTarget;
    private static final List<String> waitingSyncIds = new ArrayList<>();
    private static Path profile;
    private static WebDriver browser;

    @BeforeClass
    public static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the console's browser test needs Debian's headless Chromium: " + CHROMIUM + " and " + CHROMEDRIVER
                    + " are missing; install them with `apt-get install -y chromium chromium-driver` (.ci/run does)");
        }
        running = RunningStack.start(Map.of(), DemoScenario::stackSettings);
        stack = running.stack();
        report = new DemoScenario(stack, running.target(), new PrintStream(new ByteArrayOutputStream(), true))
                .run(DemoScenario.unusedPort());
        assertTrue("the demo ran as it should", report.asExpected());
        // two messages for a target that does not listen yet: routed to ServiceUnavailableErrorStream, waiting there
        int port = DemoScenario.unusedPort();
        for (int i = 1; i <= 2; i++) {
            waitingSyncIds.add(sync("http://127.0.0.1:" + port + "/orders/late-" + i));
        }
        awaitWaiting(Topology.SERVICE_UNAVAILABLE_ERROR_STREAM, 2);
        lateTarget = running.target().alsoListenOn(port);
        browser = chrome();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (lateTarget != null) {
            lateTarget.close();
        }
        if (running != null) {
            running.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    public void theConsoleShowsNothingWithoutTheTokenAndEverythingWithIt() throws Exception {
        // 1. no token: the sign-in form and nothing else, and a wrong token opens nothing
        browser.get(stack.gatewayUrl() + "/console/");
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-form")));
        assertNothingShown();
        browser.findElement(By.id("token")).sendKeys("not-the-admin-token");
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "not the admin token"));
        assertNothingShown();
        screenshot("signed-out");

        // 2. signed in: the overview's charts have data
        browser.findElement(By.id("token")).sendKeys(stack.adminToken());
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("page-overview")));
        for (String chart : List.of("accepted", "delivered", "failed", "routed", "latency")) {
            WebElement card = wait.until(ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#chart-" + chart + "[data-points]")));
            assertTrue(chart + " has datapoints", Integer.parseInt(card.getAttribute("data-points")) > 0);
            assertFalse(chart + " draws a chart", card.findElements(By.cssSelector(".uplot canvas")).isEmpty());
        }
        assertTrue(browser.findElement(By.id("chart-accepted")).getText().contains(
                (report.accepted() + report.bulk().written() + 2) + " in the last hour"));
        screenshot("overview");

        // 3. a syncId's trace: where it is and its attempts
        browser.findElement(By.cssSelector("nav a[href='#trace']")).click();
        WebElement syncId = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sync-id")));
        syncId.sendKeys(waitingSyncIds.get(0));
        browser.findElement(By.id("trace-button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#trace-events tr[data-event='attempt']")));
        assertTrue(browser.findElement(By.id("trace-state")).getText(),
                browser.findElement(By.id("trace-state")).getText().contains(Topology.SERVICE_UNAVAILABLE_ERROR_STREAM));
        screenshot("trace");

        // 4. the error stream's waiting count, then a replay through /stream/retry, then the count again
        browser.findElement(By.cssSelector("nav a[href='#errors']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("error-stream-name"),
                Topology.SERVICE_UNAVAILABLE_ERROR_STREAM));
        assertEquals("2", browser.findElement(By.id("waiting-count")).getAttribute("data-count"));
        browser.findElement(By.id("replay-button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("replay-result")));
        assertEquals("0", browser.findElement(By.id("waiting-count")).getAttribute("data-count"));
        assertEquals("the late target got both", 2, lateTarget.received().stream()
                .filter(r -> r.path().startsWith("/orders/late-")).count());
        screenshot("replayed");

        // 5. signed out: nothing left on the page, and a reload shows the sign-in form only
        browser.findElement(By.id("sign-out")).click();
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in-form")));
        assertNothingShown();
    }

    /** The sign-in form only: no navigation, no page, no figures anywhere in the document. */
    private static void assertNothingShown() {
        assertFalse("navigation is hidden", browser.findElement(By.id("nav")).isDisplayed());
        for (WebElement page : browser.findElements(By.cssSelector(".page"))) {
            assertFalse(page.getAttribute("id") + " is hidden", page.isDisplayed());
        }
        assertTrue("no chart", browser.findElements(By.cssSelector(".uplot")).isEmpty());
        assertTrue("no table row", browser.findElements(By.cssSelector("tbody tr")).isEmpty());
        String text = browser.findElement(By.tagName("body")).getText();
        for (String secretish : List.of(Topology.SERVICE_UNAVAILABLE_ERROR_STREAM, waitingSyncIds.get(0), "local")) {
            assertFalse("the page shows " + secretish, text.contains(secretish));
        }
    }

    private static WebDriver chrome() throws Exception {
        profile = Files.createTempDirectory("console-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,1600", "--user-data-dir=" + profile);
        return new ChromeDriver(service, options);
    }

    private static void screenshot(String name) throws Exception {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Path to = Path.of("target", "console-" + name + ".png");
        Files.createDirectories(to.getParent());
        Files.copy(shot.toPath(), to, StandardCopyOption.REPLACE_EXISTING);
    }

    /** One sync request as source local; returns its syncId. */
    private static String sync(String target) throws Exception {
        String body = "{\"streamMessage\":{\"targetRestApi\":\"" + target + "\",\"targetRestApiOperation\":\"POST\","
                + "\"targetRestApiPayload\":{\"orderid\":\"late\"}}}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/stream/sync"))
                .header("Content-Type", "application/json")
                .header(SourceHeaders.SOURCE_TOKEN, "Bearer " + stack.sourceToken().orElseThrow())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body(), 202, r.statusCode());
        return Json.mapper().readTree(r.body()).path("syncId").asText();
    }

    private static void awaitWaiting(String stream, int n) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl()
                    + "/console/api/stream?name=" + stream)).header(SourceHeaders.ADMIN_TOKEN, stack.adminToken())
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode s = Json.mapper().readTree(r.body());
            if (s.path("waiting").asInt() >= n) {
                return;
            }
            Thread.sleep(200);
        }
        fail(n + " messages never waited in " + stream);
    }
}
