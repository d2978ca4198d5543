package dev.memtrace.render.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memtrace.cli.Main;
import dev.memtrace.run.LiveAssumptions;
import dev.memtrace.trace.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reports of real traces, made by {@code memtrace analyze --format html}, opened in headless
 * Chromium: the corpus's cat, python threads and mmapfile logs ({@link dev.memtrace.trace.Corpus}),
 * and a JVM start traced here with {@code strace -f java -version}, whose open time is measured and
 * printed (asserted only against a generous bound).
 */
class CorpusReportsInBrowserTest extends InBrowser {

  /** The folder that holds {@code corpus/} (see {@link dev.memtrace.trace.Corpus#shared()}). */
  static Path shared() {
    return Corpus.shared();
  }

  /** Runs {@code memtrace analyze --format html} and returns the report's path. */
  static Path report(Path log, String name) throws Exception {
    Path html = Path.of("target/html", name + ".html").toAbsolutePath();
    Files.createDirectories(html.getParent());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            new String[] {"analyze", "--format", "html", "-o", html.toString(), log.toString()},
            new PrintStream(new ByteArrayOutputStream()),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(rc).as("analyze exit status; stderr: %s", err).isZero();
    return html;
  }

  /** Opens a report; returns the milliseconds from navigation to the page being ready. */
  static long open(Path html) throws Exception {
    long t0 = System.nanoTime();
    browser.open(html);
    assertThat(browser.js("return document.body.dataset.ready").isTextual())
        .as("report script finished")
        .isTrue();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    List<Map.Entry<String, String>> console = browser.console();
    assertThat(console).as("console messages").noneMatch(m -> m.getKey().equals("SEVERE"));
    return ms;
  }

  static JsonNode picture() throws Exception {
    return browser.js(
        "var s = document.querySelector('#space-svg'); return [s.querySelectorAll('rect.region').length, s.outerHTML]");
  }

