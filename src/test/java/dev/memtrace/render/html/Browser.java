package dev.memtrace.render.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Headless Debian Chromium driven through chromedriver's W3C WebDriver HTTP API with Java's own
 * HttpClient: no Selenium, no browser download. Starts chromedriver on a free loopback port and one
 * browser session with the flags this machine needs (no sandbox as root, no background networking,
 * a fresh profile). Console messages come from chromedriver's browser log.
 */
final class Browser implements AutoCloseable {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Process driver;
  private final String base;
  private final String session;
  private final Path profile;

  static boolean available() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  Browser() throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    driver =
        new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    base = "http://127.0.0.1:" + port;
    profile = Files.createTempDirectory("memtrace-chromium");
    waitReady();
    ObjectNode caps = JSON.createObjectNode();
    ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
    always.put("browserName", "chrome");
    ObjectNode opts = always.putObject("goog:chromeOptions");
    opts.put("binary", CHROMIUM.toString());
    var args = opts.putArray("args");
    for (String a :
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1400,1000",
            "--user-data-dir=" + profile)) {
      args.add(a);
    }
    always.putObject("goog:loggingPrefs").put("browser", "ALL");
    session = post("/session", caps).get("sessionId").asText();
  }

  private void waitReady() throws InterruptedException, IOException {
    long until = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < until) {
      try {
        if (call("GET", "/status", null).path("ready").asBoolean()) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IOException("chromedriver did not start on " + base);
  }

  /** Opens the page and returns once the document has loaded. */
  void open(Path page) throws IOException, InterruptedException {
    post(
        "/session/" + session + "/url",
        JSON.createObjectNode().put("url", page.toUri().toString()));
  }

  /** Runs a script in the page and returns its result as JSON. */
  JsonNode js(String script, Object... args) throws IOException, InterruptedException {
    ObjectNode body = JSON.createObjectNode().put("script", script);
    body.set("args", JSON.valueToTree(args));
    return post("/session/" + session + "/execute/sync", body);
  }

  /** Console messages (level, text) since the last call. */
  List<Map.Entry<String, String>> console() throws IOException, InterruptedException {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    JsonNode log =
        post("/session/" + session + "/se/log", JSON.createObjectNode().put("type", "browser"));
    for (JsonNode m : log) {
      out.add(Map.entry(m.path("level").asText(), m.path("message").asText()));
    }
    return out;
  }

  void screenshot(Path png) throws IOException, InterruptedException {
    String b64 = call("GET", "/session/" + session + "/screenshot", null).asText();
    Files.createDirectories(png.getParent());
    Files.write(png, Base64.getDecoder().decode(b64));
  }

  private JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
    return call("POST", path, body);
  }

  private JsonNode call(String method, String path, JsonNode body)
      throws IOException, InterruptedException {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(120))
            .header("Content-Type", "application/json");
    r.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    HttpResponse<String> resp = http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode value = JSON.readTree(resp.body()).path("value");
    if (resp.statusCode() != 200) {
      throw new IOException(
          "WebDriver " + method + " " + path + ": " + value.path("message").asText(resp.body()));
    }
    return value;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (session != null) {
        call("DELETE", "/session/" + session, null);
      }
    } finally {
      driver.destroy();
      driver.waitFor();
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
