package dev.memtrace.render.html;

import dev.memtrace.model.Region;
import dev.memtrace.render.LearnedClasses;
import dev.memtrace.render.MemoryEvents;
import dev.memtrace.render.RegionClassifier;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Turns the timeline into the compact value the report page embeds. Events are columns (one array
 * per field) so the page can filter tens of thousands without making objects for them. Regions are
 * a table numbered once; an event lists the regions it removed and added in its space, so the page
 * replays the picture forwards from deltas and keeps a checkpoint every few hundred events. Region
 * positions come from {@link AddressAxis}, computed here where addresses are exact.
 */
final class ReportData {

  private final LearnedClasses classes;
  private final Strings strings = new Strings();
  private final Map<Placed, Integer> regionIds = new HashMap<>();
  private final List<Region> regions = new ArrayList<>();
  private final List<Integer> regionSpace = new ArrayList<>();
  private final Map<Integer, SpaceState> states = new TreeMap<>();
  private final Totals totals = new Totals();

  /** The tracker's space numbers, renumbered densely in order of first use. */
  private final Map<Integer, Integer> dense = new HashMap<>();

  /** The task that first used each (dense) space. */
  private final List<Integer> owners = new ArrayList<>();

  /** Each space's axis, made once the whole timeline is known. */
  private final Map<Integer, AddressAxis> axes = new HashMap<>();

  ReportData(RegionClassifier classes) {
    this.classes = new LearnedClasses(classes);
  }

  Map<String, Object> build(List<AnnotatedEvent> timeline, Map<String, Object> meta) {
    SpaceTracker tracker = new SpaceTracker(timeline);
    int n = timeline.size();
    Columns ev = new Columns(n);
    boolean anyTime = false;
    for (AnnotatedEvent a : timeline) {
      TraceEvent e = a.event();
      classes.learn(a);
      int space = dense.computeIfAbsent(tracker.enter(a), k -> dense.size());
      SpaceState state = states.get(space);
      List<Region> initial = List.of();
      if (state == null) {
        Integer from = dense.get(tracker.copiedFrom());
        state =
            from != null && states.containsKey(from)
                ? new SpaceState(states.get(from))
                : new SpaceState();
        if (isExecve(e)) {
          retireOldSpaceOf(SpaceTracker.task(e), space);
        }
        owners.add(SpaceTracker.task(e));
        states.put(space, state);
        initial = new ArrayList<>(state.regions());
        for (Region r : initial) {
          totals.add(classes.label(r), r);
        }
      }
      SpaceState.Delta d = state.apply(SpaceState.learntThenChanges(a));
      for (Region r : d.removed()) {
        totals.remove(classes.label(r), r);
      }
      for (Region r : d.added()) {
        totals.add(classes.label(r), r);
      }
      int task = SpaceTracker.task(e);
      ev.add("line", e.line());
      ev.add("task", task);
      ev.add("proc", SpaceTracker.process(a));
      ev.add("sp", space);
      ev.add("kind", kind(e));
      ev.add("name", strings.id(name(e)));
      Double t = e.prefix().seconds();
      anyTime |= t != null;
      ev.add("t", t);
      ev.add("dur", e instanceof SyscallEvent s ? s.duration() : null);
      ev.add("text", Texts.unicode(e.source().text()));
      ev.add("why", why(a, e));
      ev.add("init", ids(initial, space));
      ev.add("rm", ids(d.removed(), space));
      ev.add("add", ids(d.added(), space));
      Integer buf = null;
      if (a.buffer() != null) {
        Region r =
            a.buffer().region() != null
                ? a.buffer().region()
                : state.regionAt(a.buffer().address());
        buf = r == null ? null : id(r, space);
      }
      ev.add("buf", buf);
      // what a snapshot taught at this event is drawn, but makes no memory event of it
      boolean memory = MemoryEvents.isMemoryEvent(a);
      ev.add("mem", memory ? 1 : 0);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    Map<String, Object> m = new LinkedHashMap<>(meta);
    m.put("events", n);
    m.put("timed", anyTime);
    data.put("meta", m);
    data.put("classes", totals.classNames());
    data.put("spaces", spaces());
    data.put("regions", regionColumns());
    data.put("ev", ev.map());
    data.put("strs", strings.list());
    data.put("summary", totals.summary(states, classes));
    return data;
  }

  private void retireOldSpaceOf(int task, int newSpace) {
    // the space the task had before execve stops existing; its bytes leave the running totals
    for (Map.Entry<Integer, SpaceState> s : new ArrayList<>(states.entrySet())) {
      if (s.getKey() != newSpace && owners.get(s.getKey()) == task && !totals.retired(s.getKey())) {
        for (Region r : s.getValue().regions()) {
          totals.remove(classes.label(r), r);
        }
        totals.retire(s.getKey());
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

  private List<Integer> ids(List<Region> rs, int space) {
    if (rs.isEmpty()) {
      return null;
    }
    List<Integer> out = new ArrayList<>(rs.size());
    for (Region r : rs) {
      out.add(id(r, space));
    }
    return out;
  }

  /** A region in one space: a fork child's copy is a region of its own. */
  private record Placed(int space, Region region) {}

  private int id(Region r, int space) {
    return regionIds.computeIfAbsent(
        new Placed(space, r),
        k -> {
          regions.add(r);
          regionSpace.add(space);
          return regions.size() - 1;
        });
  }

  private List<Object> spaces() {
    Map<Integer, List<Region>> ever = new TreeMap<>();
    for (int i = 0; i < regions.size(); i++) {
      ever.computeIfAbsent(regionSpace.get(i), k -> new ArrayList<>()).add(regions.get(i));
    }
    List<Object> out = new ArrayList<>();
    axes.clear();
    for (int s : states.keySet()) {
      AddressAxis axis = new AddressAxis(ever.getOrDefault(s, List.of()));
      axes.put(s, axis);
      List<Object> gaps = new ArrayList<>();
      for (AddressAxis.Gap g : axis.gaps()) {
        gaps.add(List.of(g.y(), g.height(), g.bytes()));
      }
      Map<String, Object> sp = new LinkedHashMap<>();
      sp.put("owner", owners.get(s));
      sp.put("height", axis.height());
      sp.put("gaps", gaps);
      out.add(sp);
    }
    return out;
  }

  private Map<String, Object> regionColumns() {
    Columns c =
        new Columns(
            regions.size(),
            "sp",
            "s",
            "e",
            "size",
            "perm",
            "path",
            "cls",
            "y",
            "h",
            "origin",
            "learnt");
    for (int i = 0; i < regions.size(); i++) {
      Region r = regions.get(i);
      AddressAxis axis = axes.get(regionSpace.get(i));
      c.add("sp", regionSpace.get(i));
      c.add("s", Long.toHexString(r.start()));
      c.add("e", Long.toHexString(r.end()));
      c.add("size", r.size());
      c.add("perm", strings.id(r.perms()));
      c.add("path", strings.id(Texts.name(r.path())));
      c.add("cls", totals.classId(classes.label(r)));
      c.add("y", round(axis.y(r.start())));
      c.add("h", round(axis.y(r.end()) - axis.y(r.start())));
      c.add("origin", r.originLine());
      c.add("learnt", strings.id(r.learnt().words()));
    }
    return c.map();
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
