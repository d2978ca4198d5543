package dev.memtrace.run;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One live run, start to end:
 *
 * <ol>
 *   <li>{@link Preflight}: strace present, COMMAND found and executable, or the pid alive;
 *   <li>with {@code -p}: the process's maps, read before strace attaches, so the whole address
 *       space is known from the start;
 *   <li>a {@link Fifo}, a {@link FifoReader} on its own thread, then strace ({@link StraceProcess})
 *       writing into the FIFO;
 *   <li>every line and snapshot, in order, to the {@link Consumer} on the caller's thread;
 *   <li>the exit status: the program's own, from the log's {@code +++} line for its pid (strace's
 *       status when the log does not say), 126/127 when its execve failed, 125 when strace failed
 *       before the program ran.
 * </ol>
 *
 * A {@link Stopper} is registered as a shutdown hook for the run's duration, from {@link #arm()}
 * (before the caller opens its recording) on. The caller must {@link #close()} the run once it has
 * written its output: an interrupted memtrace waits for that before it exits.
 */
public final class LiveRun implements AutoCloseable {

  /** Takes the run's items in order. */
  public interface Consumer {
    void accept(LiveItem item) throws IOException;

    /** The items since the last call came in one read of the FIFO (a line with its snapshot). */
    default void batchDone() throws IOException {}

    /**
     * Something the user should know while the run goes on (one line, without "memtrace: "); called
     * on a thread of its own.
     */
    default void notice(String text) {}
  }

  /** How long the program's left-behind processes may take to end before the user is told. */
  static final long LEFT_BEHIND_MILLIS = 2000;

  /**
   * How the run ended. exitStatus is the program's (or 125/126/127 with failure set, when memtrace
   * or the program's execve failed; 128+N when signal N stopped memtrace: the status it exits
   * with); warning is a notice for the user, or null.
   */
  public record Outcome(
      int exitStatus,
      boolean interrupted,
      int lines,
      int snapshots,
      String warning,
      RunFailure failure) {

    /** Every notice for the user, one per line (none when all went well). */
    public List<String> notices() {
      return warning == null ? List.of() : List.of(warning.split("\n"));
    }
  }

  private final RunOptions options;
  private final String strace;
  private Stopper stopper;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private SnapshotQuality quality = new SnapshotQuality();

  /** The PATH COMMAND was looked up in. */
  private final String path;

  private LiveRun(RunOptions options, String strace, String path) {
    this.options = options;
    this.strace = strace;
    this.path = path;
  }

  /** Checks everything that can be checked before strace starts. */
  public static LiveRun prepare(RunOptions options, Map<String, String> env) throws RunFailure {
    String strace = Preflight.strace(env);
    if (options.attaching()) {
      Preflight.pid(options.attachPid());
    } else {
      Preflight.command(options.command().get(0), env.get("PATH"));
    }
    return new LiveRun(options, strace, env.get("PATH"));
  }

  public String straceBinary() {
    return strace;
  }

  /** strace's argv as it will be run, with {@code FIFO} in place of the FIFO's path. */
  public List<String> straceArgv() {
    return StraceArgs.build(strace, options, Path.of("FIFO"));
  }

  public Versions versions() {
    return Versions.probe(strace);
  }

  /**
   * Waits until strace runs (or the run ended without it): threads the caller starts afterwards run
   * at memtrace's lowered priority ({@link Priority}).
   */
  public void awaitStarted() {
    started.join();
  }

  /** Runs strace and feeds {@code consumer}; returns when strace has ended and the log is read. */
  public Outcome run(Consumer consumer) throws IOException, InterruptedException {
    try {
      return runStarted(consumer);
    } finally {
      started.complete(null);
    }
  }

  /**
   * Registers the {@link Stopper} (the stop signals' handlers and the shutdown hook) before
   * anything the hook must finish exists: the caller arms the run before it opens the recording, so
   * that a Ctrl-C or SIGTERM at any moment after lets the run write what it has and end the
   * recording. A signal before strace starts ends the run there: strace is not started.
   */
  public void arm() {
    if (stopper != null) {
      return;
    }
    stopper = new Stopper(options.attaching());
    Stopper.catchStopSignals();
    Runtime.getRuntime().addShutdownHook(stopper);
  }

  private Outcome runStarted(Consumer consumer) throws IOException, InterruptedException {
    arm();
    int snapshots = 0;
    ExitTracker exits = new ExitTracker(options.attachPid());
    if (stopper.fired()) {
      return outcome(exits, 0, snapshots); // stopped before anything was traced
    }
    if (options.attaching() && options.snapshots()) {
      MapsSampler sampler = new MapsSampler(options.delayMicros());
      consumer.accept(
          sampler.take(0, options.attachPid(), MapsSnapshot.Kind.ATTACH, 0, System.nanoTime()));
      consumer.batchDone();
      snapshots++;
    }
    quality = new SnapshotQuality();
    int straceStatus;
    Watchdog watchdog = null;
    try (Fifo fifo = Fifo.create()) {
      watchdog = Watchdog.start(fifo.path().getParent());
      FifoReader reader = new FifoReader(fifo, options.snapshots() ? options.delayMicros() : null);
      Thread readerThread = new Thread(reader, FifoReader.THREAD_NAME);
      readerThread.setDaemon(true);
      readerThread.start();
      StraceProcess sp;
      try {
        sp = StraceProcess.start(StraceArgs.build(strace, options, fifo.path()));
      } catch (IOException e) {
        fifo.release();
        readerThread.join();
        RunFailure f = new RunFailure(ExitCode.FAILED, e.getMessage());
        return new Outcome(f.exitStatus(), false, 0, snapshots, null, f);
      }
      watchdog.strace(sp.handle().pid(), options.attaching());
      if (stopper.strace(sp.handle())) {
        stopper.stopAll(); // memtrace was told to stop while strace was starting
      }
      Priority.lowerOwnThreads(FifoReader.THREAD_NAME);
      started.complete(null);
      Watchdog dog = watchdog;
      Thread releaser =
          new Thread(
              () -> {
                sp.handle().onExit().join();
                dog.straceEnded();
                fifo.release();
                Priority.restoreOwnThreads();
              },
              "memtrace-fifo-release");
      releaser.setDaemon(true);
      releaser.start();

      BlockingQueue<List<LiveItem>> queue = reader.queue();
      boolean rootEnded = false;
      try {
        for (List<LiveItem> batch = queue.take(); batch != FifoReader.END; batch = queue.take()) {
          for (LiveItem item : batch) {
            if (item instanceof LiveItem.LogLine l) {
              exits.accept(l.text());
              if (!rootEnded && exits.ended() != null && !options.attaching()) {
                rootEnded = true;
                watchLeftBehind(sp, exits.ended(), consumer);
              }
              int pid = FifoReader.leadingPid(l.text());
              if (pid > 0) {
                stopper.traced(pid);
              }
            } else if (item instanceof MapsSnapshot s) {
              snapshots++;
              quality.count(s);
            }
            consumer.accept(item);
          }
          consumer.batchDone();
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        // memtrace cannot go on (output or recording not writable): leave nothing running
        stopper.stopAll();
        throw e;
      }
      straceStatus = sp.waitFor();
      readerThread.join();
      if (reader.failure() != null) {
        throw new IOException(
            "reading strace's log: " + reader.failure().getMessage(), reader.failure());
      }
    } finally {
      if (watchdog != null) {
        watchdog.close(); // after the FIFO's directory is gone: nothing is left for it to do
      }
    }
    return outcome(exits, straceStatus, snapshots);
  }

  /**
   * The program has ended ({@code how}: "exited with 3"); strace -f goes on while anything it
   * started runs (a daemon, a background job), and so does memtrace. If that is still so a little
   * later, the user is told why memtrace has not returned, and which processes it waits for.
   */
  private void watchLeftBehind(StraceProcess sp, String how, Consumer consumer) {
    Thread watch =
        new Thread(
            () -> {
              try {
                sp.handle().onExit().get(LEFT_BEHIND_MILLIS, TimeUnit.MILLISECONDS);
                return; // strace ended: nothing was left behind, or it ended soon
              } catch (TimeoutException e) {
                // still running
              } catch (InterruptedException | ExecutionException e) {
                return;
              }
              List<ProcessHandle> left = stopper.running();
              if (!left.isEmpty() && !stopper.fired()) {
                consumer.notice(leftBehind(options.command().get(0), how, left));
              }
            },
            "memtrace-left-behind");
    watch.setDaemon(true);
    watch.start();
  }

  /** "sh exited with 0 and left 1 process running (pid 12 sleep): memtrace traces it ...". */
  static String leftBehind(String program, String how, List<ProcessHandle> left) {
    boolean one = left.size() == 1;
    return program
        + " "
        + how
        + " and left "
        + Stopper.count(left.size())
        + " running "
        + Stopper.named(left)
        + ": memtrace traces "
        + (one ? "it until it ends" : "them until they end")
        + " (Ctrl-C stops "
        + (one ? "it" : "them")
        + ")";
  }

  private Outcome outcome(ExitTracker exits, int straceStatus, int snapshots) {
    boolean interrupted = stopper != null && stopper.fired();
    RunFailure failure = null;
    if (exits.execFailure() != null) {
      String cmd = options.command().get(0);
      String why =
          "ENOENT".equals(exits.execErrno()) ? Preflight.missingInterpreter(cmd, path) : null;
      failure =
          new RunFailure(
              exits.execFailure(),
              cmd
                  + ": cannot execute (execve failed with "
                  + exits.execErrno()
                  + (why == null ? "" : ": " + why)
                  + ")");
    } else if (exits.lines() == 0 && !interrupted) {
      failure = new RunFailure(ExitCode.FAILED, straceFailure(straceStatus));
    } else if (exits.diedBeforeExecve() && !interrupted) {
      // "+++ exited with 1 +++" and nothing else: the program's 1, or strace's child that never
      // became the program? A probe tells: only when ptrace is refused here is it the latter.
      String why = PtraceDiagnosis.probe(strace);
      if (why != null) {
        failure =
            new RunFailure(
                ExitCode.FAILED,
                "strace failed before "
                    + options.command().get(0)
                    + " started (its own message is above): "
                    + why);
      }
    }
    if (failure != null) {
      return new Outcome(
          failure.exitStatus(), interrupted, exits.lines(), snapshots, null, failure);
    }
    Integer status = interrupted ? stopper.signalStatus() : null; // what memtrace exits with
    if (status == null) {
      status = exits.status();
    }
    String warning = quality.summary(options.delayMicros());
    String stopped = interrupted && !options.attaching() ? stopper.stopped() : null;
    if (stopped != null) {
      // the timeline shows the SIGTERM (its si_pid is memtrace's) but not who sent a SIGKILL
      warning =
          (warning == null ? "" : warning + "\n")
              + "stopped by "
              + Stopper.signalName()
              + ": "
              + stopped;
    }
    if (status == null) {
      status = straceStatus;
      if (!interrupted && !options.attaching()) {
        warning =
            (warning == null ? "" : warning + "\n")
                + "the log does not say how the program ended; using strace's status "
                + straceStatus;
      }
    }
    return new Outcome(status, interrupted, exits.lines(), snapshots, warning, null);
  }

  private String straceFailure(int straceStatus) {
    String what =
        options.attaching()
            ? "strace could not attach to pid " + options.attachPid()
            : "strace failed before " + options.command().get(0) + " started";
    String why = options.attaching() ? PtraceDiagnosis.attachBlocker(options.attachPid()) : null;
    if (why == null) {
      why = PtraceDiagnosis.probe(strace);
    }
    if (why == null && options.attaching()) {
      why = PtraceDiagnosis.explain(); // tracing a child works; attaching may still be refused
    }
    return what
        + " (strace exit status "
        + straceStatus
        + ", its own message is above)"
        + (why == null ? "" : ": " + why);
  }

  /**
   * memtrace cannot go on (its timeline cannot be written, or nobody reads it): stops the program
   * and strace as Ctrl-C would; the run then ends as usual. Returns whether anything still ran.
   */
  public boolean stop() {
    return stopper != null && stopper.stopAll();
  }

  @Override
  public void close() {
    if (stopper == null) {
      return;
    }
    stopper.written();
    if (!stopper.fired()) {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook is running
      }
    }
  }
}
