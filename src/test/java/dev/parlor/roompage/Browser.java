package dev.parlor.roompage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian Chromium with a fake camera and microphone, driven by chromedriver. Tests that
 * need one skip (a JUnit assumption) where chromedriver is not installed.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  final ChromeDriver driver;
  private final Path profile;

  static void assumeAvailable() {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
        "chromium and chromium-driver are not installed");
  }

  /** Starts {@code n} browsers at once (each takes a few seconds to start). */
  static List<Browser> start(int n) {
    assumeAvailable();
    List<CompletableFuture<Browser>> all =
        Stream.generate(() -> CompletableFuture.supplyAsync(Browser::new)).limit(n).toList();
    return all.stream().map(CompletableFuture::join).toList();
  }

  Browser() {
    try {
      profile = Files.createTempDirectory("parlor-chromium");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toString());
    o.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        "--autoplay-policy=no-user-gesture-required",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        "--mute-audio",
        "--window-size=960,720",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    driver = new ChromeDriver(service, o);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
  }

  void open(String url) {
    driver.get(url);
  }

  Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  @SuppressWarnings("unchecked")
  Map<String, Object> state() {
    return (Map<String, Object>) js("return window.parlor ? window.parlor.state() : {};");
  }

  String phase() {
    Object p = state().get("phase");
    return p == null ? "" : p.toString();
  }

  <T> T await(Duration timeout, Function<Browser, T> condition) {
    return new WebDriverWait(driver, timeout, Duration.ofMillis(200))
        .until(d -> condition.apply(this));
  }

  void awaitPhase(String phase) {
    await(Duration.ofSeconds(20), b -> b.phase().equals(phase) ? true : null);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  void click(String css) {
    await(
        Duration.ofSeconds(15),
        b -> {
          List<WebElement> els = driver.findElements(By.cssSelector(css));
          if (els.isEmpty() || !els.get(0).isDisplayed()) {
            return null;
          }
          els.get(0).click();
          return true;
        });
  }

  /** Per remote tile: participant id, frames rendered, playback position, video width. */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> remoteVideos() {
    return (List<Map<String, Object>>)
        js(
            "return [...document.querySelectorAll('.tile.remote')].map(t => { const v ="
                + " t.querySelector('video'); return {id: t.dataset.participantId, frames:"
                + " Number(v.dataset.frames), time: v.currentTime, width: v.videoWidth}; });");
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } catch (RuntimeException e) {
      // already gone
    }
    try (Stream<Path> s = Files.walk(profile)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }
}
