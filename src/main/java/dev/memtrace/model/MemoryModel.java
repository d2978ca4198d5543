package dev.memtrace.model;

import static dev.memtrace.decode.LinuxFlags.CLONE_FILES;
import static dev.memtrace.decode.LinuxFlags.CLONE_THREAD;
import static dev.memtrace.decode.LinuxFlags.CLONE_VM;
import static dev.memtrace.model.MemoryOps.hex;

import dev.memtrace.decode.Call;
import dev.memtrace.decode.LinuxFlags;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.trace.ExitEvent;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Replays a trace, event by event, into the memory of every traced process: the tasks and which
 * address space and fd table each uses ({@link ProcessCalls}), the files behind fds ({@link
 * FileCalls}), and the memory calls themselves ({@link MemoryCalls} over {@link MemoryOps}). {@link
 * #apply} returns what each event changed and what the model could not know; it never throws on odd
 * input and never invents memory it did not see being made.
 *
 * <p>A log without pids (strace without -f) is one task, keyed 0.
 */
public final class MemoryModel implements ModelView {

  /** One handler per system call name: the knowledge of which call does what, as a table. */
  interface Handler {
    Outcome apply(MemoryModel m, Task t, SyscallEvent e, Call a);
  }

  private static final Map<String, Handler> HANDLERS = new HashMap<>();

  static {
    MemoryCalls.register(HANDLERS);
    FileCalls.register(HANDLERS);
    FileContents.register(HANDLERS);
    ProcessCalls.register(HANDLERS);
    StatCalls.register(HANDLERS);
  }

  /** Names of the calls that change an address space. */
  public static boolean isMemoryCall(String name) {
    return MemorySyscalls.is(name, MemorySyscalls.Trait.MODELLED);
  }

  private final TaskTable tasks = new TaskTable();

  /**
   * The task looked up last, by tid: most lines of a log are the calls of the task of the line
   * before. Forgotten whenever {@link #tasks} changes.
   */
  private int lastTid = Integer.MIN_VALUE;

  private Task lastTask;

  /** System V segment sizes by id (ids are system-wide: one process makes, another attaches). */
  final Map<Long, ShmSize> shmSizes = new HashMap<>();

  final Map<Long, Long> shmKeys = new HashMap<>();

  /** Files an open left empty that nothing has written since, by the path fds know them by. */
  final Map<String, EmptyFile> emptyFiles = new HashMap<>();

  /** Paths as the trace spelled them → as the kernel shows them (learnt from snapshots). */
  private final Map<String, String> kernelPaths = new HashMap<>();

  private long keys;

  /** Where the files the trace names are read, or null: the model then reads no file. */
  private final ElfFiles elfFiles;

  /** Load biases learnt by an earlier reading of the same log, by image (see ExecImages). */
  private final Map<String, long[]> hints;

  /** The first placement learnt of each image: a log of a loop runs the same images again. */
  private final Map<String, long[]> learnt = new HashMap<>();

  /** Why files were not used, each said once, in the order met (see {@link #elfProblems}). */
  private final Set<String> elfProblems = new LinkedHashSet<>();

  /** The changes the event being applied made by laying out an image from its ELF headers. */
  private List<RegionChange> placedNow = List.of();

  /** A model that reads no file: what the kernel maps at execve stays unknown. */
  public MemoryModel() {
    this(null, null);
  }

  /**
   * A model that lays out what the kernel maps at execve from the ELF headers of the files the
   * trace names, read through files; with the hints of {@link #hints()} of an earlier reading of
   * the same log, position-independent images are placed from their execve on.
   */
  public MemoryModel(ElfFiles files, Map<String, long[]> hints) {
    this.elfFiles = files;
    this.hints = hints == null ? Map.of() : hints;
  }

  ElfFiles elfFiles() {
    return elfFiles;
  }

  long[] hint(String key) {
    return hints.get(key);
  }

  void learnt(ExecImages.Placement p) {
    learnt.putIfAbsent(p.key(), new long[] {p.bias(), p.line()});
  }

  /** The load biases this reading learnt, for a second reading of the same log. */
  public Map<String, long[]> hints() {
    return new HashMap<>(learnt);
  }

  void elfProblem(String problem) {
    elfProblems.add(problem);
  }

  /**
   * Why the ELF headers of a traced program or loader were not used (unreadable, or not fitting the
   * trace), or where they were read from when the trace did not name the file whole, each once: for
   * a note beside the output, since the files are this machine's and not the trace's.
   */
  public List<String> elfProblems() {
    List<String> out = new ArrayList<>(elfProblems);
    Set<String> said = new LinkedHashSet<>();
    for (ExecImages.Image im : waiting) {
      said.add(unplaced(im));
    }
    out.addAll(said);
    return out;
  }

  /**
   * Why an image stayed unplaced. The sign waited for is ld.so's mprotect of its RELRO, so an image
   * without one (a static non-PIE program; every Go binary) cannot get it: for a program linked at
   * fixed addresses the place is known, and it is this machine's file that the trace did not
   * confirm.
   */
  private static String unplaced(ExecImages.Image im) {
    String n = im.role() + " " + im.kernelPath();
    if (im.relroLength() > 0) {
      return "the trace never showed where the kernel put the "
          + n
          + " (no mprotect of its RELRO length): what it mapped there is not shown";
    }
    return (im.elf().movable()
            ? "the trace never showed where the kernel put the " + n
            : "the trace never confirmed that this machine's " + n + " is the one it ran")
        + " (it has no RELRO segment, whose mprotect after relocation is the sign memtrace waits for):"
        + " what the kernel mapped at execve is not shown";
  }

  /** Images waiting for the trace to place them, and not yet said not to fit it. */
  final Set<ExecImages.Image> waiting = Collections.newSetFromMap(new IdentityHashMap<>());

  void placedNow(List<RegionChange> changes) {
    if (placedNow.isEmpty()) {
      placedNow = new ArrayList<>();
    }
    placedNow.addAll(changes);
  }

  /**
   * The changes of the last event applied that laid out an image from its ELF headers (the image's
   * regions, and a RELRO mprotect's split of them when that mprotect placed it): part of {@link
   * Outcome#changes}, in the same order; empty for most events.
   */
  public List<RegionChange> placedNow() {
    return placedNow;
  }

  long newKey() {
    return ++keys;
  }

  public Outcome apply(TraceEvent event) {
    who = null;
    call = null;
    made = null;
    adoptedFrom = null;
    leftSpace = false;
    placedNow = List.of();
    if (formerTid >= 0) {
      if (tasks.get(formerTid) == formerTask) {
        removeTask(formerTid);
      }
      formerTid = -1;
      formerTask = null;
    }
    if (!sawPids && event.pid() != null) {
      sawPids = true;
      // strace's stderr mode prints pids from the second task on: the threads cloned before were
      // followed after all
      for (Task t : tasks.values()) {
        t.mm.untracedClone = 0;
      }
    }
    try {
      if (event instanceof SyscallEvent e) {
        Task t = e.clonesInFlight().isEmpty() ? null : adopt(e);
        if (t == null) {
          t = task(e.pid());
        }
        who = whoOf(t);
        if (adoptedFrom != null) {
          who = who.copiedFrom(adoptedFrom);
        }
        Handler h = handler(e.name());
        if (h == null) {
          return Outcome.NONE;
        }
        if (!sawOpen && OPENS.contains(e.name())) {
          sawOpen = true;
        }
        if (e.result() == null) {
          TraceEnd end = TraceEnd.of(e);
          if (end != null) {
            return Outcome.note(end.sentence());
          }
          return isMemoryCall(e.name())
              ? Outcome.note(e.name() + " never returned in the log: its effect is unknown")
              : Outcome.NONE;
        }
        if (!e.succeeded()) {
          return Outcome.NONE;
        }
        call = Call.of(e);
        Outcome o = h.apply(this, t, e, call);
        if (made != null) {
          who = who.with(made);
        }
        if (leftSpace) {
          who = who.ended();
        }
        if (!untracedSaid && t.mm.untracedClone > 0 && isMemoryCall(e.name())) {
          untracedSaid = true;
          List<String> notes = new ArrayList<>(o.notes());
          notes.add(
              "a clone in this log made threads that share this address space, but the log shows"
                  + " no pids: strace followed only this task, as it does without -f (or this is"
                  + " one file of an -ff set), so what the other threads mapped and unmapped is not"
                  + " in this log");
          o = new Outcome(o.changes(), notes);
        }
        if (!t.seen && !t.warned && isMemoryCall(e.name())) {
          t.warned = true;
          List<String> notes = new ArrayList<>(o.notes());
          notes.add(
              (e.pid() == null
                      ? "the task of this line (the log gives no pid)"
                      // a tid: a process, or a thread of one strace attached to (-p with -f)
                      : "pid " + e.pid())
                  + " was not seen starting: memory it mapped"
                  + " before the trace began is unknown");
          return new Outcome(o.changes(), notes);
        }
        return o;
      }
      if (event instanceof ExitEvent x && x.kind() != ExitEvent.Kind.SUPERSEDED) {
        Task t = known(key(x.pid()));
        if (t != null) {
          who = whoOf(t);
          if (ProcessCalls.exit(this, key(x.pid()))) {
            who = who.ended();
          }
        }
        return Outcome.NONE;
      }
      Task t = known(key(event.pid()));
      who = t == null ? null : whoOf(t);
      return Outcome.NONE;
    } catch (RuntimeException bug) {
      return Outcome.note("the model could not apply this event (" + bug + ")");
    }
  }

  /** Who the event applied last belongs to; null for an event of a task the model never met. */
  public Who who() {
    return who;
  }

  private Who who;

  /**
   * The typed call of the event applied last, decoded as far as the model read it; null when the
   * model read none (not a call it follows, or one that failed or never returned). Later stages
   * read it rather than decode the call again.
   */
  public Call call() {
    return call;
  }

  private Call call;

  /** What the call being applied made (a clone's child, an execve's fresh space), or null. */
  Who.Made made;

  /**
   * The space the task of the event being applied was copied from, when this event made it the
   * child of a fork still in flight ({@link ProcessCalls#adopt}); null else.
   */
  Handle adoptedFrom;

  /** The task of a line whose pid is new, made a clone's child when that is clear; else null. */
  private Task adopt(SyscallEvent e) {
    int tid = key(e.pid());
    if (e.pid() == null || known(tid) != null) {
      return null;
    }
    return ProcessCalls.adopt(this, e, tid);
  }

  /** Whether the call being applied (an execve) left the space it ran in with no task. */
  boolean leftSpace;

  private int spaceNumbers;

  /** What the task's events say of it now: made again only when that changed. */
  private Who whoOf(Task t) {
    process(t);
    Handle space = handle(t.mm);
    Who w = t.who;
    if (w == null
        || w.task() != t.tid
        || w.process() != t.process
        || w.space() != space
        || w.started() != t.seen) {
      w = new Who(t.tid, t.process, space, t.seen, null, false, null);
      t.who = w;
    }
    return w;
  }

  /** The process handle of a task. */
  Handle process(Task t) {
    if (t.process == null) {
      t.process = new Handle(t.tgid);
    }
    return t.process;
  }

  /** The identity of an address space, given in the order the model meets them. */
  Handle handle(AddressSpace mm) {
    if (mm.handle == null) {
      mm.handle = new Handle(++spaceNumbers);
    }
    return mm.handle;
  }

  /** Whether any task still uses the address space. */
  boolean used(AddressSpace mm) {
    return tasks.any(t -> t.mm == mm);
  }

  /**
   * Who else runs in the task's address space: none, tasks whose calls the log shows, or tasks a
   * log without pids (strace without -f) does not follow.
   */
  MemoryOps.Others others(Task t) {
    if (sawPids) {
      return alone(t) ? MemoryOps.Others.NONE : MemoryOps.Others.TRACED;
    }
    // a vfork child strace did not follow has exec'd or exited once its parent runs again: only
    // threads (the same thread group) stay in the space
    return tasks.any(o -> o != t && o.mm == t.mm && o.tgid == t.tgid)
        ? MemoryOps.Others.UNTRACED
        : MemoryOps.Others.NONE;
  }

  @Override
  public ShmSize shmSize(long id) {
    return shmSizes.get(id);
  }

  @Override
  public EmptyFile emptyFile(String path) {
    return path == null ? null : emptyFiles.get(path);
  }

  /** Whether no other task shares the task's address space (a thread, a vfork parent). */
  boolean alone(Task t) {
    return !tasks.any(o -> o != t && o.mm == t.mm);
  }

  /**
   * A log without pids names its one task by the tid a call returned (set_tid_address, gettid,
   * getpid): once strace starts printing pids (a second task appeared, in its stderr mode), the
   * first task's lines carry that tid and must find the same task.
   */
  void alias(int tid, Task t) {
    putTask(tid, t);
    t.alias = tid;
    if (t.tgid == 0) {
      t.tgid = tid;
      Handle p = new Handle(tid);
      if (t.process != null) {
        t.process.joinTo(p);
      }
      t.process = p;
    }
  }

  /**
   * The handler of a call name, through a small cache keyed by the name's identity: the parser
   * hands out one String per spelling, and nine events in ten are calls the model passes by, which
   * the cache answers without reading the table.
   */
  private Handler handler(String name) {
    int slot = name.hashCode() & (SEEN - 1);
    if (seenNames[slot] == name) {
      return seenHandlers[slot];
    }
    Handler h = HANDLERS.get(name);
    seenNames[slot] = name;
    seenHandlers[slot] = h;
    return h;
  }

  /** The calls that open a file by its path. */
  private static final Set<String> OPENS = Set.of("open", "openat", "openat2", "creat");

  /**
   * Whether the log has shown a call that opens a file by path (one that failed too): a log that
   * shows none up to an mmap of an fd it cannot name fits strace's -e trace= leaving them out.
   */
  boolean sawOpen;

  private static final int SEEN = 64;
  private final String[] seenNames = new String[SEEN];
  private final Handler[] seenHandlers = new Handler[SEEN];

  static int key(Integer pid) {
    return pid == null ? 0 : pid;
  }

  /** The task with this tid, made up (knowing nothing) when the trace never showed it begin. */
  Task task(Integer pid) {
    int tid = key(pid);
    Task t = known(tid);
    if (t == null && pid == null && sawPids) {
      // strace's stderr mode prints no pid while one task is traced: after the others ended,
      // a line without pid is the one task left
      t = tasks.only();
      if (t != null && t.alias < 0) {
        t.alias = 0;
        putTask(0, t);
        return t;
      }
      t = null;
    }
    if (t == null) {
      AddressSpace unknown = new AddressSpace();
      unknown.midway = true;
      t = new Task(tid, tid, unknown, new FdTable(), null, false);
      putTask(tid, t);
    }
    return t;
  }

  /** A line with a pid was seen: the log is not one task's. */
  private boolean sawPids;

  /** Whether a line with a pid was seen so far. */
  boolean sawPids() {
    return sawPids;
  }

  /** Whether a note said that the log follows one task of several in a space (see others). */
  private boolean untracedSaid;

  /** The task with this tid, or null. */
  Task known(int tid) {
    if (tid == lastTid) {
      return lastTask;
    }
    Task t = tasks.get(tid);
    if (t != null) {
      lastTid = tid;
      lastTask = t;
    }
    return t;
  }

  void putTask(int tid, Task t) {
    tasks.put(tid, t);
    forgetLast();
  }

  void removeTask(int tid) {
    tasks.remove(tid);
    forgetLast();
  }

  /**
   * The task takes over another tid (a thread's execve gives it the leader's pid): it is known by
   * that one from now on, and by its old one only until the next event, whose stages still read
   * this event's task by the tid its line gave.
   */
  void renumber(Task t, int tid) {
    formerTid = t.tid;
    formerTask = t;
    t.tid = tid;
    putTask(tid, t);
  }

  /** The tid a task known by another since the event applied last ({@link #renumber}), or -1. */
  private int formerTid = -1;

  private Task formerTask;

  /** Removes the other tasks of t's thread group (an execve ends them). */
  void removeOtherThreads(Task t) {
    tasks.removeIf(o -> o != t && o.tgid == t.tgid);
    forgetLast();
  }

  /** {@link #tasks} changed: the task looked up last may be gone or replaced. */
  private void forgetLast() {
    lastTid = Integer.MIN_VALUE;
    lastTask = null;
  }

  /** Who the task with this tid is now (for an event the model did not apply), or null. */
  public Who whoOf(Integer pid) {
    Task t = known(key(pid));
    return t == null ? null : whoOf(t);
  }

  @Override
  public AddressSpace space(Integer pid) {
    Task t = known(key(pid));
    return t == null ? null : t.mm;
  }

  /**
   * The processes the model holds now, by thread group id, with the address space each uses: for a
   * reader that looks beyond the one process a line names.
   */
  public SortedMap<Integer, AddressSpace> processes() {
    SortedMap<Integer, AddressSpace> out = new TreeMap<>();
    for (Task t : tasks.values()) {
      if (t.mm != null) {
        out.putIfAbsent(t.tgid, t.mm);
      }
    }
    return out;
  }

  /** The address space for this tid, made empty when unknown (a snapshot is about to fill it). */
  public AddressSpace spaceFor(Integer pid) {
    return task(pid).mm;
  }

  /** The process (thread group) id of a tid, or the tid itself when unknown. */
  public int processOf(Integer pid) {
    Task t = known(key(pid));
    return t == null ? key(pid) : t.tgid;
  }

  @Override
  public FdTable fds(Integer pid) {
    Task t = known(key(pid));
    return t == null ? null : t.fds;
  }

  /** Resyncs a task's address space to a snapshot and remembers how the kernel spells paths. */
  public void resync(Integer pid, List<Region> kernel) {
    Task t = task(pid);
    t.mm.unplaced.forEach(waiting::remove); // the kernel's listing shows where they are
    kernelPaths.putAll(t.mm.resync(kernel));
    t.seen = true;
  }

  /** A file was renamed or deleted: every mapping and fd of it, in every process, follows. */
  Outcome renameFile(String from, String to) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<RegionChange> changes = new ArrayList<>();
    FileContents.renamed(this, from, to);
    for (Task t : tasks.values()) {
      if (seen.add(t.mm)) {
        changes.addAll(t.mm.renameFile(from, to));
      }
      if (seen.add(t.fds)) {
        t.fds.renameFile(from, to);
      }
    }
    return new Outcome(changes, List.of());
  }

  /** The kernel's spelling of a path, when a snapshot taught it. */
  String kernelPath(String path) {
    return path == null ? null : kernelPaths.getOrDefault(path, path);
  }

  /**
   * What run -p found of a process met running, as strace attached. Its threads (/proc/PID/task):
   * each shares the process's address space and fd table, as a CLONE_THREAD child does, and is
   * known as far as the process is. Its program (/proc/PID/exe, or null): what its space ran, when
   * the trace showed no execve of it.
   */
  public void attached(Integer pid, List<Integer> tids, String exe) {
    Task p = task(pid);
    if (exe != null && p.mm.exe == null) {
      p.mm.exe = exe;
    }
    for (int tid : tids) {
      if (tid != p.tid && known(tid) == null) {
        ProcessCalls.child(this, p, CLONE_VM | CLONE_FILES | CLONE_THREAD, tid, null, 0);
      }
    }
  }

  /** Marks a task as known from its start (a snapshot told the model everything). */
  public void markKnown(Integer pid) {
    task(pid).seen = true;
  }

  static OptionalLong none() {
    return OptionalLong.empty();
  }

  static String range(long lo, long hi) {
    return hex(lo) + "-" + hex(hi);
  }

  static long page() {
    return LinuxFlags.PAGE;
  }
}
