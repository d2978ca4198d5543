package dev.memtrace.render.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.memtrace.render.Synthetic;
import dev.memtrace.timeline.AnnotatedEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Opens reports in headless Chromium and checks what a person would see: the picture and the
 * timeline rendered, no console errors, the scrubber redraws the picture, clicking a region lists
 * the events that touched it. Screenshots go to target/screenshots/. Skipped when Debian's chromium
 * and chromium-driver are not installed (.ci/run installs them).
 */
class ReportInBrowserTest extends InBrowser {

  /** Writes the page, opens it, and checks it loaded without console errors. */
  static Path open(String name, String page) throws Exception {
    Path file = Path.of("target/html", name + ".html").toAbsolutePath();
    Files.createDirectories(file.getParent());
    Files.writeString(file, page);
    browser.open(file);
    assertThat(browser.js("return document.body.dataset.ready").isTextual())
        .as("report script finished")
        .isTrue();
    List<Map.Entry<String, String>> console = browser.console();
    assertThat(console).as("console messages").noneMatch(m -> m.getKey().equals("SEVERE"));
    return file;
  }

  @Test
  void scrubbingRedrawsThePictureAndHighlightsTheChange() throws Exception {
    open("synthetic", HtmlRendererTest.render(Synthetic.process(true), "synthetic"));
    assertThat(browser.js("return document.querySelectorAll('#timeline .row').length").asInt())
        .isEqualTo(13);
    // it opens on the address space as the trace leaves it: 5 regions, the file gone
    assertThat(
            browser.js("return document.querySelectorAll('#space-svg rect.region').length").asInt())
        .isEqualTo(5);
    assertThat(browser.js("return document.getElementById('timeline').scrollTop").asInt()).isZero();
    browser.js(
        "var s = document.getElementById('scrubber'); s.value = 0; s.dispatchEvent(new Event('input'));");
    JsonNode first =
        browser.js(
            "return [document.querySelectorAll('#space-svg rect.region').length, document.querySelector('#space-svg').outerHTML]");
    assertThat(first.get(0).asInt()).isEqualTo(2);
    // move the scrubber to the event that maps the file (line 7)
    browser.js(
        "var s = document.getElementById('scrubber'); s.value = 6; s.dispatchEvent(new Event('input'));");
    JsonNode after =
        browser.js(
            "return [document.querySelectorAll('#space-svg rect.region').length, document.querySelector('#space-svg').outerHTML, document.querySelectorAll('#space-svg rect.hl').length, document.querySelector('#pos').textContent]");
    assertThat(after.get(0).asInt()).isEqualTo(5);
    assertThat(after.get(1).asText()).isNotEqualTo(first.get(1).asText());
    assertThat(after.get(2).asInt()).isEqualTo(1);
    assertThat(after.get(3).asText()).contains("line 7");
    browser.screenshot(Path.of("target/screenshots/synthetic.png"));
    // the munmap shows the file's band as gone
    browser.js(
        "var s = document.getElementById('scrubber'); s.value = 11; s.dispatchEvent(new Event('input'));");
    assertThat(
            browser.js("return document.querySelectorAll('#space-svg rect.gone').length").asInt())
        .isEqualTo(1);
  }

  @Test
  void clickingARegionListsTheEventsThatTouchedIt() throws Exception {
    open("synthetic-click", HtmlRendererTest.render(Synthetic.process(true), "synthetic"));
    browser.js(
        "var s = document.getElementById('scrubber'); s.value = 12; s.dispatchEvent(new Event('input'));");
    String heapRegion =
        "Array.from(document.querySelectorAll('#space-svg rect.region')).find(function (r) { return r.querySelector('title').textContent.indexOf('[heap]') >= 0; })";
    browser.js(heapRegion + ".dispatchEvent(new MouseEvent('click', {bubbles: true}))");
    JsonNode lines =
        browser.js(
            "return Array.from(document.querySelectorAll('#detail .ev')).map(function (e) { return e.textContent.split(':')[0]; })");
    // the brk that made the heap, the read into it, the thread's brk that grew it
    assertThat(lines).extracting(JsonNode::asText).containsExactly("3", "8", "11");
  }

