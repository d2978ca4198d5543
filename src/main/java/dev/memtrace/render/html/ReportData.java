package dev.memtrace.render.html;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.memtrace.explain.SpaceReport;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.render.HandleIds;
import dev.memtrace.render.LearnedClasses;
import dev.memtrace.render.MemoryEvents;
import dev.memtrace.render.RegionClassifier;
import dev.memtrace.render.SpaceState;
import dev.memtrace.render.SpaceTracker;
import dev.memtrace.render.Texts;
import dev.memtrace.render.spool.Spool;
import dev.memtrace.render.spool.TempFiles;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.ExitEvent;
import dev.memtrace.trace.NoticeEvent;
import dev.memtrace.trace.SetLines;
import dev.memtrace.trace.SignalEvent;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.UnparsedEvent;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns the timeline, event by event, into the compact value the report page embeds. Events are
 * columns (one array per field) so the page can filter tens of thousands without making objects for
 * them. Regions are a table numbered once; an event lists the regions it removed and added in its
 * space, so the page replays the picture forwards from deltas and keeps a checkpoint every few
 * hundred events. Region positions come from {@link AddressAxis}, computed here where addresses are
 * exact.
 *
 * <p>Nothing grows with the log: what an event shows of itself goes to its columns as it comes;
 * what depends on the whole timeline (the space and process an event belongs to, final once the
 * model has seen every clone) waits in {@link Spool}s, and {@link #finish} replays the address
 * spaces from them, writing the event's deltas and the region table to further columns. Only the
 * live spaces are held: a space is let go once no later event needs it (its last event, or a forked
 * child's first), and its axis, its regions' places and its row are then made; of one a later
 * execve of its task replaces, only its bytes per class and per object wait for that execve. Every
 * column is a temporary file until the page copies it; all are deleted by {@link #close}.
 */
final class ReportData implements AutoCloseable {

  private static final String[] EVENT_COLUMNS = {
    "line", "task", "proc", "sp", "kind", "name", "t", "dur", "text", "why", "init", "rm", "add",
    "buf", "mem"
  };

  private static final String[] REGION_COLUMNS = {
    "sp", "s", "e", "size", "perm", "path", "origin", "made", "learnt"
  };

  private final JsonFactory json = new JsonFactory();
  private final LearnedClasses classes;
  private final Strings strings = new Strings();
  private final Totals totals = new Totals();
  private final TempFiles files = new TempFiles("memtrace-html-");

  /** Per event: task, space handle id (-1: none), whether it is a successful execve. */
  private Spool who;

  /** Per event: process handle id, the changes, the learnt changes and the buffer. */
  private Spool memory;

  private JsonColumns ev;
  private JsonColumns regionColumns;
  private RegionPlaces places;
  private SpaceRows spaceRows;
  private long events;
  private boolean anyTime;

  /** The model's handles the events named, by id; read once the whole timeline is there. */
  private final HandleIds handles = new HandleIds();

  /** The tracker's numbers of the live spaces, renumbered densely in order of first use. */
  private final Map<Integer, Integer> dense = new HashMap<>();

  private int spaceCount;

  /** The spaces still needed, by dense number. */
  private final Map<Integer, Live> live = new HashMap<>();

  /** The numbers of the regions of the live spaces. */
  private final Map<Placed, Integer> regionIds = new HashMap<>();

  /** How many live spaces have each region in their table: its learnt class is kept till none. */
  private final Map<Region, int[]> holders = new HashMap<>();

  private int regionCount;

  /** By task: the ended spaces it owns whose bytes leave the totals when it runs execve. */
  private final Map<Integer, List<Totals.Leaving>> leaving = new HashMap<>();

  /** By the tracker's number: when a space is replaced by its task's execve, if it is. */
  private Map<Integer, Long> retiredAt;

  /** By class label: the regions the ended spaces (not replaced by execve) held at their end. */
  private final Map<String, Integer> endRegions = new HashMap<>();

  /** One address space while events still need it. */
  private static final class Live {
    /** The tracker's number. */
    final int number;

    final int owner;
    final SpaceState state;
    boolean retired;

    /** Its regions in the table (the axis is cut at each's boundaries) and their numbers. */
    final List<Region> ever = new ArrayList<>();

    final List<Integer> everIds = new ArrayList<>();

    /** The regions its events gave a class, or it copied. */
    final List<Region> classed = new ArrayList<>();

    /**
     * Each region's class label as its bytes were added to the totals: they leave under the same
     * one, though the learnt class of a region of that value may have changed since (another space
     * holding a copy of it learnt another).
     */
    final Map<Region, String> counted = new HashMap<>();

    Live(int number, int owner, SpaceState state) {
      this.number = number;
      this.owner = owner;
      this.state = state;
    }
  }

  /** A region in one space: a fork child's copy is a region of its own. */
  private record Placed(int space, Region region) {}

  ReportData(RegionClassifier classes) {
    this.classes = new LearnedClasses(classes);
  }

  private void open() throws IOException {
    if (who == null) {
      who = new Spool(files, "who");
      memory = new Spool(files, "memory");
      ev = new JsonColumns(files, json, EVENT_COLUMNS);
      regionColumns = new JsonColumns(files, json, REGION_COLUMNS);
      places = new RegionPlaces(files);
      spaceRows = new SpaceRows(files);
    }
  }

  /** The temporary files made so far. */
  List<Path> files() {
    return files.files();
  }

  /** Takes one event: its own columns now, what needs the whole timeline to the spools. */
  void event(AnnotatedEvent a) throws IOException {
    open();
    TraceEvent e = a.event();
    int task = SpaceTracker.task(e);
    DataOutputStream o = who.out();
    o.writeInt(task);
    o.writeInt(handles.space(a));
    o.writeBoolean(isExecve(e));
    DataOutputStream m = memory.out();
    m.writeInt(handles.process(a));
    Spool.writeChanges(m, a);
    m.writeBoolean(a.buffer() != null);
    if (a.buffer() != null) {
      Spool.writeRegion(m, a.buffer().region());
      m.writeLong(a.buffer().address());
    }
    ev.add("line", e.line());
    ev.add("task", task);
    ev.add("kind", kind(e));
    ev.add("name", strings.id(name(e)));
    Double t = e.prefix().seconds();
    anyTime |= t != null;
    ev.add("t", t);
    ev.add("dur", e instanceof SyscallEvent s ? s.duration() : null);
    ev.add("text", Texts.unicode(e.source().text()));
    ev.add("why", why(a, e));
    // what a snapshot taught at this event is drawn, but makes no memory event of it
    ev.add("mem", MemoryEvents.isMemoryEvent(a) ? 1 : 0);
    events++;
  }

  /** After the last event: replays the spaces, filling the columns that needed the timeline. */
  void finish() throws IOException {
    open();
    int[] numbers = handles.numbers();
    Map<Integer, Integer> copies = handles.copies(numbers);
    Map<Long, List<Integer>> releases = releases(numbers, copies);
    SpaceTracker tracker = new SpaceTracker(copies);
    who.rewind();
    memory.rewind();
    DataInputStream wi = who.in();
    DataInputStream mi = memory.in();
    List<RegionClass> changeClasses = new ArrayList<>();
    List<RegionClass> learntClasses = new ArrayList<>();
    List<RegionChange> changes = new ArrayList<>();
    List<RegionChange> learnt = new ArrayList<>();
    List<RegionChange> all = new ArrayList<>();
    for (long index = 0; index < events; index++) {
      int task = wi.readInt();
      int spaceHandle = wi.readInt();
      boolean execve = wi.readBoolean();
      int processHandle = mi.readInt();
      readChanges(changeClasses, changes);
      readChanges(learntClasses, learnt);
      boolean hasBuffer = mi.readBoolean();
      Region bufferRegion = hasBuffer ? memory.readRegion() : null;
      long bufferAddress = hasBuffer ? mi.readLong() : 0;

      int number = tracker.enter(spaceHandle < 0 ? -1 - task : numbers[spaceHandle]);
      int space = dense.computeIfAbsent(number, k -> spaceCount++);
      Live l = live.get(space);
      List<Region> initial = List.of();
      learn(changeClasses, changes, true);
      learn(learntClasses, learnt, false);
      if (l == null) {
        Integer from = dense.get(tracker.copiedFrom());
        Live parent = from == null ? null : live.get(from);
        SpaceState state = parent != null ? new SpaceState(parent.state) : new SpaceState();
        if (execve) {
          retireOldSpaceOf(task);
        }
        l = new Live(number, task, state);
        live.put(space, l);
        initial = new ArrayList<>(state.regions());
        for (Region r : initial) {
          count(l, r);
        }
        l.classed.addAll(initial);
      }
      remember(l, changeClasses, changes, true);
      remember(l, learntClasses, learnt, false);
      all.clear();
      all.addAll(learnt);
      all.addAll(changes);
      SpaceState.Delta d = l.state.apply(all);
      for (Region r : d.removed()) {
        totals.remove(uncount(l, r), r);
      }
      for (Region r : d.added()) {
        count(l, r);
      }
      int p = processHandle < 0 ? 0 : numbers[processHandle];
      ev.add("proc", p > 0 ? p : task);
      ev.add("sp", space);
      ev.add("init", ids(initial, space, l));
      ev.add("rm", ids(d.removed(), space, l));
      ev.add("add", ids(d.added(), space, l));
      Integer buf = null;
      if (hasBuffer) {
        Region r = bufferRegion != null ? bufferRegion : l.state.regionAt(bufferAddress);
        buf = r == null ? null : id(r, space, l);
      }
      ev.add("buf", buf);
      List<Integer> over = releases.remove(index);
      if (over != null) {
        for (int ended : over) {
          release(dense.get(ended), tracker);
        }
      }
    }
    // every space ends at an event; this is in case one did not
    for (int s : new ArrayList<>(live.keySet())) {
      release(s, tracker);
    }
    ev.end();
    regionColumns.end();
    places.rewind();
  }

  private void readChanges(List<RegionClass> cls, List<RegionChange> out) throws IOException {
    cls.clear();
    out.clear();
    DataInputStream in = memory.in();
    for (int n = in.readInt(); n > 0; n--) {
      cls.add(memory.readClass());
      Region before = memory.readRegion();
      Region after = memory.readRegion();
      out.add(
          before == null
              ? RegionChange.added(after)
              : after == null ? RegionChange.removed(before) : RegionChange.changed(before, after));
    }
  }

  /**
   * As {@link LearnedClasses#learn(AnnotatedEvent)}: a change teaches the class of the region it
   * leaves (or removes), a learnt change that of the region it leaves.
   */
  private void learn(List<RegionClass> cls, List<RegionChange> cs, boolean orRemoved) {
    for (int i = 0; i < cs.size(); i++) {
      classes.learn(taught(cs.get(i), orRemoved), cls.get(i));
    }
  }

  private static void remember(
      Live l, List<RegionClass> cls, List<RegionChange> cs, boolean orRemoved) {
    for (int i = 0; i < cs.size(); i++) {
      Region r = taught(cs.get(i), orRemoved);
      if (r != null && cls.get(i) != null) {
        l.classed.add(r);
      }
    }
  }

  private static Region taught(RegionChange c, boolean orRemoved) {
    return c.after() != null || !orRemoved ? c.after() : c.before();
  }

  /**
   * When each space is let go, by the index of the event after which no event needs it: its last
   * event or the first of a forked child that starts as a copy of it. Values are the model's space
   * numbers (as the tracker gives them). Notes in {@link #retiredAt} the execve that retires each
   * space its task replaced.
   */
  private Map<Long, List<Integer>> releases(int[] numbers, Map<Integer, Integer> copies)
      throws IOException {
    Map<Integer, Long> first = new HashMap<>();
    Map<Integer, Long> last = new HashMap<>();
    Map<Integer, Long> retired = new HashMap<>();
    Map<Integer, List<Integer>> owned = new HashMap<>();
    who.rewind();
    DataInputStream in = who.in();
    for (long i = 0; i < events; i++) {
      int task = in.readInt();
      int handle = in.readInt();
      boolean execve = in.readBoolean();
      int space = handle < 0 ? -1 - task : numbers[handle];
      if (first.putIfAbsent(space, i) == null) {
        // as retireOldSpaceOf: the spaces the task owned end with its execve
        List<Integer> old = execve ? owned.remove(task) : null;
        if (old != null) {
          for (int s : old) {
            retired.put(s, i);
          }
        }
        owned.computeIfAbsent(task, k -> new ArrayList<>()).add(space);
      }
      last.put(space, i);
    }
    Map<Integer, Long> release = new HashMap<>(last);
    for (Map.Entry<Integer, Integer> c : copies.entrySet()) {
      Long child = first.get(c.getKey());
      Long parent = first.get(c.getValue());
      if (child != null && parent != null && parent < child) {
        release.merge(c.getValue(), child, Math::max);
      }
    }
    retiredAt = retired;
    Map<Long, List<Integer>> at = new HashMap<>();
    release.forEach((s, i) -> at.computeIfAbsent(i, k -> new ArrayList<>()).add(s));
    return at;
  }

  /** Adds a region of a live space to the totals under its class label now. */
  private void count(Live l, Region r) {
    String label = classes.label(r);
    l.counted.put(r, label);
    totals.add(label, r);
  }

  /**
   * The label a region of a live space was added to the totals under (see {@link Live#counted}).
   */
  private String uncount(Live l, Region r) {
    String label = l.counted.remove(r);
    return label != null ? label : classes.label(r);
  }

  private void retireOldSpaceOf(int task) {
    // the space the task had before execve stops existing; its bytes leave the running totals
    List<Totals.Leaving> ended = leaving.remove(task);
    if (ended != null) {
      for (Totals.Leaving l : ended) {
        totals.remove(l);
      }
    }
    for (Live s : live.values()) {
      if (s.owner == task && !s.retired) {
        for (Region r : s.state.regions()) {
          totals.remove(uncount(s, r), r);
        }
        s.retired = true;
      }
    }
  }

  /**
   * Lets a space go: its axis is final, so its regions' places and its row are written, and the
   * classes learnt for its regions are forgotten unless a live space has them too.
   */
  private void release(int space, SpaceTracker tracker) throws IOException {
    Live l = live.remove(space);
    dense.remove(l.number);
    tracker.ended(l.number);
    AddressAxis axis = new AddressAxis(l.ever);
    for (int k = 0; k < l.ever.size(); k++) {
      Region r = l.ever.get(k);
      double y = axis.y(r.start());
      places.put(
          l.everIds.get(k), classes.classify(r).ordinal(), round(y), round(axis.y(r.end()) - y));
      regionIds.remove(new Placed(space, r));
      int[] n = holders.get(r);
      if (--n[0] == 0) {
        holders.remove(r);
      }
    }
    List<Object> gaps = new ArrayList<>();
    for (AddressAxis.Gap g : axis.gaps()) {
      gaps.add(List.of(g.y(), g.height(), g.bytes()));
    }
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("owner", l.owner);
    row.put("height", axis.height());
    row.put("gaps", gaps);
    StringWriter text = new StringWriter();
    try (JsonGenerator g = json.createGenerator(text)) {
      DataJson.write(g, row);
    }
    spaceRows.put(space, text.toString());
    Long retiring = retiredAt.get(l.number);
    if (!l.retired && retiring != null) {
      // replaced by a later execve of its task: only its bytes are needed till then
      Totals.Leaving bytes = new Totals.Leaving();
      for (Region r : l.state.regions()) {
        bytes.add(uncount(l, r), r);
      }
      leaving.computeIfAbsent(l.owner, k -> new ArrayList<>()).add(bytes);
    } else if (!l.retired) {
      for (Region r : l.state.regions()) {
        endRegions.merge(classes.label(r), 1, Integer::sum);
      }
    }
    classes.forget(l.classed, holders::containsKey);
  }

  /**
   * Writes the data as one JSON object: the value {@code g} writes next. The columns are copied
   * from their files through {@code raw}, the writer under {@code g}.
   */
  void write(JsonGenerator g, Writer raw, Map<String, Object> meta, List<SpaceReport> explain)
      throws IOException {
    g.writeStartObject();
    Map<String, Object> m = new LinkedHashMap<>(meta);
    m.put("events", events);
    m.put("timed", anyTime);
    g.writeFieldName("meta");
    DataJson.write(g, m);
    g.writeFieldName("classes");
    DataJson.write(g, totals.classNames());
    g.writeArrayFieldStart("spaces");
    for (int s = 0; s < spaceCount; s++) {
      g.writeRawValue(spaceRows.get(s));
    }
    g.writeEndArray();
    g.writeObjectFieldStart("regions");
    for (String c : REGION_COLUMNS) {
      if (c.equals("origin")) {
        writePlaces(g);
      }
      g.writeFieldName(c);
      regionColumns.write(c, g, raw);
    }
    g.writeEndObject();
    g.writeObjectFieldStart("ev");
    if (events > 0) {
      for (String c : EVENT_COLUMNS) {
        g.writeFieldName(c);
        ev.write(c, g, raw);
      }
    }
    g.writeEndObject();
    g.writeFieldName("strs");
    DataJson.write(g, strings.list());
    g.writeFieldName("summary");
    DataJson.write(g, totals.summary(endRegions));
    g.writeFieldName("explain");
    ExplainSummary.write(g, explain, this::origin);
    g.writeEndObject();
  }

  /** The columns cls, y and h of the region table, from {@link RegionPlaces}. */
  private void writePlaces(JsonGenerator g) throws IOException {
    for (int column = 0; column < 3; column++) {
      places.rewind();
      g.writeArrayFieldStart(column == 0 ? "cls" : column == 1 ? "y" : "h");
      for (int i = 0; i < regionCount; i++) {
        int cls = places.readClass();
        double y = places.readDouble();
        double h = places.readDouble();
        if (column == 0) {
          g.writeNumber(totals.classId(RegionClass.values()[cls].label));
        } else {
          g.writeNumber(column == 1 ? y : h);
        }
      }
      g.writeEndArray();
    }
  }

  /** Closes and deletes every temporary file. */
  @Override
  public void close() throws IOException {
    try (files) {
      if (who != null) {
        who.close();
        memory.close();
        ev.close();
        regionColumns.close();
        places.close();
        spaceRows.close();
      }
    }
  }

  private static boolean isExecve(TraceEvent e) {
    return e instanceof SyscallEvent s && s.name().startsWith("execve") && s.succeeded();
  }

  private List<Object> why(AnnotatedEvent a, TraceEvent e) {
    List<Object> out = new ArrayList<>();
    for (Explanation x : a.why()) {
      out.add(
          List.of(
              x.text(),
              x.basis().label,
              String.join("; ", x.evidence()),
              x.rule()
                  + ", lines "
                  + x.lines(e.line()).stream()
                      .map(String::valueOf)
                      .collect(Collectors.joining(", "))));
    }
    for (String c : a.checks()) {
      out.add(List.of(c, "check", ""));
    }
    if (e instanceof UnparsedEvent u) {
      out.add(List.of("not parsed: " + u.error(), "check", ""));
    }
    return out.isEmpty() ? null : out;
  }

  private List<Integer> ids(List<Region> rs, int space, Live l) throws IOException {
    if (rs.isEmpty()) {
      return null;
    }
    List<Integer> out = new ArrayList<>(rs.size());
    for (Region r : rs) {
      out.add(id(r, space, l));
    }
    return out;
  }

  private int id(Region r, int space, Live l) throws IOException {
    Placed key = new Placed(space, r);
    Integer id = regionIds.get(key);
    if (id != null) {
      return id;
    }
    id = regionCount++;
    regionIds.put(key, id);
    l.ever.add(r);
    l.everIds.add(id);
    holders.computeIfAbsent(r, k -> new int[1])[0]++;
    regionColumns.add("sp", space);
    regionColumns.add("s", Long.toHexString(r.start()));
    regionColumns.add("e", Long.toHexString(r.end()));
    regionColumns.add("size", r.size());
    regionColumns.add("perm", strings.id(r.perms()));
    regionColumns.add("path", strings.id(Texts.name(r.path())));
    regionColumns.add("origin", origin(r.originLine()));
    // how much of it the call on that line made: all of it unless the kernel merged other calls'
    // memory into the same area
    regionColumns.add("made", r.madeBytes());
    regionColumns.add("learnt", strings.id(r.learnt().words()));
    return id;
  }

  private SetLines set = SetLines.ONE;

  /** How the input's lines are numbered ({@link HtmlRenderer#withLines}). */
  void lines(SetLines numbering) {
    this.set = numbering;
  }

  /**
   * A line the page cites as "made at line N": the line itself (0 for none), or in an {@code -ff}
   * set the line with its file ("12 of trace.23016").
   */
  Object origin(int ref) {
    return ref <= 0 || !set.several() ? (Object) ref : set.cite(ref, -1);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  static int kind(TraceEvent e) {
    if (e instanceof SyscallEvent) {
      return 0;
    } else if (e instanceof SignalEvent) {
      return 1;
    } else if (e instanceof ExitEvent) {
      return 2;
    } else if (e instanceof NoticeEvent) {
      return 3;
    }
    return 4;
  }

  static String name(TraceEvent e) {
    if (e instanceof SyscallEvent s) {
      return s.name();
    } else if (e instanceof SignalEvent s) {
      return s.signal();
    } else if (e instanceof ExitEvent x) {
      return x.kind().name().toLowerCase();
    } else if (e instanceof NoticeEvent) {
      return "notice";
    }
    return "unparsed";
  }
}
