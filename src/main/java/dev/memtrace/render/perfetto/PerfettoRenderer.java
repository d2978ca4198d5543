package dev.memtrace.render.perfetto;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.render.HandleIds;
import dev.memtrace.render.LearnedClasses;
import dev.memtrace.render.RegionClassifier;
import dev.memtrace.render.Renderer;
import dev.memtrace.render.SpaceState;
import dev.memtrace.render.SpaceTracker;
import dev.memtrace.render.Texts;
import dev.memtrace.render.spool.Spool;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.trace.ExitEvent;
import dev.memtrace.trace.NoticeEvent;
import dev.memtrace.trace.SignalEvent;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.UnparsedEvent;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>The document is written at {@link #finish}: its times count from the earliest in the log and
 * an event's process is final only once the model has seen every clone. Until then the events wait
 * in a temporary file ({@link EventSpool}), each already rendered but for those numbers, so memory
 * stays flat whatever the length of the log.
 */
public final class PerfettoRenderer implements Renderer {

  private final OutputStream out;
  private final LearnedClasses classes;
  private final String title;
  private final JsonFactory json = new JsonFactory();
  private final Clock clock = new Clock();

  /** The events as they came, on disk until {@link #finish}; made by the first event. */
  private EventSpool spool;

  private long events;

  /** The model's handles the events named, by id; read once the whole timeline is there. */
  private final HandleIds handles = new HandleIds();

  /** By handle id: the first and the last event acting on that space (-1: none). */
  private final List<Long> firstUse = new ArrayList<>();

  private final List<Long> lastUse = new ArrayList<>();

  /** One event's args object, rendered as it comes. */
  private final ByteArrayOutputStream args = new ByteArrayOutputStream(512);

  public PerfettoRenderer(OutputStream out, RegionClassifier classes, String title) {
    this.out = out;
    this.classes = new LearnedClasses(classes);
    this.title = title;
  }

  /**
   * Writes down what the document needs of the event: everything but its timestamp, process and
   * space, which depend on the whole timeline, is rendered now.
   */
  @Override
  public void event(AnnotatedEvent a) throws IOException {
    if (spool == null) {
      spool = new EventSpool();
    }
    DataOutputStream d = spool.out();
    TraceEvent e = a.event();
    int space = handles.space(a);
    d.writeInt(SpaceTracker.task(e));
    d.writeInt(handles.process(a));
    d.writeInt(space);
    if (space >= 0) {
      used(space);
    }
    d.writeDouble(clock.see(a));
    d.writeDouble(Clock.dur(a));
    if (e instanceof SyscallEvent s) {
      d.writeBoolean(true);
      Spool.writeString(d, s.name());
      Spool.writeString(
          d, a.changes().isEmpty() && a.buffer() == null ? "syscall" : "syscall,memory");
    } else {
      d.writeBoolean(false);
      Spool.writeString(d, instantName(e));
      Spool.writeString(d, e.getClass().getSimpleName().replace("Event", "").toLowerCase());
    }
    args.reset();
    try (JsonGenerator g = json.createGenerator(args, JsonEncoding.UTF8)) {
      args(g, a);
    }
    d.writeInt(args.size());
    args.writeTo(d);
    Spool.writeChanges(d, a);
    events++;
  }

  /** Notes that the current event acts on the space of handle {@code id}. */
  private void used(int id) {
    while (firstUse.size() <= id) {
      firstUse.add(-1L);
      lastUse.add(-1L);
    }
    if (firstUse.get(id) < 0) {
      firstUse.set(id, events);
    }
    lastUse.set(id, events);
  }

  /**
   * By space number: the last event that needs its state, its own or a forked child's first (which
   * starts as a copy of it). After it the state is let go: a trace of thousands of processes would
   * otherwise keep the regions of every space it ever had.
   */
  private Map<Integer, Long> lastNeeded(int[] numbers, Map<Integer, Integer> copies) {
    Map<Integer, Long> first = new HashMap<>();
    Map<Integer, Long> last = new HashMap<>();
    for (int h = 0; h < firstUse.size(); h++) {
      if (firstUse.get(h) >= 0) {
        first.merge(numbers[h], firstUse.get(h), Math::min);
        last.merge(numbers[h], lastUse.get(h), Math::max);
      }
    }
    for (Map.Entry<Integer, Integer> c : copies.entrySet()) {
      Long childFirst = first.get(c.getKey());
      if (childFirst != null) {
        last.merge(c.getValue(), childFirst, Math::max);
      }
    }
    return last;
  }

  /** How many regions the renderer keeps a learnt class for. */
  int classesKept() {
    return classes.size();
  }

  /** Whether a live space holds the region (a forked copy of the space that made it). */
  private static boolean held(Map<Integer, SpaceState> states, Region r) {
    for (SpaceState st : states.values()) {
      if (r.equals(st.regionAt(r.start()))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void finish() throws IOException {
    if (spool == null) {
      spool = new EventSpool();
    }
    try (EventSpool s = spool) {
      s.rewind();
      write(s);
    }
  }

  /** The document, from the spooled events, now that the handles and the times are final. */
  private void write(EventSpool s) throws IOException {
    clock.seenAll();
    int[] numbers = handles.numbers();
    Map<Integer, Integer> copies = handles.copies(numbers);
    SpaceTracker tracker = new SpaceTracker(copies);
    Map<Integer, Long> lastNeeded = lastNeeded(numbers, copies);
    Map<Integer, SpaceState> states = new HashMap<>();
    long index = -1;
    Set<String> allClasses = new TreeSet<>();
    JsonGenerator g = json.createGenerator(out, JsonEncoding.UTF8);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    g.writeStartObject();
    g.writeArrayFieldStart("traceEvents");
    Set<Integer> namedTasks = new LinkedHashSet<>();
    EventSpool.Entry a = new EventSpool.Entry();
    List<RegionChange> changes = new ArrayList<>();
    // the regions each live space was given a class for, or copied: forgotten when it ends
    Map<Integer, List<Region>> classed = new HashMap<>();
    while (s.read(a)) {
      index++;
      int task = a.task;
      int p = a.process < 0 ? 0 : numbers[a.process];
      int pid = p > 0 ? p : task;
      int space = tracker.enter(a.space < 0 ? -1 - task : numbers[a.space]);
      SpaceState state = states.get(space);
      List<Region> mine = classed.computeIfAbsent(space, k -> new ArrayList<>());
      if (state == null) {
        int from = tracker.copiedFrom();
        state = states.containsKey(from) ? new SpaceState(states.get(from)) : new SpaceState();
        states.put(space, state);
        mine.addAll(state.regions());
      }
      for (int i = 0; i < a.classes.size(); i++) {
        Region r = a.after.get(i) != null ? a.after.get(i) : a.before.get(i);
        classes.learn(r, a.classes.get(i));
        mine.add(r);
      }
      for (int i = 0; i < a.learntClasses.size(); i++) {
        classes.learn(a.learntAfter.get(i), a.learntClasses.get(i));
        mine.add(a.learntAfter.get(i));
      }
      if (namedTasks.add(task)) {
        names(g, pid, task);
      }
      double ts = clock.ts(a.raw, a.dur);
      slice(g, a, pid, task, ts);
      changes.clear();
      for (int i = 0; i < a.learntBefore.size(); i++) {
        changes.add(change(a.learntBefore.get(i), a.learntAfter.get(i)));
      }
      for (int i = 0; i < a.before.size(); i++) {
        changes.add(change(a.before.get(i), a.after.get(i)));
      }
      SpaceState.Delta d = state.apply(changes);
      if (!d.isEmpty() || !a.classes.isEmpty()) {
        Map<String, Long> bytes = state.bytesByClass(classes);
        for (Region r : d.removed()) {
          allClasses.add(classes.label(r));
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
      if (lastNeeded.getOrDefault(space, -1L) == index) {
        states.remove(space);
        tracker.ended(space);
        classes.forget(classed.remove(space), r -> held(states, r));
      }
    }
    g.writeEndArray();
    g.writeStringField("displayTimeUnit", "ms");
    g.writeObjectFieldStart("metadata");
    g.writeStringField("source", "memtrace");
    g.writeStringField("title", title);
    g.writeNumberField("events", events);
    g.writeStringField(
        "timestamps",
        clock.synthetic()
            ? "synthesised from line order: the log has no timestamps; order is real, spacing is not"
            : "from the log");
    g.writeStringField(
        "durations",
        clock.anyDuration()
            ? "from -T where printed"
            : "not in the log (-T); slices are drawn 1 µs long");
    g.writeEndObject();
    g.writeEndObject();
    g.flush();
  }

  /** A change as the space replays it: only its regions matter there. */
  private static RegionChange change(Region before, Region after) {
    return before == null
        ? RegionChange.added(after)
        : after == null ? RegionChange.removed(before) : RegionChange.changed(before, after);
  }

  @Override
  public void close() throws IOException {
    if (spool != null) {
      spool.close();
    }
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

  private static void slice(JsonGenerator g, EventSpool.Entry a, int pid, int tid, double ts)
      throws IOException {
    g.writeStartObject();
    if (a.syscall) {
      g.writeStringField("ph", "X");
      g.writeStringField("name", a.name);
      g.writeStringField("cat", a.cat);
      g.writeNumberField("dur", a.dur);
    } else {
      g.writeStringField("ph", "i");
      g.writeStringField("s", "t");
      g.writeStringField("name", a.name);
      g.writeStringField("cat", a.cat);
    }
    g.writeNumberField("ts", ts);
    g.writeNumberField("pid", pid);
    g.writeNumberField("tid", tid);
    g.writeFieldName("args");
    g.writeRawValue(new String(a.args, 0, a.argsLength, StandardCharsets.UTF_8));
    g.writeEndObject();
  }

  /**
   * The return as the slice shows it: strace's text, said in words where strace prints "?" (exit,
   * exit_group: the call does not return) or nothing (the call never finished in the trace).
   */
  private static String ret(SyscallEvent s) {
    if (s.result() == null) {
      return s.completion() == SyscallEvent.Completion.DETACHED
          ? "(" + Texts.DETACHED + ")"
          : "(unfinished)";
    }
    String t = s.result().text();
    return t.equals("?") ? "(none: the call does not return)" : Texts.unicode(t);
  }

  /** A slice's or an instant's {@code args} object: its line, text and what memtrace made of it. */
  private static void args(JsonGenerator g, AnnotatedEvent a) throws IOException {
    TraceEvent e = a.event();
    g.writeStartObject();
    g.writeNumberField("line", e.line());
    if (e instanceof SyscallEvent s) {
      g.writeStringField("args", Texts.unicode(s.args().text()));
      g.writeStringField("ret", ret(s));
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
              + (a.buffer().region() == null
                  ? " in no region the trace made"
                  : a.buffer().regionClass() == null
                      ? ""
                      : " in " + a.buffer().regionClass().label));
    }
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
