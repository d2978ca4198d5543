package dev.memtrace.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The JVM shutdown hook of a live run: on Ctrl-C or SIGTERM to memtrace it stops what memtrace
 * started and then waits until the timeline has been written and the recording closed.
 *
 * <p>strace run with {@code -o FILE COMMAND} blocks fatal signals (its default {@code -I 3}), and
 * when it does die it only kills its direct child, detaching the others. So memtrace stops the tree
 * itself: SIGTERM to every descendant of strace and to every traced pid still alive that started
 * after strace (a daemon may have left the tree), a grace period in which strace logs their deaths
 * and exits, then SIGKILL for whatever is left, strace last. Attached with {@code -p}, it only
 * stops strace, which detaches and leaves the process running.
 */
final class Stopper extends Thread {

  private static final long GRACE_MS = 1500;

  /** The signals a terminal or a supervisor stops memtrace with; SIGKILL is the watchdog's. */
  private static final List<String> STOP_SIGNALS = List.of("INT", "TERM", "HUP");

  /** The number of the signal that stopped memtrace, or 0. */
  private static volatile int signal;

  private ProcessHandle strace;
  private Instant straceStart = Instant.EPOCH;
  private final boolean attached;
  private final Set<Integer> tracedPids = ConcurrentHashMap.newKeySet();
  private final CountDownLatch written = new CountDownLatch(1);
  private volatile boolean fired;

  /** Registered before strace starts, so that no signal can fall between the start and the hook. */
  Stopper(boolean attached) {
    super("memtrace-stop");
    this.attached = attached;
  }

  /** strace runs now; true when the hook already fired, and the caller must stop it at once. */
  synchronized boolean strace(ProcessHandle handle) {
    this.strace = handle;
    this.straceStart = handle.info().startInstant().orElse(Instant.EPOCH);
    return fired;
  }

  void traced(int pid) {
    tracedPids.add(pid);
  }

  boolean fired() {
    return fired;
  }

  /**
   * Ends memtrace on SIGINT, SIGTERM and SIGHUP as the JVM itself does (exit 128+N, which runs this
   * hook), noting which signal came, so the recording's end says the status memtrace exits with. A
   * signal memtrace was started ignoring (a background job's SIGINT) stays ignored.
   */
  static void catchStopSignals() {
    for (String name : STOP_SIGNALS) {
      Signal s = new Signal(name);
      SignalHandler before =
          Signal.handle(
              s,
              received -> {
                signal = received.getNumber();
                System.exit(ExitCode.killedBy(received.getNumber()));
              });
      if (before == SignalHandler.SIG_IGN) {
        Signal.handle(s, SignalHandler.SIG_IGN);
      }
    }
  }

  /** The name of the signal that stopped memtrace ("SIGINT"), or "a signal" when none did. */
  static String signalName() {
    int n = signal;
    for (String name : STOP_SIGNALS) {
      if (new Signal(name).getNumber() == n) {
        return "SIG" + name;
      }
    }
    return "a signal";
  }

  /** The status memtrace exits with when a signal stopped it ({@code 128+N}), else null. */
  Integer signalStatus() {
    int n = signal;
    return fired && n > 0 ? ExitCode.killedBy(n) : null;
  }

  /** The run has written everything: the hook may let the JVM go. */
  void written() {
    written.countDown();
  }

