package dev.memtrace.render.html;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One headless Chromium for the tests of a class, started before them and closed after; the
 * tests are skipped when Debian's chromium and chromium-driver are not installed (.ci/run
 * installs them).
 */
abstract class InBrowser {

  static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Browser.available(),
        "needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)");
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
