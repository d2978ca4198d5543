package dev.memtrace.render.perfetto;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.render.LearnedClasses;
import dev.memtrace.render.RegionClassifier;
import dev.memtrace.render.Renderer;
import dev.memtrace.render.SpaceState;
import dev.memtrace.render.SpaceTracker;
import dev.memtrace.render.Texts;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.trace.ExitEvent;
import dev.memtrace.trace.NoticeEvent;
import dev.memtrace.trace.SignalEvent;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.UnparsedEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes the timeline as Chrome trace-event JSON, which the Perfetto UI and chrome://tracing open:
 * a track per thread (pid = thread-group leader, tid = task) with a complete slice ({@code
 * "ph":"X"}) per syscall carrying the call's arguments, result and explanations; signals and exits
 * as instants; and a counter track per process with its mapped bytes per region class.
 *
 * <p>Times are microseconds from the earliest event. A log without timestamps gets synthetic ones
 * from line order (each call 1 µs, or its {@code -T} time when printed), and the metadata says so:
 * the order is real, the spacing is not.
 */
public final class PerfettoRenderer implements Renderer {

  private final OutputStream out;
  private final LearnedClasses classes;
  private final String title;
  private final List<AnnotatedEvent> timeline = new ArrayList<>();

  public PerfettoRenderer(OutputStream out, RegionClassifier classes, String title) {
    this.out = out;
    this.classes = new LearnedClasses(classes);
    this.title = title;
  }

  @Override
  public void event(AnnotatedEvent event) {
    timeline.add(event);
  }

  @Override
  public void finish() throws IOException {
    Clock clock = new Clock(timeline);
    SpaceTracker tracker = new SpaceTracker(timeline);
    Map<Integer, SpaceState> states = new HashMap<>();
    Set<String> allClasses = new TreeSet<>();
    JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.writeStartObject();
    g.writeArrayFieldStart("traceEvents");
    Set<Integer> namedTasks = new LinkedHashSet<>();
    for (AnnotatedEvent a : timeline) {
      TraceEvent e = a.event();
      classes.learn(a);
      int task = SpaceTracker.task(e);
      int pid = SpaceTracker.process(a);
      int space = tracker.enter(a);
      SpaceState state = states.get(space);
      if (state == null) {
        int from = tracker.copiedFrom();
        state = states.containsKey(from) ? new SpaceState(states.get(from)) : new SpaceState();
        states.put(space, state);
      }
      if (namedTasks.add(task)) {
        names(g, pid, task);
      }
      double ts = clock.ts(a);
      slice(g, a, pid, task, ts, clock.dur(a));
      SpaceState.Delta d = state.apply(SpaceState.learntThenChanges(a));
      if (!d.isEmpty() || a.changes().size() > 0) {
        Map<String, Long> bytes = state.bytesByClass(classes);
        for (Region r : d.removed()) {
          allClasses.add(classes.classify(r));
        }
        allClasses.addAll(bytes.keySet());
        g.writeStartObject();
        g.writeStringField("ph", "C");
        g.writeStringField("name", "mapped bytes");
        g.writeNumberField("pid", pid);
        g.writeNumberField("tid", pid);
        g.writeNumberField("ts", ts);
        g.writeObjectFieldStart("args");
        for (String c : allClasses) {
          g.writeNumberField(c, bytes.getOrDefault(c, 0L));
        }
        g.writeEndObject();
        g.writeEndObject();
      }
    }
    g.writeEndArray();
    g.writeStringField("displayTimeUnit", "ms");
    g.writeObjectFieldStart("metadata");
    g.writeStringField("source", "memtrace");
    g.writeStringField("title", title);
    g.writeNumberField("events", timeline.size());
    g.writeStringField(
        "timestamps",
        clock.synthetic
            ? "synthesised from line order: the log has no timestamps; order is real, spacing is not"
            : "from the log");
    g.writeStringField(
        "durations",
        clock.anyDuration
            ? "from -T where printed"
            : "not in the log (-T); slices are drawn 1 µs long");
    g.writeEndObject();
    g.writeEndObject();
    g.flush();
  }

  private static void names(JsonGenerator g, int pid, int task) throws IOException {
    if (task == pid) {
      meta(g, "process_name", pid, pid, pid == 0 ? "traced process" : "pid " + pid);
    }
    meta(g, "thread_name", pid, task, task == pid ? "main " + task : "thread " + task);
  }

  private static void meta(JsonGenerator g, String what, int pid, int tid, String name)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("ph", "M");
    g.writeStringField("name", what);
    g.writeNumberField("pid", pid);
    g.writeNumberField("tid", tid);
    g.writeObjectFieldStart("args");
    g.writeStringField("name", name);
    g.writeEndObject();
    g.writeEndObject();
  }

  private void slice(JsonGenerator g, AnnotatedEvent a, int pid, int tid, double ts, double dur)
      throws IOException {
    TraceEvent e = a.event();
    g.writeStartObject();
    if (e instanceof SyscallEvent s) {
      g.writeStringField("ph", "X");
      g.writeStringField("name", s.name());
      g.writeStringField(
          "cat", a.changes().isEmpty() && a.buffer() == null ? "syscall" : "syscall,memory");
      g.writeNumberField("dur", dur);
    } else {
      g.writeStringField("ph", "i");
      g.writeStringField("s", "t");
      g.writeStringField("name", instantName(e));
      g.writeStringField("cat", e.getClass().getSimpleName().replace("Event", "").toLowerCase());
    }
    g.writeNumberField("ts", ts);
    g.writeNumberField("pid", pid);
    g.writeNumberField("tid", tid);
    g.writeObjectFieldStart("args");
    g.writeNumberField("line", e.line());
    if (e instanceof SyscallEvent s) {
      g.writeStringField("args", Texts.unicode(s.args().text()));
      g.writeStringField(
          "ret", s.result() == null ? "(unfinished)" : Texts.unicode(s.result().text()));
    } else {
      g.writeStringField("text", Texts.unicode(e.source().text()));
    }
    if (!a.why().isEmpty()) {
      g.writeArrayFieldStart("why");
      for (Explanation x : a.why()) {
        g.writeString(x.text() + " [" + x.basis().label + "]");
      }
      g.writeEndArray();
    }
    if (!a.changes().isEmpty()) {
      g.writeArrayFieldStart("changes");
      for (RegionChange c : a.changes()) {
        Region r = c.after() != null ? c.after() : c.before();
        g.writeString(
            c.op().symbol
                + " "
                + Long.toHexString(r.start())
                + "-"
                + Long.toHexString(r.end())
                + " "
                + r.perms()
                + " "
                + Texts.name(r.path()));
      }
      g.writeEndArray();
    }
    if (a.buffer() != null) {
      g.writeStringField(
          "buffer",
          "0x"
              + Long.toHexString(a.buffer().address())
              + (a.buffer().regionLabel() == null ? "" : " in " + a.buffer().regionLabel()));
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private static String instantName(TraceEvent e) {
    if (e instanceof SignalEvent s) {
      return s.signal();
    } else if (e instanceof ExitEvent x) {
      return x.kind().name().toLowerCase()
          + (x.status() != null ? " " + x.status() : "")
          + (x.signal() != null ? " " + x.signal() : "");
    } else if (e instanceof NoticeEvent n) {
      return "notice: " + n.kind().name().toLowerCase();
    } else if (e instanceof UnparsedEvent) {
      return "unparsed line";
    }
    return "event";
  }
}
