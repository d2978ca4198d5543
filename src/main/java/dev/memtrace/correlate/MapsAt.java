package dev.memtrace.correlate;

import dev.memtrace.elf.ElfFiles;
import dev.memtrace.model.AddressSpace;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Region;
import dev.memtrace.model.Who;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.ExplainedClass;
import dev.memtrace.trace.RawText;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * {@code memtrace maps} and {@code memtrace where}: the address space the model holds after given
 * lines of a log, handed to a printer; {@link #print} writes it in {@code /proc/PID/maps} format
 * under a {@code # line LINE pid PID} header.
 *
 * <p>"After line N" means after every call that had returned by the time line N was read: a call
 * split into unfinished and resumed halves counts at its resumed line (its memory changes at exit).
 * Snapshots on lines up to N are applied first. The pid is that of the event on line N, or of the
 * latest event before it; none when the log has no pids at all. A process that is not known (never
 * named by a call) or has exited prints a {@code #} comment instead of regions.
 *
 * <p>A log read from a file is read twice: {@link #scan} learns where the kernel placed each
 * position-independent program and loader (from ld.so's RELRO mprotect, which comes after the first
 * snapshots), so that the second reading shows them from their execve on.
 */
public final class MapsAt {

  private MapsAt() {}

  /**
   * The model after one line: its pid ({@code anyPid} false when the log has none), and what read
   * the model's events up to it ({@link Follower#NONE} when nothing did).
   */
  public record At(
      int line,
      Integer pid,
      boolean anyPid,
      MemoryModel model,
      CallHistory history,
      Follower follower) {
    /** The address space of the line's process, or null when none is known. */
    public AddressSpace space() {
      return model.space(anyPid ? pid : null);
    }

    /**
     * What the explanations up to this line said a region of the line's process was made for, or
     * null when nothing explained it (or no explain stage followed the replay).
     */
    public ExplainedClass explained(Region r) {
      Who who = who();
      return who == null ? null : follower.classOf(who, r);
    }

    /**
     * Where an address no region of the line's process holds lay before a munmap gave it back, as
     * the explanations up to this line know it, or null.
     */
    public String unmapped(long address) {
      Who who = who();
      return who == null ? null : follower.unmappedAt(who, address);
    }

    /** Whose address space the line's process uses, or null when the model knows none. */
    private Who who() {
      return model.whoOf(anyPid ? pid : null);
    }
  }

  /** Receives the model after each asked-for line, in line order. */
  public interface Printer {
    void print(At at);

    /** Whether it reads what the explanations say of the regions (a {@link Follower}). */
    default boolean readsExplanations() {
      return false;
    }
  }

  /**
   * A later stage fed the model's events as they are replayed, up to each line printed: the explain
   * stage, so that a printer can say what each region was made for as the timeline would.
   */
  public interface Follower {
    void accept(AnnotatedEvent a);

    /**
     * What the events so far said a region of {@code who}'s address space was made for, or null.
     */
    ExplainedClass classOf(Who who, Region r);

    /**
     * Where an address no region of {@code who}'s address space holds lay before a munmap the
     * events so far showed gave it back, as a sentence, or null.
     */
    default String unmappedAt(Who who, long address) {
      return null;
    }

    Follower NONE =
        new Follower() {
          @Override
          public void accept(AnnotatedEvent a) {}

          @Override
          public ExplainedClass classOf(Who who, Region r) {
            return null;
          }
        };
  }

  /**
   * What a first reading learnt: the load biases, the last line, and the line at which the last
   * memory call had returned (its resumed half's, for a call another thread's line interrupted).
   */
  public record Scan(Map<String, long[]> hints, int lastLine, int lastMemoryLine) {}

  public static Scan scan(TraceReader reader, ElfFiles files) throws IOException {
    return scan(reader, files, e -> {});
  }

  /** As {@link #scan(TraceReader, ElfFiles)}, handing each event to {@code seen} too. */
  public static Scan scan(TraceReader reader, ElfFiles files, Consumer<TraceEvent> seen)
      throws IOException {
    MemoryModel model = new MemoryModel(files, null);
    int last = 0;
    int lastMemory = 0;
    for (TraceEvent e = reader.next(); e != null; e = reader.next()) {
      seen.accept(e);
      model.apply(e);
      last = Math.max(last, e.source().endLine());
      if (e instanceof SyscallEvent c && c.succeeded() && MemoryModel.isMemoryCall(c.name())) {
        lastMemory = Math.max(lastMemory, c.source().endLine());
      }
    }
    return new Scan(model.hints(), last, lastMemory);
  }

  /** The plain listing to out (the model reads no file). */
  public static void write(
      TraceReader reader, List<Snapshot> snapshots, List<Integer> lines, PrintWriter out)
      throws IOException {
    write(reader, snapshots, lines, new MemoryModel(), at -> print(out, at));
  }

  /**
   * Replays the log into model and hands the state after each line to printer: after every call
   * that had returned when that line was read (a call split into unfinished and resumed halves
   * returns at its resumed line). It stops reading once every line is printed; returns the last
   * line it applied.
   */
  public static int write(
      TraceReader reader,
      List<Snapshot> snapshots,
      List<Integer> lines,
      MemoryModel model,
      Printer printer)
      throws IOException {
    return write(reader, snapshots, lines, model, Follower.NONE, printer);
  }

  /** As {@link #write(TraceReader, List, List, MemoryModel, Printer)}, feeding {@code follower}. */
  public static int write(
      TraceReader reader,
      List<Snapshot> snapshots,
      List<Integer> lines,
      MemoryModel model,
      Follower follower,
      Printer printer)
      throws IOException {
    ModelStage stage = new ModelStage(model, snapshots);
    CallHistory history = new CallHistory();
    TreeSet<Integer> todo = new TreeSet<>(lines);
    Integer lastPid = null;
    boolean anyPid = false;
    int lastLine = 0;
    for (TraceEvent e = reader.next(); e != null; e = reader.next()) {
      // events come in the order their calls returned, so their end lines rise
      int end = e.source().endLine();
      while (!todo.isEmpty() && todo.first() < end && end > lastLine) {
        int line = todo.pollFirst();
        stage.before(line + 1);
        printer.print(new At(line, lastPid, anyPid, stage.model(), history, follower));
      }
      if (todo.isEmpty()) {
        break; // every line asked for is printed: the rest of the log would change nothing shown
      }
      AnnotatedEvent a = stage.annotate(e);
      history.record(stage.model(), e, a.changes());
      follower.accept(a);
      if (end >= lastLine) {
        lastLine = end;
        Integer pid = e.pid() != null ? e.pid() : anyPid ? modelPid(a.who()) : null;
        if (pid != null) {
          lastPid = pid;
          anyPid = true;
        }
      }
    }
    stage.finish();
    for (int line : todo) {
      printer.print(new At(line, lastPid, anyPid, stage.model(), history, follower));
    }
    return lastLine;
  }

  /**
   * The pid the model knows a line without pid by, in a log that shows pids elsewhere (strace's
   * stderr mode prints none while one task is traced): its task's tid, or its process's pid for a
   * task first met without one; null when it knows neither. After a thread's execve it is the
   * leader's pid, which the thread took (de_thread).
   */
  private static Integer modelPid(Who w) {
    if (w == null) {
      return null;
    }
    if (w.task() > 0) {
      return w.task();
    }
    int p = w.process().number();
    return p > 0 ? p : null;
  }

  /** The header and the regions in /proc/PID/maps format. */
  public static void print(PrintWriter out, At at) {
    out.println(header(at));
    AddressSpace space = at.space();
    if (space == null) {
      out.println(NONE);
      return;
    }
    for (Region r : space.regions()) {
      // the name as a terminal shows it safely: UTF-8, other bytes and controls as \xHH
      out.println(MapsFormat.line(r.withPath(RawText.terminalName(r.path()))));
    }
  }

  public static final String NONE =
      "# no address space known for this process at this line (not yet seen, or exited)";

  /** "# line LINE pid PID", or no pid for a log without them (strace without -f). */
  public static String header(At at) {
    return "# line " + at.line() + (at.anyPid() ? " pid " + at.pid() : " (the log shows no pids)");
  }
}
