package dev.memtrace.render.html;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One headless Chromium for the tests of a class, started before them and closed after; the tests
 * fail, naming them, when Debian's chromium and chromium-driver are not installed (.ci/run installs
 * them).
 */
abstract class InBrowser {

  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    if (!Browser.available()) {
      fail(
          "chromium and chromedriver are not installed (/usr/bin/chromium, /usr/bin/chromedriver);"
              + " these tests need them (apt-get install chromium chromium-driver)");
    }
    browser = new Browser();
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
      browser = null;
    }
  }
}