  @Test
  void filtersNarrowTheTimeline() throws Exception {
    open("synthetic-filter", HtmlRendererTest.render(Synthetic.process(true), "synthetic"));
    browser.js(
        "var f = document.getElementById('f-mem'); f.checked = true; f.dispatchEvent(new Event('change'));");
    assertThat(browser.js("return document.getElementById('count').textContent").asText())
        .startsWith("9 of 13");
    browser.js(
        "var f = document.getElementById('f-mem'); f.checked = false; f.dispatchEvent(new Event('change'));"
            + "var t = document.getElementById('f-task'); t.value = 't101'; t.dispatchEvent(new Event('change'));");
    assertThat(browser.js("return document.getElementById('count').textContent").asText())
        .startsWith("1 of 13");
    browser.js(
        "var t = document.getElementById('f-task'); t.value = ''; t.dispatchEvent(new Event('change'));"
            + "var c = document.getElementById('f-class'); c.value = String(Array.from(c.options).find(function (o) { return o.text === 'heap (brk)'; }).value); c.dispatchEvent(new Event('change'));");
    assertThat(browser.js("return document.getElementById('count').textContent").asText())
        .startsWith("3 of 13");
    // text search, case-insensitive, in the line (CLONE_THREAD) and the explanations ("a thread
    // stack")
    browser.js(
        "var c = document.getElementById('f-class'); c.value = ''; c.dispatchEvent(new Event('change'));"
            + "var t = document.getElementById('f-text'); t.value = 'THREAD'; t.dispatchEvent(new Event('input'));");
    Thread.sleep(400);
    assertThat(browser.js("return document.getElementById('count').textContent").asText())
        .startsWith("3 of 13");
    assertThat(
            browser.js(
                "return Array.from(document.querySelectorAll('#timeline .row .l')).map(function (e) { return e.textContent; })"))
        .extracting(JsonNode::asText)
        .containsExactly("9", "10", "11");
  }

  /** What a traced program read or wrote can hold markup; the page must show it as text. */
  static final String HOSTILE =
      "</script><script>window.pwned=1</script><!-- </textarea><img src=x onerror=\\\"window.pwned=2\\\"> \u2028 \u001b[31mred";

  @Test
  void markupInTheTraceShowsAsTextAndNeverRuns() throws Exception {
    List<AnnotatedEvent> timeline =
        new Synthetic(true)
            .call(7, "write", "1, \"" + HOSTILE + "\", 99", "99", List.of(), "wrote " + HOSTILE)
            .events();
    String page = HtmlRendererTest.render(timeline, "<b>title</b>");
    // only the template's own two script elements close
    assertThat(page.split("</script>", -1)).hasSize(3);
    open("hostile", page);
    assertThat(browser.js("return typeof window.pwned").asText()).isEqualTo("undefined");
    assertThat(
            browser
                .js(
                    "return document.querySelectorAll('img').length + document.querySelectorAll('script').length")
                .asInt())
        .isEqualTo(2);
    String shown = browser.js("return document.querySelector('#detail pre').textContent").asText();
    assertThat(shown)
        .contains("</script><script>window.pwned=1</script>")
        .contains("</textarea><img src=x");
    assertThat(browser.js("return document.querySelector('.why').textContent").asText())
        .contains("<!-- </textarea>");
    // each reason shows its basis, what it rests on, its kind and the lines it cites
    assertThat(browser.js("return document.querySelector('.why .basis').textContent").asText())
        .isEqualTo("trace");
    assertThat(browser.js("return document.querySelector('.why').textContent").asText())
        .contains("rests on: line 1")
        .contains("kind test, lines 1");
    assertThat(browser.js("return document.title").asText()).isEqualTo("memtrace: <b>title</b>");
  }

