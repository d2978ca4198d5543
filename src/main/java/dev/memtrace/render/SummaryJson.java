package dev.memtrace.render;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.memtrace.explain.ExplainStats;
import dev.memtrace.explain.SpaceReport;
import dev.memtrace.explain.Tally;
import dev.memtrace.model.TraceEnd;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.SetLines;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * The summary as one JSON Lines object, {@code {"v": 1, "line": null, "pid": null, "kind":
 * "summary", "spaces": [...], "syscalls": {...}, "bytes_mapped", "bytes_unmapped", "memory_events",
 * "explained", "unexplained", "unexplained_by_syscall"}}: what {@link SummaryText} prints, in
 * bytes.
 */
public final class SummaryJson {
  private SummaryJson() {}

  public static void write(OutputStream out, List<SpaceReport> spaces, ExplainStats stats)
      throws IOException {
    write(out, spaces, stats, SetLines.ONE);
  }

  /**
   * As {@link #write(OutputStream, List, ExplainStats)}; in an {@code -ff} set ({@code set} has
   * several files) {@code peak_line} and {@code peak_table_line} are lines of the files {@code
   * peak_file} and {@code peak_table_file} name.
   */
  public static void write(
      OutputStream out, List<SpaceReport> spaces, ExplainStats stats, SetLines set)
      throws IOException {
    try (JsonGenerator g =
        new JsonFactory()
            .createGenerator(out, JsonEncoding.UTF8)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)) {
      g.writeStartObject();
      g.writeNumberField("v", 1);
      g.writeNullField("line");
      g.writeNullField("pid");
      g.writeStringField("kind", "summary");
      g.writeArrayFieldStart("spaces");
      for (SpaceReport r : spaces) {
        g.writeStartObject();
        g.writeStringField("program", Texts.name(r.program()));
        g.writeArrayFieldStart("pids");
        for (int p : r.pids()) {
          if (p >= 0) {
            g.writeNumber(p);
          }
        }
        g.writeEndArray();
        g.writeBooleanField("end_from_model", r.fromModel());
        g.writeNumberField("memory_events", r.memoryEvents());
        g.writeArrayFieldStart("notes");
        for (String note : r.notes()) {
          g.writeString(note);
        }
        g.writeEndArray();
        tally(g, "end", r.end());
        tally(g, "peak", r.peak());
        g.writeNumberField("peak_line", set.line(r.peakLine()));
        g.writeNumberField("peak_table_line", set.line(r.peakTableLine()));
        if (set.several()) {
          g.writeStringField("peak_file", set.name(set.file(r.peakLine())));
          g.writeStringField("peak_table_file", set.name(set.file(r.peakTableLine())));
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("syscalls");
      for (Map.Entry<String, ExplainStats.Count> e : stats.calls().entrySet()) {
        g.writeObjectFieldStart(e.getKey());
        g.writeNumberField("calls", e.getValue().calls);
        g.writeNumberField("errors", e.getValue().errors);
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeNumberField("bytes_mapped", stats.bytesMapped());
      g.writeNumberField("bytes_unmapped", stats.bytesUnmapped());
      // only where a trace ends early: other summaries stay as they were
      if (!stats.traceEnds().isEmpty()) {
        g.writeArrayFieldStart("trace_ends");
        for (TraceEnd end : stats.traceEnds()) {
          g.writeStartObject();
          g.writeNumberField("line", end.line());
          if (end.pid() == null) {
            g.writeNullField("pid");
          } else {
            g.writeNumberField("pid", end.pid());
          }
          g.writeBooleanField("detached", end.detached());
          g.writeStringField("text", end.sentence());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeNumberField("memory_events", stats.memoryEvents());
      g.writeNumberField("explained", stats.explained());
      g.writeNumberField("unexplained", stats.unexplained());
      g.writeObjectFieldStart("unexplained_by_syscall");
      for (Map.Entry<String, Long> e : stats.unexplainedBySyscall().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    out.write('\n');
    out.flush();
  }

  private static void tally(JsonGenerator g, String name, Tally t) throws IOException {
    g.writeObjectFieldStart(name);
    g.writeNumberField("total", t.total());
    g.writeNumberField("reserved", t.reserved());
    g.writeObjectFieldStart("classes");
    for (Map.Entry<RegionClass, Tally.Row> e : t.byClass().entrySet()) {
      row(g, e.getKey().label, e.getValue());
    }
    g.writeEndObject();
    g.writeObjectFieldStart("objects");
    for (Map.Entry<String, Tally.Row> e : t.byObject().entrySet()) {
      row(g, Texts.name(e.getKey()), e.getValue());
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void row(JsonGenerator g, String name, Tally.Row r) throws IOException {
    g.writeObjectFieldStart(name);
    g.writeNumberField("size", r.size);
    g.writeNumberField("regions", r.regions);
    g.writeNumberField("largest", r.largest);
    g.writeNumberField("reserved", r.reserved);
    g.writeEndObject();
  }
}