  /** Moves the scrubber to the position, as a person dragging it would. */
  static void scrub(String position) throws Exception {
    browser.js(
        "var s = document.getElementById('scrubber'); s.value = "
            + position
            + "; s.dispatchEvent(new Event('input'));");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "logs/cat_small_plain.log",
        "logs/python_threads_f.log",
        "logs/mmapfile_f_plain.log",
        "maps/mmapfile.log"
      })
  void corpusReportShowsPictureTimelineAndSummaryAndTheScrubberWorks(String trace)
      throws Exception {
    Path log = Corpus.file(trace);
    String name = trace.replace('/', '_').replace(".log", "");
    open(report(log, name));
    assertThat(browser.js("return document.querySelectorAll('#timeline .row').length").asInt())
        .isPositive();
    assertThat(browser.js("return document.querySelectorAll('#summary-tables tr').length").asInt())
        .isGreaterThan(2);
    // the explain stage's summary: one heading per address space, e.g. "process 123 cat: ..."
    assertThat(browser.js("return document.querySelector('#summary h3').textContent").asText())
        .startsWith("process ")
        .contains(" at the end");
    scrub("s.max");
    JsonNode end = picture();
    assertThat(end.get(0).asInt()).as("regions at the end").isGreaterThan(3);
    assertThat(browser.js("return document.querySelectorAll('#legend .swatch').length").asInt())
        .as("legend")
        .isGreaterThan(1);
    scrub("Math.floor(s.max / 3)");
    JsonNode third = picture();
    assertThat(third.get(1).asText())
        .as("the picture a third of the way in differs from the end")
        .isNotEqualTo(end.get(1).asText());
    browser.screenshot(Path.of("target/screenshots", name + ".png"));
  }

  @Test
  void anFfSetOfForkingProcessesHasAPicturePerAddressSpace() throws Exception {
    Path first = Corpus.log("bash_pipes_ff.26361");
    open(report(first.resolveSibling("bash_pipes_ff"), "logs_bash_pipes_ff"));
    assertThat(browser.js("return document.getElementById('meta').textContent").asText())
        .containsPattern("[1-9][0-9]* address space\\(s\\)");
    // choosing another process in the filter shows that process's own address space
    JsonNode owners =
        browser.js(
            "var f = document.getElementById('f-task'); var seen = [];"
                + "Array.from(f.options).filter(function (o) { return o.value[0] === 'p'; }).slice(0, 3).forEach(function (o) {"
                + "  f.value = o.value; f.dispatchEvent(new Event('change'));"
                + "  var s = document.getElementById('scrubber'); s.value = s.max; s.dispatchEvent(new Event('input'));"
                + "  seen.push(document.getElementById('space-name').textContent); });"
                + "return seen;");
    assertThat(owners).hasSize(3);
    assertThat(
            StreamSupport.stream(owners.spliterator(), false)
                .map(JsonNode::asText)
                .distinct()
                .count())
        .isEqualTo(3);
    browser.screenshot(Path.of("target/screenshots/logs_bash_pipes_ff.png"));
  }

  @Test
  void aJvmStartReportOpensInAFewSeconds() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    measure("jvm-start", "strace -f java -version", java.toString(), "-version");
  }

  @Test
  void aJavacCompileReportWithTensOfThousandsOfLinesStaysUsable() throws Exception {
    Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
    assumeTrue(Files.isExecutable(javac), "needs javac in java.home");
    Path src = Path.of("target/jvm-hello/Hello.java").toAbsolutePath();
    Files.createDirectories(src.getParent());
    Files.writeString(
        src,
        "class Hello { public static void main(String[] a) { System.out.println(\"hi\"); } }\n");
    measure(
        "javac",
        "strace -f javac Hello.java",
        javac.toString(),
        "-d",
        src.getParent().toString(),
        src.toString());
  }

  /** {@code mvn test -Dtest=CorpusReportsInBrowserTest -Dmemtrace.measure=LOG} measures any log. */
  @Test
  @EnabledIfSystemProperty(named = "memtrace.measure", matches = ".+")
  void aGivenLogIsMeasured() throws Exception {
    Path log = Path.of(System.getProperty("memtrace.measure")).toAbsolutePath();
    measureLog("measured", log.getFileName().toString(), log);
  }

  /**
   * Traces the command, renders its report, opens it, scrubs and scrolls it; prints the figures.
   */
  static void measure(String name, String what, String... command) throws Exception {
    LiveAssumptions.assumeStrace();
    Path log = Path.of("target", name + ".log").toAbsolutePath();
    List<String> argv = new ArrayList<>(List.of("/usr/bin/strace", "-f", "-o", log.toString()));
    argv.addAll(List.of(command));
    Process p =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assumeTrue(
        p.waitFor() == 0 && Files.size(log) > 0, what + " did not run here (ptrace refused?)");
    measureLog(name, what, log);
  }

  static void measureLog(String name, String what, Path log) throws Exception {
    long lines;
    try (var l = Files.lines(log, StandardCharsets.ISO_8859_1)) {
      lines = l.count();
    }
    long r0 = System.nanoTime();
    Path html = report(log, name);
    long renderMs = (System.nanoTime() - r0) / 1_000_000;
    long openMs = open(html);
    int ready = browser.js("return +document.body.dataset.ready").asInt();
    int events = browser.js("return document.getElementById('scrubber').max").asInt() + 1;
    long c0 = System.nanoTime();
    scrub("s.max");
    scrub("Math.floor(s.max / 2)");
    long scrubMs = (System.nanoTime() - c0) / 2_000_000;
    scrub("s.max");
    int regions = picture().get(0).asInt();
    // scrolling the timeline from top to bottom renders only the rows in view
    long s0 = System.nanoTime();
    browser.js(
        "var t = document.getElementById('timeline'); for (var i = 0; i <= 50; i++) { t.scrollTop = t.scrollHeight * i / 50; t.dispatchEvent(new Event('scroll')); }");
    long scrollMs = (System.nanoTime() - s0) / 1_000_000;
    int rows = browser.js("return document.querySelectorAll('#timeline .row').length").asInt();
    String figure =
        String.format(
            "%s: %d log lines, %d events; report %d KiB written in %d ms; opened in %d ms (page script %d ms);"
                + " a scrub redraws in %d ms; %d regions at the end; 50 scroll steps in %d ms with %d rows in the DOM%n",
            what,
            lines,
            events,
            Files.size(html) / 1024,
            renderMs,
            openMs,
            ready,
            scrubMs,
            regions,
            scrollMs,
            rows);
    System.out.print(figure);
    Files.createDirectories(Path.of("target/screenshots"));
    Files.writeString(Path.of("target/screenshots", name + "-open-time.txt"), figure);
    browser.screenshot(Path.of("target/screenshots", name + ".png"));
    assertThat(regions).as("regions at the end").isGreaterThan(20);
    assertThat(openMs).as("open time, generous bound").isLessThan(30_000);
    assertThat(rows).as("virtualised list").isLessThan(200);
  }
}