  @Test
  void theHarnessSeesConsoleErrors() throws Exception {
    Path file = Path.of("target/html/broken.html").toAbsolutePath();
    Files.writeString(
        file,
        "<!DOCTYPE html><title>x</title><script>console.error('deliberate'); null.x;</script>");
    browser.open(file);
    assertThat(browser.console())
        .anyMatch(m -> m.getKey().equals("SEVERE") && m.getValue().contains("deliberate"));
  }

  @Test
  void aHostileLogThroughTheCliShowsItsBytesAsText() throws Exception {
    Path log = Path.of("target/html/hostile.log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    // raw bytes as a log written without -o carries them: the program's own output spliced in
    Files.write(
        log,
        ("9  write(1, \"</script><script>window.pwned=1</script>\", 40) = 40\n"
                + "\u001b]0;title\u0007</textarea><img src=x onerror=window.pwned=2><!--\n"
                + "9  +++ exited with 0 +++\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    open(
        "hostile-cli-copy",
        HtmlRendererTest.analyze(log, Path.of("target/html/hostile-cli.html").toAbsolutePath()));
    assertThat(browser.js("return typeof window.pwned").asText()).isEqualTo("undefined");
    assertThat(browser.js("return document.querySelectorAll('img').length").asInt()).isZero();
    String rows =
        browser
            .js(
                "return Array.from(document.querySelectorAll('#timeline .row .t')).map(function (r) { return r.textContent; }).join('|')")
            .asText();
    assertThat(rows)
        .contains("<script>window.pwned=1</script>")
        .contains("</textarea><img src=x onerror=window.pwned=2><!--");
  }

  /** Two calls' mappings in one area: the region's title does not credit one call with it all. */
  @Test
  void aMergedRegionSaysHowMuchOfItItsLineMade() throws Exception {
    Path log = Path.of("target/html/merged-browser.log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    Files.writeString(log, Synthetic.MERGED_MMAPS);
    open("merged-browser-copy", HtmlRendererTest.analyze(log, log.resolveSibling("merged.html")));
    String titles =
        browser
            .js(
                "return Array.from(document.querySelectorAll('#space-svg rect.region title')).map(function (t) { return t.textContent; }).join('\\n')")
            .asText();
    assertThat(titles)
        .contains(
            "made at line 2: 12 KiB of it; other calls made the rest next to it, and the kernel"
                + " keeps them as one area");
  }

  @Test
  void aLiveCatRunPicturesItsStackAndItsText() throws Exception {
    dev.memtrace.run.LiveAssumptions.assumeStrace();
    Path input = Path.of("target/html/cat-input.txt").toAbsolutePath();
    Files.createDirectories(input.getParent());
    Files.writeString(input, "hello\n");
    Path html = Path.of("target/html/live-cat.html").toAbsolutePath();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int rc =
        dev.memtrace.cli.Main.run(
            new String[] {
              "run", "--format", "html", "-o", html.toString(), "--", "cat", input.toString()
            },
            new java.io.PrintStream(new java.io.ByteArrayOutputStream()),
            new java.io.PrintStream(err));
    assertThat(rc).as(err.toString()).isZero();
    open("live-cat-copy", Files.readString(html));
    // no call in the trace maps these: the kernel does at execve, and the first snapshot shows them
    String cat = Path.of("/bin/cat").toRealPath().toString();
    List<String> regions =
        List.of(
            browser
                .js(
                    "return Array.from(document.querySelectorAll('#space-svg rect.region title')).map(function (t) { return t.textContent; }).join('\\n')")
                .asText()
                .split("\n"));
    assertThat(regions)
        .anyMatch(r -> r.matches("\\S+ rw-p .* \\[stack\\] \\(.*learnt from a snapshot\\)"))
        .anyMatch(
            r ->
                r.matches(
                    "\\S+ r-xp .* "
                        + java.util.regex.Pattern.quote(cat)
                        + " \\(.*learnt from a snapshot\\)"));
    browser.screenshot(Path.of("target/screenshots/live-cat.png"));
  }
}
