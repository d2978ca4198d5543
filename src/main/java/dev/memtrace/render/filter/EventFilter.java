package dev.memtrace.render.filter;

import dev.memtrace.model.RegionChange;
import dev.memtrace.model.Who;
import dev.memtrace.render.MemoryEvents;
import dev.memtrace.render.RegionClassifier;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which events a view shows, from the output options {@code --pid}, {@code --syscall},
 * {@code --class}, {@code --memory-only}, {@code --since} and {@code --until}. All given conditions
 * must hold. {@code --pid} of a process shows its threads too: the model tells each event's
 * process. Events arrive in order, so it learns as it goes which timestamp came first. Empty sets
 * and null bounds mean no condition.
 */
public final class EventFilter {

  /** The options, as the CLI parsed them. */
  public record Options(
      Set<Integer> pids,
      Set<String> syscalls,
      Set<String> classes,
      boolean memoryOnly,
      Bound since,
      Bound until) {

    public Options {
      pids = Set.copyOf(pids);
      syscalls = Set.copyOf(syscalls);
      classes = Set.copyOf(classes);
    }

    public static final Options NONE = new Options(Set.of(), Set.of(), Set.of(), false, null, null);

    public boolean isEmpty() {
      // field by field: a record's equals is bootstrapped through method handles on its first
      // call, tens of milliseconds of every run's start-up
      return pids.isEmpty()
          && syscalls.isEmpty()
          && classes.isEmpty()
          && !memoryOnly
          && since == null
          && until == null;
    }
  }

  private final Options o;
  private final RegionClassifier classifier;
  private Double first;
  private Double last;

  public EventFilter(Options options, RegionClassifier classifier) {
    this.o = options;
    this.classifier = classifier;
  }

  public boolean test(AnnotatedEvent a) {
    TraceEvent e = a.event();
    learn(e);
    if (!o.pids().isEmpty()) {
      // a line without pid (strace's stderr mode while one task is traced) is the task the model
      // made of it: the leader's, after a thread's execve gave that thread the leader's pid
      Integer pid = e.pid();
      Integer process = processOf(a);
      if (!(pid != null && o.pids().contains(pid)
          || process != null && o.pids().contains(process))) {
        return false;
      }
    }
    if (!o.syscalls().isEmpty()
        && !(e instanceof SyscallEvent s && o.syscalls().contains(s.name()))) {
      return false;
    }
    if (o.memoryOnly() && !MemoryEvents.isMemoryEvent(a)) {
      return false;
    }
    if (!o.classes().isEmpty() && !touchesClass(a)) {
      return false;
    }
    if (o.since() != null) {
      Integer c = o.since().compare(e, last, first);
      if (c == null || c < 0) {
        return false;
      }
    }
    if (o.until() != null) {
      Integer c = o.until().compare(e, last, first);
      return c == null || c <= 0;
    }
    return true;
  }

  private boolean touchesClass(AnnotatedEvent a) {
    for (int i = 0; i < a.changes().size(); i++) {
      RegionChange c = a.changes().get(i);
      // the explain stage's class when it gave one, else the classifier's
      String given = a.classLabel(i);
      if ((given != null && wanted(given))
          || (c.before() != null && wanted(classifier.label(c.before())))
          || (c.after() != null && given == null && wanted(classifier.label(c.after())))) {
        return true;
      }
    }
    if (a.buffer() != null) {
      String cls =
          a.buffer().regionClass() != null
              ? a.buffer().regionClass().label
              : a.buffer().region() != null ? classifier.label(a.buffer().region()) : null;
      return cls != null && wanted(cls);
    }
    return false;
  }

  /**
   * A class is asked for by its full name or by any word it starts a word with, ignoring case:
   * {@code heap} finds "heap (brk)", {@code stack} both stacks, {@code image} every image part.
   */
  private boolean wanted(String cls) {
    for (String w : o.classes()) {
      if (picks(w, cls)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a --class word picks the class: its full name, or a word it starts a word with. */
  private static boolean picks(String word, String cls) {
    return (" " + cls.toLowerCase(Locale.ROOT)).contains(" " + word.toLowerCase(Locale.ROOT));
  }

  /**
   * A --class word as asked, when it names some region class as {@link #wanted} reads it (its full
   * name, or a word it starts a word of); else an IllegalArgumentException that lists the classes.
   */
  public static String classWord(String word) {
    if (!word.isBlank()) {
      for (RegionClass c : RegionClass.values()) {
        if (picks(word.strip(), c.label)) {
          return word.strip();
        }
      }
    }
    StringBuilder all = new StringBuilder();
    for (RegionClass c : RegionClass.values()) {
      if (c != RegionClass.UNKNOWN) {
        all.append(all.length() == 0 ? "" : ", ").append(c.label);
      }
    }
    throw new IllegalArgumentException(
        "'"
            + word
            + "' names no region class; the classes (a word that starts one of their words picks"
            + " it, e.g. heap, stack, image) are: "
            + all);
  }

  private void learn(TraceEvent e) {
    Double t = e.prefix().seconds();
    if (t != null) {
      if (first == null) {
        first = t;
      }
      last = t;
    }
  }

  /**
   * The process of the event's task, as the model knows it (without the model: the task; null when
   * neither names one).
   */
  private static Integer processOf(AnnotatedEvent a) {
    Who w = a.who();
    int p = w == null ? 0 : w.process().number();
    return p > 0 ? Integer.valueOf(p) : a.event().pid();
  }
}
