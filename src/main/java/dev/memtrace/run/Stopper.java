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
    List<ProcessHandle> tree = tree();
    tree.forEach(ProcessHandle::destroy);
    awaitExit(strace, GRACE_MS);
    tree().forEach(ProcessHandle::destroyForcibly);
    awaitExit(strace, GRACE_MS);
    strace.destroyForcibly();
    awaitExit(strace, GRACE_MS);
    return !tree.isEmpty();
  }

  /**
   * The processes strace traces now that started after it (its descendants, and daemons that left
   * the tree): thread group leaders still running, not zombies, and not strace itself.
   */
  List<ProcessHandle> running() {
    if (strace == null || !strace.isAlive()) {
      return List.of();
    }
    List<ProcessHandle> running = new ArrayList<>();
    for (ProcessHandle p : tree()) {
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
