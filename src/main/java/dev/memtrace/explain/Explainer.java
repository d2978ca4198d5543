package dev.memtrace.explain;

import dev.memtrace.decode.Brk;
import dev.memtrace.decode.Call;
import dev.memtrace.decode.Execve;
import dev.memtrace.model.AddressSpaceView;
import dev.memtrace.model.EmptyFile;
import dev.memtrace.model.FdTable;
import dev.memtrace.model.Handle;
import dev.memtrace.model.MemorySyscalls;
import dev.memtrace.model.ModelView;
import dev.memtrace.model.OpenFile;
import dev.memtrace.model.Region;
import dev.memtrace.model.ShmSize;
import dev.memtrace.model.Who;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.BufferRef;
import dev.memtrace.timeline.ExplainedClass;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.Explanation.Basis;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.ExitEvent;
import dev.memtrace.trace.NoticeEvent;
import dev.memtrace.trace.SignalEvent;
import dev.memtrace.trace.StackFrame;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The explain stage. It sits after the model: each event arrives with the changes the model
 * computed, and leaves with the reasons for it ({@code why}) and, for read/write-like calls, the
 * region its buffer lies in ({@code buffer}).
 *
 * <p>Rules ({@link Rules#TABLE}) look back through what this stage remembers per address space
 * ({@link Space}: tagged ranges, brk, malloc threshold, the object ld.so is loading). To look
 * ahead, events wait in a bounded window before they leave: a later event may amend an event still
 * waiting (the reads that follow an mmap tell what the mapping was for). Memory stays flat however
 * long the log is. A rule that throws is a bug: the exception is not caught here, so a test sees
 * it. An event no rule explains leaves without a reason and is counted in {@link #stats()}.
 */
public final class Explainer {

  /** Default number of events held back for lookahead. */
  public static final int DEFAULT_WINDOW = 256;

  private final int window;

  /** The model as it stands after the event being explained, or null for none. */
  private final ModelView model;

  /** What this stage remembers of each address space, by the model's handle of the space. */
  private final Map<Handle, Space> spaces = new HashMap<>();

  /**
   * The window: a {@link Pending} for an event this stage looks at, or the event itself for one it
   * passes by (most of a log), which then costs no bookkeeping.
   */
  private final Deque<Object> pending = new ArrayDeque<>();

  private final ExplainStats stats = new ExplainStats();
  private final Buffers buffers = new Buffers(this);

  /** The space of the call seen last. */
  private Space last;

  /**
   * The model's spaces of tasks met while clone-family calls of other tasks were in flight and
   * guessed to share {@link #last}: such a task is most likely one of those calls' children, which
   * its clone, once it returns, places (a thread joins its parent's space, a fork's child a copy of
   * its parent's). Until then the guess holds no process, whatever the task's later lines: the
   * forkserver's child of firefox-esr, met among the lines of the parent firefox-esr's threads, was
   * counted among the parent's pids.
   */
  private final Set<Handle> guessedChildren = new HashSet<>();

  /** An event waiting in the window, with the reasons found so far. */
  static final class Pending {
    final AnnotatedEvent in;
    final List<Explanation> why = new ArrayList<>();
    BufferRef buffer;
    boolean memory;

    /** The call's count in {@link ExplainStats}, when it is a call. */
    ExplainStats.Count count;

    /** Tags this event made, whose amendments stop when it leaves. */
    final List<Tag> made = new ArrayList<>();

    /** The tag over each change's region, read when the event leaves (tags may be refined). */
    List<Tag> classes;

    /**
     * The tag over each learnt region the ELF headers laid out (null for the others), or null when
     * none: the RELRO part of an image is told by the mprotect that made it, not by its name.
     */
    List<Tag> learntTags;

    /** The path execve ran in this event's address space, to class its image. */
    String exe;

    /** The row of the rule table that explained the event, or null. */
    Rule rule;

    /** What {@link #rule} said, while no later event has retold it; else null. */
    Explanation said;

    Pending(AnnotatedEvent in) {
      this.in = in;
    }
  }

  /**
   * @param window how many events to hold back for lookahead (0 = none)
   * @param model the model, read after the event being explained, or null for none: its address
   *     spaces place buffers and faults in regions the trace never shows being made, its fd tables
   *     name the files behind fds
   */
  public Explainer(int window, ModelView model) {
    this(window, model, true);
  }

  /**
   * @param keepReports whether {@link #reports()} will be asked for: without, the space of a
   *     process that exited is simply let go
   */
  public Explainer(int window, ModelView model, boolean keepReports) {
    this.window = Math.max(0, window);
    this.model = model;
    this.keepReports = keepReports;
  }

  public Explainer() {
    this(DEFAULT_WINDOW, null);
  }

  public ExplainStats stats() {
    return stats;
  }

  /**
   * One report per address space still known at the end, in order of first appearance. Call after
   * {@link #finish()}.
   */
  public List<SpaceReport> reports() {
    List<SpaceReport> live = new ArrayList<>();
    Set<Space> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Space sp : spaces.values()) {
      SpaceReport r = seen.add(sp) ? report(sp) : null;
      if (r != null) {
        live.add(r);
      }
    }
    return finished.with(live);
  }

  /**
   * What the explanations so far said a region of {@code who}'s address space was made for, with
   * the line of the call that made the mapping they told of: the class of the tag that covers it (a
   * thread stack, its guard, a malloc arena), or of the tags that cover it alike as the summary
   * counts them (an arena heap that grow_heap's mprotects grew piece by piece, two malloc chunks
   * the kernel merged), citing the one at its start; null when tags of different ends share the
   * region (the kernel merged two mappings the trace made for different ends into one) or none
   * covers part of it. {@code maps --explain} and {@code where} read it.
   */
  public ExplainedClass classOf(Who who, Region r) {
    Space sp = who == null ? null : spaces.get(who.space().resolve());
    TagMap.Span s = sp == null ? null : sp.tags.at(r.start());
    if (s == null || s.tag().cls() == RegionClass.UNKNOWN) {
      return null;
    }
    if (Long.compareUnsigned(s.end(), r.end()) < 0) {
      List<TagMap.Span> made = sp.tags.overlapping(r.start(), r.end());
      if (made.size() < 2 || !Tally.madeForOnePurpose(made, r)) {
        return null;
      }
    }
    return new ExplainedClass(Classifier.classify(r, s.tag(), sp.exe), s.tag().line());
  }

  /**
   * Where an address no region holds lay before one of the latest munmaps of {@code who}'s address
   * space gave it back ("116 bytes into where the 1052672-byte malloc chunk made at line 33 lay
   * until the munmap at line 34 gave it back"), or null. {@code where} reads it.
   */
  public String unmappedAt(Who who, long address) {
    Space sp = who == null ? null : spaces.get(who.space().resolve());
    Space.Unmapped u = sp == null ? null : sp.unmappedAt(address);
    return u == null ? null : u.told(address);
  }

  /** How many of the model's space handles this stage holds a space for: the live spaces. */
  int spacesHeld() {
    return spaces.size();
  }

  /**
   * The regions the trace or its snapshots show: those not laid out from this machine's ELF
   * headers, and those that were where a call in the trace tagged them.
   */
  private static List<Region> shownByTrace(List<Region> regions, TagMap tags) {
    List<Region> out = new ArrayList<>(regions.size());
    for (Region r : regions) {
      if (r.learnt() != Region.Learnt.ELF_HEADER || tags.at(r.start()) != null) {
        out.add(r);
      }
    }
    return out;
  }

  /** The summary of a space (null when no process used it), as it stands now. */
  private static SpaceReport report(Space sp) {
    if (!sp.used()) {
      return null;
    }
    AddressSpaceView v = sp.view;
    // the summary is text: it counts what the trace and its snapshots show, not this machine's
    // files, but for what a call in the trace told of them (ld.so's RELRO mprotect of the
    // executable and of itself), which the peak's ranges count too
    List<Region> known = v == null ? List.of() : shownByTrace(v.regions(), sp.tags);
    boolean model = !known.isEmpty();
    Tally end = model ? Tally.of(known, sp.tags, sp.exe) : Tally.of(sp.tags, v);
    Tally peak = sp.peakTally == null ? new Tally() : sp.peakTally;
    List<String> notes = new ArrayList<>();
    if (sp.memoryEvents == 0) {
      notes.add(noMemoryCalls(sp, v, model));
    }
    if (v != null && v.untracedClone() > 0) {
      notes.add(
          "the clone at line "
              + v.untracedClone()
              + " made a thread that shares this address space, but the log shows no pids:"
              + " strace followed only this task, as it does without -f (or this is one file of"
              + " an -ff set), so what the other threads mapped (their malloc arenas, their own"
              + " mmaps) is not in these figures");
    }
    return new SpaceReport(
        sp.program(),
        sp.processes(),
        end,
        peak,
        sp.peakLine,
        sp.peakTallyLine,
        model,
        sp.memoryEvents,
        notes);
  }

  /**
   * What a space holds when the log shows no memory call in it (a fork child that only exited, a
   * child whose only calls were execve and exit): the fork's copy of its parent's space (dup_mmap),
   * what its execve mapped, which the kernel does itself (execve(2)), or, for a task met midway,
   * nothing the log tells ({@code shown}: but the model holds regions for it, from snapshots).
   */
  private static String noMemoryCalls(Space sp, AddressSpaceView v, boolean shown) {
    String none = "the log shows no memory call of it";
    if (sp.forked && v != null && v.forkLine() > 0) {
      return none
          + ": what it holds is the copy of process "
          + v.forkParent()
          + "'s address space that the fork at line "
          + v.forkLine()
          + " made";
    }
    if (sp.forked) {
      return none + ": what it holds is a fork's copy of its parent's address space";
    }
    if (sp.execSeen && sp.execLine > 0) {
      return none
          + ": its memory is what its execve at line "
          + sp.execLine
          + " mapped, which the kernel does itself ("
          + (v == null || v.programInterp() == null
              ? "the program's segments, the loader it names if any, [stack]"
              : v.programInterp()
                  ? "the program's segments, the loader it names, [stack]"
                  : "the program's segments and [stack]: the ELF headers memtrace read name no loader")
          + "), so no call in the trace shows it";
    }
    // a snapshot (run -p) may show its regions all the same
    return none + ", nor its start" + (shown ? "" : ": what it holds is unknown");
  }

  /**
   * The reports of the spaces whose tasks have all exited, made as the last one exits: a long log
   * of a shell loop starts thousands of processes, and their spaces (tags, the model's regions) are
   * let go instead of being held to the end. Empty when no one asks for reports.
   */
  private final ReportSpool finished = new ReportSpool();

  private final boolean keepReports;

  /** Whether {@link #reports()} will be asked for: what only they read is kept up only then. */
  boolean keepsReports() {
    return keepReports;
  }

  /** A task exited; the space ends with its last task, as the model tells. */
  private void exited(Who who) {
    if (who == null || !who.spaceEnded()) {
      return;
    }
    if (last != null && last == end(who.space().resolve())) {
      last = null; // no task is left in it to be the parent of a task met next
    }
  }

  /**
   * Lets go of the space the model's handle named, its last task gone (an exit, or an execve that
   * moved it to a fresh space), its report kept; returns it, or null when another handle still
   * names it.
   */
  private Space end(Handle h) {
    Space sp = spaces.remove(h);
    forgetCached();
    // a task met before its clone returned got its space under a handle the clone then joined to
    // another: every lookup resolves handles first, so that key is never read again
    spaces.keySet().removeIf(k -> k.resolve() != k);
    if (sp == null || spaces.containsValue(sp)) {
      // a space guessed for tasks the trace never showed starting (a log filtered with -e
      // trace=memory has no clone) is shared: it ends with the last of them
      return null;
    }
    SpaceReport r = keepReports ? report(sp) : null;
    if (r != null) {
      finished.add(r);
    }
    return sp;
  }

  /** Takes the next event (in log order); returns the events that leave the window, in order. */
  public List<AnnotatedEvent> accept(AnnotatedEvent in) {
    List<AnnotatedEvent> out = new ArrayList<>(1);
    accept(in, out);
    return out;
  }

  /** As {@link #accept(AnnotatedEvent)}, adding the events that leave the window to {@code out}. */
  public void accept(AnnotatedEvent in, List<AnnotatedEvent> out) {
    Pending p = null;
    if (in.event() instanceof SyscallEvent sc) {
      Space sp = enter(in.who(), sc);
      NameInfo name = nameInfo(sc.name());
      if (passesBy(name, sp, in)) {
        // counted now, while the event is in the cache: nothing can amend it in the window
        stats.count(in, name.count, false, false);
        pending.addLast(in);
      } else {
        p = new Pending(in);
        explain(p, sc, sp, name);
      }
    } else {
      p = new Pending(in);
      explainOther(p);
    }
    if (p != null) {
      pending.addLast(p);
    }
    // Once the window is full, each event in lets exactly one out
    while (pending.size() > window) {
      out.add(emit(pending.removeFirst()));
    }
  }

  /** Everything still held back, after the last event. */
  public List<AnnotatedEvent> finish() {
    List<AnnotatedEvent> out = new ArrayList<>();
    while (!pending.isEmpty()) {
      out.add(emit(pending.removeFirst()));
    }
    return out;
  }

  private AnnotatedEvent emit(Object entry) {
    if (entry instanceof AnnotatedEvent in) {
      return in; // passed by, and counted, when it came in
    }
    Pending p = (Pending) entry;
    for (int i = 0, n = p.made.size(); i < n; i++) {
      p.made.get(i).origin = null;
    }
    AnnotatedEvent in = p.in;
    stats.count(in, p.count, p.memory, !p.why.isEmpty());
    if (p.why.isEmpty() && p.buffer == null && p.classes == null && p.learntTags == null) {
      return in; // most events: nothing added, the same event leaves without copying its lists
    }
    List<Explanation> why = new ArrayList<>(in.why());
    for (int i = 0, n = p.why.size(); i < n; i++) {
      why.add(saysPattern(p.why.get(i)));
    }
    BufferRef buf = p.buffer != null ? p.buffer : in.buffer();
    return new AnnotatedEvent(
        in.event(),
        in.changes(),
        in.checks(),
        buf,
        why,
        withLearnt(p.classes == null ? in.classes() : labels(in, p.classes, p.exe), in, p),
        in.who(),
        in.learnt(),
        in.call());
  }

  /** Explains a call this stage does not pass by, in the space {@link #enter} gave it. */
  private void explain(Pending p, SyscallEvent sc, Space sp, NameInfo name) {
    p.count = name.count;
    p.memory = name.memory;
    Ctx c = new Ctx(sc, p.in.call(), sp, this, p.in.changes(), p.in.who());
    if (p.memory && c.made() != null && c.made().kind() == Who.Kind.EXEC) {
      // the model found an execve the trace does not show at this brk (MemoryCalls.unseenExec)
      spawned(c);
      c = new Ctx(sc, p.in.call(), now(c), this, p.in.changes(), p.in.who());
    }
    if (p.memory) {
      Rule.Said said = null;
      Rule rule = null;
      for (Rule r : name.rules) {
        if (r.matches(c)) {
          said = r.say().say(c);
          if (said != null) {
            rule = r;
            break;
          }
        }
      }
      if (said != null) {
        p.rule = rule;
        p.said = toExplanation(rule, said, c);
        if (sc.name().equals("brk")) {
          p.said = BreakAhead.agree(p.said, c);
        }
        p.why.add(p.said);
      }
      State.apply(c, rule, said, p, this);
      p.classes = classes(p.in, sp);
      p.learntTags = learntTags(p.in, sp);
      p.exe = sp.exe;
    } else {
      State.applyOther(c, this);
      spawned(c);
      buffers.explain(c, p);
      Explanation copy = KernelCopies.explain(c);
      if (copy != null) {
        p.why.add(copy);
      }
    }
    Specials.after(c, p);
  }

  /** An exit ends its task's use of its space; a signal may be a fault to place. */
  private void explainOther(Pending p) {
    TraceEvent ev = p.in.event();
    Integer pid = ev.pid();
    if (ev instanceof ExitEvent x && x.kind() != ExitEvent.Kind.SUPERSEDED) {
      exited(p.in.who());
    } else if (ev instanceof SignalEvent sig) {
      Who w = p.in.who();
      Space sp = w == null ? null : spaces.get(w.space().resolve());
      Explanation e = Faults.explain(sig, sp, view(pid));
      if (e != null) {
        p.why.add(e);
      }
      p.memory = Faults.isFault(sig);
    } else if (ev instanceof NoticeEvent n && n.kind() == NoticeEvent.Kind.PERSONALITY) {
      // strace's personality notice (absent under -q, which -o with a command implies); a 64-bit
      // program's lone int 0x80 call gets one "32 bit" notice, then "64 bit" at its next call
      Who w = p.in.who();
      Space sp = w == null ? null : spaces.get(w.space().resolve());
      if (sp != null && n.text().contains("runs in 32 bit mode")) {
        sp.bits32 = true;
      } else if (sp != null && n.text().contains("runs in 64 bit mode")) {
        sp.bits32 = false;
      }
    }
  }

  /**
   * How -k names a frame, for a sentence that names one: by the nearest symbol below its address in
   * the object's symbol table, which a stripped library reduces to its exported symbols (libdw's
   * dwfl_module_addrname reads .symtab, else .dynsym), so a static function shows as a neighbour.
   */
  static final String FRAME_NAMES =
      "-k names the nearest symbol it finds, only an exported one in a stripped library, so an"
          + " internal function may show as its neighbour";

  /**
   * Calls strace names so only in a 32-bit x86 process (its i386 syscall table): glibc's i386 mmap
   * is mmap2, and its TLS is set with set_thread_area where x86-64 uses arch_prctl.
   */
  private static final Set<String> I386_NAMES = Set.of("mmap2", "set_thread_area");

  /** The space of the call's task, the task's model view noted in it. */
  private Space enter(Who who, SyscallEvent sc) {
    Space sp = spaceOf(who, sc);
    last = sp;
    if (I386_NAMES.contains(sc.name())) {
      sp.bits32 = true;
    }
    AddressSpaceView v = view(sc.pid());
    if (v != null) {
      sp.view = v;
    }
    return sp;
  }

  /**
   * Whether this stage has nothing to learn from the call and nothing to say about it: not a memory
   * call, no region changed, not one of the calls it notes ({@link NotedCalls#NOTED}), in a space
   * whose kernel-made regions it has seen. Most of a large log is passed by.
   */
  private static boolean passesBy(NameInfo name, Space sp, AnnotatedEvent in) {
    return !name.memory && in.changes().isEmpty() && sp.specialsSeen && !name.noted;
  }

  /** The tag over the region each change leaves, from the tags just updated. */
  private static List<Tag> classes(AnnotatedEvent in, Space sp) {
    if (in.changes().isEmpty()) {
      return null;
    }
    List<Tag> out = new ArrayList<>(in.changes().size());
    for (var ch : in.changes()) {
      Region r = ch.after() != null ? ch.after() : ch.before();
      TagMap.Span s = sp.tags.at(r.start());
      out.add(s == null ? null : s.tag());
    }
    return out;
  }

  /** The tag over each learnt region the ELF headers laid out, or null when none has one. */
  private static List<Tag> learntTags(AnnotatedEvent in, Space sp) {
    List<Tag> out = null;
    for (int i = 0; i < in.learnt().size(); i++) {
      Region r = in.learnt().get(i).after();
      TagMap.Span s =
          r == null || r.learnt() != Region.Learnt.ELF_HEADER ? null : sp.tags.at(r.start());
      if (s != null) {
        if (out == null) {
          out = new ArrayList<>(Collections.nCopies(in.learnt().size(), (Tag) null));
        }
        out.set(i, s.tag());
      }
    }
    return out;
  }

  /**
   * The classes of the changes, then of the learnt regions the ELF headers laid out that a tag
   * covers (see {@link AnnotatedEvent#learntClassOf}); the changes' alone when there are none.
   */
  private static List<RegionClass> withLearnt(
      List<RegionClass> changes, AnnotatedEvent in, Pending p) {
    if (p.learntTags == null) {
      return changes;
    }
    List<RegionClass> out = new ArrayList<>(in.changes().size() + in.learnt().size());
    for (int i = 0; i < in.changes().size(); i++) {
      out.add(i < changes.size() ? changes.get(i) : null);
    }
    for (int i = 0; i < in.learnt().size(); i++) {
      Tag t = p.learntTags.get(i);
      out.add(t == null ? null : Classifier.classify(in.learnt().get(i).after(), t, p.exe));
    }
    return out;
  }

  /** The class of each change's region (null: not known), as the (possibly refined) tags say. */
  private static List<RegionClass> labels(AnnotatedEvent in, List<Tag> tags, String exe) {
    List<RegionClass> out = new ArrayList<>(tags.size());
    for (int i = 0; i < tags.size(); i++) {
      var ch = in.changes().get(i);
      Tag t = tags.get(i);
      if (ch.after() == null && t == null) {
        out.add(null);
      } else {
        out.add(Classifier.classify(ch.after() != null ? ch.after() : ch.before(), t, exe));
      }
    }
    return out;
  }

  /**
   * What a sentence told from a -k stack ends with: the frames it rests on, and how -k names them.
   */
  static String seenInStack(String frames) {
    return " (seen in the stack: " + frames + "; " + FRAME_NAMES + ")";
  }

  private Explanation toExplanation(Rule rule, Rule.Said said, Ctx c) {
    List<String> evidence = new ArrayList<>(said.evidence());
    Basis basis = said.basis();
    String text = said.text();
    StackFrame hit = rule.frames().isEmpty() ? null : c.frame(rule.frames());
    if (hit != null) {
      basis = Basis.STACK;
      StackFrame caller = c.callerOf(hit);
      evidence.add(
          0,
          "stack: " + frameText(hit) + (caller != null ? " called from " + frameText(caller) : ""));
      text =
          text
              + seenInStack(
                  frameText(hit) + (caller != null ? " called from " + frameText(caller) : ""));
    } else if (basis == Basis.PATTERN) {
      text = text + " (inferred from the pattern)";
    }
    return new Explanation(rule.id(), text, basis, evidence);
  }

  /**
   * A reason inferred from the pattern says so at its end, as every reason the rule table gives
   * does ({@link #toExplanation}): one told later, a retelling or a signal's, whose text was
   * written without it, gets it here, so no PATTERN sentence reads as certain. A text that already
   * says how it was inferred ("(inferred: ...") is left as it is.
   */
  private static Explanation saysPattern(Explanation e) {
    if (e.basis() != Basis.PATTERN || e.text().contains("(inferred")) {
      return e;
    }
    String text = e.text().endsWith(".") ? e.text().substring(0, e.text().length() - 1) : e.text();
    return new Explanation(
        e.rule(), text + " (inferred from the pattern)", e.basis(), e.evidence());
  }

  static String frameText(StackFrame f) {
    String o = f.object() == null ? "an unnamed object" : LoaderRules.shortName(f.object());
    if (f.symbol() == null || f.symbol().isEmpty()) {
      return o + (f.offset() == null ? "" : "+0x" + Long.toHexString(f.offset()));
    }
    return o
        + ":"
        + f.symbol()
        + (f.symbolOffset() != null && f.symbolOffset() != 0
            ? "+0x" + Long.toHexString(f.symbolOffset())
            : "");
  }

  /**
   * What this stage knows of a syscall name, looked up once per event (in a log of a million lines
   * there are a few dozen names): one of the memory calls, one it learns from or speaks about, its
   * count, and the rows of the rule table keyed on it.
   */
  private record NameInfo(
      boolean memory, boolean noted, ExplainStats.Count count, List<Rule> rules) {}

  private final Map<String, NameInfo> names = new HashMap<>();

  private NameInfo nameInfo(String name) {
    NameInfo c = names.get(name);
    if (c == null) {
      boolean memory = MemorySyscalls.inMemoryClass(name);
      c =
          new NameInfo(
              memory,
              NotedCalls.NOTED.contains(name),
              stats.countOf(name),
              memory ? Rules.on(name) : List.of());
      names.put(name, c);
    }
    return c;
  }

  // ---- address spaces, as the model names them ----

  /**
   * The space of an event's task. A space the model met first with this event is a copy of the
   * fork's caller's when the model made the task the child of a fork still in flight in the log
   * ({@link Who#copiedFrom}). Else it belongs to a task the model did not see begin: most likely a
   * child whose clone has not returned in the log yet, or a thread of a log without clone lines (-e
   * trace=%memory), so it shares the space of the call seen last (the clone, once it returns, says
   * whether the child was forked with a copy instead); else (the first task, an execve, or a first
   * call that shows another process: {@link #otherBreak}) a new space.
   */
  Space spaceOf(Who who, SyscallEvent sc) {
    if (who == null) {
      throw new IllegalStateException("the explain stage needs the model's events");
    }
    Handle h = who.space().resolve();
    if (h == cachedHandle) {
      return cachedSpace;
    }
    Space sp = spaces.get(h);
    boolean guessed = false;
    Space copied = who.copiedFrom() == null ? null : spaces.get(who.copiedFrom().resolve());
    if (sp == null && copied != null) {
      // the model made the task a fork's child before the fork returned in the log
      sp = copied.forkCopy(copied.view);
      spaces.put(h, sp);
    } else if (sp == null) {
      boolean execve = "execve".equals(sc.name());
      guessed = last != null && !who.started() && !execve && !otherBreak(last, sc);
      sp = guessed ? last : new Space();
      if (guessed && !sc.clonesInFlight().isEmpty()) {
        guessedChildren.add(h);
      }
      // met with a call other than execve: the trace began after this program started, even when
      // a snapshot (run -p) told the model all its regions
      if (!guessed && !execve) {
        sp.midway = true;
        program(sp, sc.pid());
      }
      spaces.put(h, sp);
    }
    if (!guessed && !guessedChildren.contains(h)) {
      sp.joined(who.process()); // a guessed one joins when its clone says what it is
    }
    cachedHandle = h;
    cachedSpace = sp;
    return sp;
  }

  /**
   * Whether a task's first call, a brk(NULL) that finds the break elsewhere than sp's, shows that
   * it runs in another address space: the break is one per process, and ld.so's first call in a
   * fresh process asks for it (_dl_sysdep_start), while a thread never asks first. A log filtered
   * with -e trace=%memory shows no fork or execve, only the new program's first brk(NULL).
   */
  private static boolean otherBreak(Space sp, SyscallEvent sc) {
    if (!sc.name().equals("brk") || sp.brk < 0 || !sc.succeeded()) {
      return false;
    }
    Brk b = (Brk) Call.of(sc);
    return b.addr().orElse(-1) == 0 && b.returned() != sp.brk;
  }

  /**
   * The space looked up last, by the model's handle: most lines of a log are the calls of the task
   * of the line before. Forgotten whenever {@link #spaces} changes.
   */
  private Handle cachedHandle;

  private Space cachedSpace;

  private void forgetCached() {
    cachedHandle = null;
    cachedSpace = null;
  }

  /**
   * What a clone, fork, vfork or execve made, as the model tells: a thread or a vfork child shares
   * the caller's space, a forked child gets a copy (unless its own lines, before the clone returned
   * in the log, already gave it a space of its own), and execve gives the caller's process a fresh
   * space.
   */
  private void spawned(Ctx c) {
    Who.Made m = c.who == null ? null : c.who.made();
    if (m == null || !c.ok()) {
      return;
    }
    Space sp = c.sp;
    Handle h = m.space().resolve();
    Space existing = spaces.get(h);
    switch (m.kind()) {
      case THREAD -> {
        if (existing == null) {
          spaces.put(h, sp);
        }
        spaces.get(h).joined(m.process());
      }
      case VFORK -> {
        // The caller resumes only once the child has run execve or exited (vfork(2)): when the
        // call returns here the child no longer uses the space, though a log without -f never
        // shows it go. A line of its own, should one still come, joins it as any line does.
        if (existing == null) {
          spaces.put(h, sp);
        }
      }
      case PROCESS -> {
        Space child = existing == null || existing == sp ? sp.forkCopy(view(c.ev.pid())) : existing;
        spaces.put(h, child);
        sp.left(m.process()); // its lines before the clone returned were counted here
        child.joined(m.process());
      }
      case EXEC -> {
        Space fresh = new Space();
        // an execve the trace does not show (found at a brk) names no program and no arguments
        boolean execve = c.name().startsWith("execve");
        fresh.execSeen = execve;
        fresh.execLine = c.line();
        fresh.legacyLayoutLine = sp.legacyLayoutLine; // the persona survives execve
        fresh.noRandomizeLine = sp.noRandomizeLine;
        program(fresh, c.ev.pid());
        if (execve) {
          int argv = c.name().equals("execve") ? 1 : 2;
          String envp = c.text(argv + 1);
          fresh.jvmOptions.exec(Objects.requireNonNullElse(c.text(argv), ""), envp);
          fresh.mallocEnv = MallocEnv.of(envp);
          fresh.ompStack = MallocEnv.ompStackEntry(envp);
          fresh.envLine = MallocEnv.printed(envp) ? c.line() : 0;
          long threshold = MallocEnv.mmapThreshold(fresh);
          if (threshold >= 0) {
            fresh.mmapThreshold = threshold;
            fresh.envThreshold = true;
          }
          fresh.noMmapChunks = MallocEnv.mmapMax(fresh) == 0;
          long pad = MallocEnv.topPad(fresh);
          if (pad >= 0) {
            fresh.topPad = pad;
            fresh.envTopPad = true;
          }
        }
        sp.left(m.process());
        fresh.joined(m.process());
        spaces.put(h, fresh);
        if (c.who.spaceEnded() && last != null && last == end(c.who.space().resolve())) {
          last = fresh; // a task met next, its clone not yet returned, is this one's
        }
      }
    }
    forgetCached();
  }

  /**
   * What the model says the space of a pid runs: the program its execve named, or /proc/PID/exe at
   * run -p's attach. A /proc/self/exe the model could not resolve (the exec'ing process's own
   * execve is not in the trace) is said so.
   */
  private void program(Space sp, Integer pid) {
    AddressSpaceView v = view(pid);
    sp.exe = v == null ? null : v.exe();
    sp.interpreter = v == null ? null : v.interpreter();
    sp.exeHidden = Execve.ownExe(sp.exe, pid == null ? 0 : pid);
  }

  /** The space the call's task has after the call: a fresh one after execve. */
  Space now(Ctx c) {
    Who.Made m = c.made();
    Space s = m != null && m.kind() == Who.Kind.EXEC ? spaces.get(m.space().resolve()) : null;
    return s == null ? c.sp : s;
  }

  /** The model's address space of a pid, or null. */
  AddressSpaceView view(Integer pid) {
    return model == null ? null : model.space(pid);
  }

  /** The model's size of the System V segment with this id, and the line that told it, or null. */
  ShmSize shmSize(long id) {
    return model == null ? null : model.shmSize(id);
  }

  /**
   * Whether the log has shown a close or a write-like call, of any process: a log filtered with -e
   * trace= that hides them hides the writes that would give an empty file data, so nothing is said
   * of its holes there.
   */
  boolean writesTraced;

  /** What the model knows of the file fds know by this path: that it is still empty, or null. */
  EmptyFile emptyFile(String path) {
    return model == null ? null : model.emptyFile(path);
  }

  /** The path the model's fd table holds for a pid's fd, or null when it names none. */
  String fdPath(Integer pid, int fd) {
    FdTable t = model == null ? null : model.fds(pid);
    OpenFile f = t == null ? null : t.get(fd);
    return f == null ? null : f.knownPath();
  }

  /** What the model's fd table holds for a pid's fd (a path it may not know), or null. */
  OpenFile openFile(Integer pid, int fd) {
    FdTable t = model == null ? null : model.fds(pid);
    return t == null ? null : t.get(fd);
  }

  // ---- window bookkeeping used by rules and buffers ----

  void origin(Tag tag, Pending p) {
    tag.origin = p;
    p.made.add(tag);
  }

  /**
   * Retells the event that made tag, if it still waits: a later event showed what the range is for.
   * The replacement goes first; it takes the place of what {@code row} said there, when that row of
   * the rule table explained the event (another row's reason stays), and of an earlier telling of
   * the same kind.
   */
  boolean retell(Tag tag, Rule row, Explanation replacement) {
    Pending p = tag.origin;
    if (p == null) {
      return false;
    }
    Explanation old = said(p, row);
    if (old != null) {
      p.why.removeIf(e -> e == old);
      p.said = null;
    }
    p.why.removeIf(e -> e.rule().equals(replacement.rule()));
    p.why.add(0, replacement);
    return true;
  }

  /**
   * Retells the event of pid on line, if it still waits in the window: replacement goes first, in
   * place of what the rule {@code oldRule} said there. For an event that made no tag of its own.
   */
  boolean retellLine(Integer pid, int line, String oldRule, Explanation replacement) {
    for (Iterator<Object> it = pending.descendingIterator(); it.hasNext(); ) {
      if (it.next() instanceof Pending p
          && p.in.event().line() == line
          && java.util.Objects.equals(p.in.event().pid(), pid)) {
        p.why.removeIf(e -> e.rule().equals(oldRule) || e.rule().equals(replacement.rule()));
        if (p.said != null && p.said.rule().equals(oldRule)) {
          p.said = null;
        }
        p.why.add(0, replacement);
        return true;
      }
    }
    return false;
  }

  /**
   * Gives the changes of pid's event on line that left exactly [start, end) the tag, if the event
   * still waits: a later event showed that part of a range plays another role (a guard).
   */
  void reclassLine(Integer pid, int line, long start, long end, Tag tag) {
    for (Iterator<Object> it = pending.descendingIterator(); it.hasNext(); ) {
      if (it.next() instanceof Pending p
          && p.in.event().line() == line
          && java.util.Objects.equals(p.in.event().pid(), pid)) {
        if (p.classes == null) {
          return;
        }
        for (int i = 0; i < p.classes.size(); i++) {
          Region r = p.in.changes().get(i).after();
          if (r != null && r.start() == start && r.end() == end) {
            p.classes.set(i, tag);
          }
        }
        return;
      }
    }
  }

  /** What {@code row} said on the event that made tag, if it did and that event still waits. */
  Explanation said(Tag tag, Rule row) {
    Pending p = tag.origin;
    return p == null ? null : said(p, row);
  }

  private static Explanation said(Pending p, Rule row) {
    return p.rule == row ? p.said : null;
  }

  /** Adds a reason to the event that made tag, if it still waits. */
  boolean append(Tag tag, Explanation more) {
    Pending p = tag.origin;
    if (p == null) {
      return false;
    }
    p.why.removeIf(e -> e.rule().equals(more.rule()));
    p.why.add(more);
    return true;
  }

  void buffersCandidate(Space sp, long start) {
    sp.candidate = start;
    sp.candidateBrk = sp.brk;
  }

  void lead(Tag tag, long bytes) {
    tag.lead(bytes);
  }

  long leadOf(Tag tag) {
    return tag.lead();
  }

  /** The object (file path) mapped at the address, from the tags or the model. */
  String objectAt(Ctx c, long address) {
    TagMap.Span s = c.sp.tags.at(address);
    if (s != null && s.tag().object() != null) {
      return s.tag().object();
    }
    AddressSpaceView v = view(c.ev.pid());
    Region r = v == null ? null : v.regionAt(address);
    // a region laid out from this machine's ELF headers names no object here: the timeline's
    // sentences rest on the trace (and snapshots), whichever machine reads it
    return r == null || r.path().isEmpty() || r.learnt() == Region.Learnt.ELF_HEADER
        ? null
        : r.path();
  }
}
