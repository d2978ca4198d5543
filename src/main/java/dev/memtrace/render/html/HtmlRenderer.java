package dev.memtrace.render.html;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.memtrace.explain.SpaceReport;
import dev.memtrace.render.RegionClassifier;
import dev.memtrace.render.Renderer;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.SetLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes the timeline as one self-contained HTML page: the address space as a picture with a
 * scrubber over the events, the annotated timeline, the summary and filters. The page is the
 * template {@code report.html} with its stylesheet and script inlined and the data embedded as JSON
 * in a {@code <script type="application/json">} element (made safe by {@link ScriptSafeWriter});
 * the script builds the page from that data with DOM text nodes only, so nothing the traced program
 * wrote can become markup. It fetches nothing.
 *
 * <p>The whole timeline is needed to lay out each address space; {@link ReportData} takes each
 * event as it comes and keeps what it needs in temporary files until {@link #finish}, so memory
 * stays flat whatever the length of the log (the page itself grows with it).
 */
public final class HtmlRenderer implements Renderer {

  private final OutputStream out;
  private final ReportData data;
  private final Map<String, Object> meta;
  private Supplier<List<SpaceReport>> reports = List::of;

  /**
   * @param title shown as the page title (the traced command or the log's name)
   */
  public HtmlRenderer(OutputStream out, RegionClassifier classes, String title) {
    this.out = out;
    this.data = new ReportData(classes);
    this.meta = new LinkedHashMap<>();
    meta.put("title", title);
  }

  /**
   * How the input's lines are numbered: in an {@code -ff} set the line a region was made at, and
   * the peak's, name their file ("12 of trace.23016").
   */
  public HtmlRenderer withLines(SetLines set) {
    data.lines(set);
    return this;
  }

  /**
   * The explain stage's per-space summary, asked for in {@link #finish} (after the last event has
   * left the explain stage); the page shows it instead of its own plainer tally.
   */
  public HtmlRenderer withSummary(Supplier<List<SpaceReport>> reports) {
    this.reports = reports;
    return this;
  }

  @Override
  public void event(AnnotatedEvent event) throws IOException {
    data.event(event);
  }

  @Override
  public void finish() throws IOException {
    try (data) {
      data.finish();
      List<SpaceReport> explain = reports.get();
      String page = resource("report.html");
      Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      int dataAt = page.indexOf("/*DATA*/");
      String before =
          page.substring(0, dataAt)
              .replace("/*CSS*/", resource("report.css"))
              .replace("{{TITLE}}", escapeHtml(String.valueOf(meta.get("title"))));
      w.write(before);
      Writer safe = new ScriptSafeWriter(w);
      try (JsonGenerator g =
          new JsonFactory()
              .createGenerator(safe)
              .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
        data.write(g, safe, meta, explain);
      }
      w.write(
          page.substring(dataAt + "/*DATA*/".length()).replace("/*JS*/", resource("report.js")));
      w.flush();
    }
  }

  /** Deletes the temporary files (also when the output failed, or never was written). */
  @Override
  public void close() throws IOException {
    data.close();
  }

  /** The temporary files made so far, for tests. */
  List<Path> spoolFiles() {
    return data.files();
  }

  static String escapeHtml(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c < 0x20 && c != '\t' ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }

  private static String resource(String name) {
    try (InputStream in = HtmlRenderer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