  @Override
  public void run() {
    ProcessHandle started;
    synchronized (this) {
      fired = true;
      started = strace;
    }
    if (started != null) {
      stopAll();
    }
    try {
      written.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops what runs; whether anything did (strace attached, or processes it traced). */
  boolean stopAll() {
    if (strace == null) {
      return false;
    }
    if (attached) {
      boolean running = strace.isAlive();
      strace.destroy(); // SIGTERM: strace detaches from the process and exits
      awaitExit(strace, GRACE_MS);
      strace.destroyForcibly();
      return running;
    }
    // what is done is noted before it is done: strace ends as soon as the last process does,
    // and the run reads this as it ends
    List<ProcessHandle> tree = tree();
    List<ProcessHandle> processes = processes(tree);
    boolean first = first();
    if (first && !processes.isEmpty()) {
      stopped("sent SIGTERM to " + count(processes.size()) + " still running " + named(processes));
    }
    tree.forEach(ProcessHandle::destroy);
    awaitExit(strace, GRACE_MS);
    List<ProcessHandle> rest = tree();
    List<ProcessHandle> restProcesses = processes(rest);
    if (first && !restProcesses.isEmpty() && stopped() != null) {
      stopped(
          stopped()
              + ", then SIGKILL to the "
              + restProcesses.size()
              + " still running "
              + GRACE_MS / 1000.0
              + " s later "
              + named(restProcesses));
    }
    rest.forEach(ProcessHandle::destroyForcibly);
    awaitExit(strace, GRACE_MS);
    strace.destroyForcibly();
    awaitExit(strace, GRACE_MS);
    return !tree.isEmpty();
  }

  /** Whether this is the first stop (a later one finds the work done, or doing). */
  private synchronized boolean first() {
    boolean was = noted;
    noted = true;
    return !was;
  }

  private synchronized void stopped(String what) {
    stopped = what;
  }

  private boolean noted;

  /** What the first {@link #stopAll} did to the traced processes, or null when it found none. */
  synchronized String stopped() {
    return stopped;
  }

  private String stopped;

  /** "1 process", "3 processes". */
  static String count(int n) {
    return n + (n == 1 ? " process" : " processes");
  }

  /** "(pid 12 sleep)", "(pids 12 sh, 13 sleep and 4 more)": what the processes run now. */
  static String named(List<ProcessHandle> processes) {
    StringBuilder b = new StringBuilder(processes.size() == 1 ? "(pid " : "(pids ");
    int shown = Math.min(processes.size(), 5);
    for (int i = 0; i < shown; i++) {
      ProcessHandle p = processes.get(i);
      b.append(i == 0 ? "" : ", ").append(p.pid());
      p.info().command().ifPresent(c -> b.append(' ').append(Path.of(c).getFileName()));
    }
    if (processes.size() > shown) {
      b.append(" and ").append(processes.size() - shown).append(" more");
    }
    return b.append(')').toString();
  }

  /**
   * The processes strace traces now that started after it (its descendants, and daemons that left
   * the tree): thread group leaders still running, not zombies, and not strace itself.
   */
  List<ProcessHandle> running() {
    if (strace == null || !strace.isAlive()) {
      return List.of();
    }
    return processes(tree());
  }

  /** Of these tasks, the thread group leaders still running (not zombies), by pid. */
  private static List<ProcessHandle> processes(List<ProcessHandle> tasks) {
    List<ProcessHandle> running = new ArrayList<>();
    for (ProcessHandle p : tasks) {
      String status;
      try {
        status = Files.readString(Path.of("/proc", Long.toString(p.pid()), "status"));
      } catch (IOException e) {
        continue; // gone meanwhile
      }
      boolean leader = status.contains("\nTgid:\t" + p.pid() + "\n");
      boolean zombie = status.contains("\nState:\tZ") || status.contains("\nState:\tX");
      if (leader && !zombie && p.isAlive()) {
        running.add(p);
      }
    }
    running.sort(Comparator.comparingLong(ProcessHandle::pid));
    return running;
  }

  private List<ProcessHandle> tree() {
    List<ProcessHandle> all = new ArrayList<>(strace.descendants().toList());
    for (int pid : tracedPids) {
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      if (h.isPresent()
          && h.get().isAlive()
          && !all.contains(h.get())
          && h.get().pid() != ProcessHandle.current().pid()
          && !h.get().info().startInstant().orElse(Instant.EPOCH).isBefore(straceStart)) {
        all.add(h.get());
      }
    }
    return all;
  }

  private static void awaitExit(ProcessHandle p, long millis) {
    try {
      p.onExit().get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // still running: the caller escalates
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
