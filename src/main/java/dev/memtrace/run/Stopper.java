package dev.memtrace.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The JVM shutdown hook of a live run: on Ctrl-C or SIGTERM to memtrace it stops what memtrace
 * started and then waits until the timeline has been written and the recording closed.
 *
 * <p>strace run with {@code -o FILE COMMAND} blocks fatal signals (its default {@code -I 3}), and
 * when it does die it only kills its direct child, detaching the others. So memtrace stops the
 * tree itself: SIGTERM to every descendant of strace and to every traced pid still alive that
 * started after strace (a daemon may have left the tree), a grace period in which strace logs
 * their deaths and exits, then SIGKILL for whatever is left, strace last. Attached with {@code
 * -p}, it only stops strace, which detaches and leaves the process running.
 */
final class Stopper extends Thread {

  private static final long GRACE_MS = 1500;

  private final ProcessHandle strace;
  private final Instant straceStart;
  private final boolean attached;
  private final Set<Integer> tracedPids = ConcurrentHashMap.newKeySet();
  private final CountDownLatch written = new CountDownLatch(1);
  private volatile boolean fired;

  Stopper(ProcessHandle strace, boolean attached) {
    super("memtrace-stop");
    this.strace = strace;
    this.attached = attached;
    this.straceStart = strace.info().startInstant().orElse(Instant.EPOCH);
  }

  void traced(int pid) {
    tracedPids.add(pid);
  }

  boolean fired() {
    return fired;
  }

  /** The run has written everything: the hook may let the JVM go. */
  void written() {
    written.countDown();
  }

  @Override
  public void run() {
    fired = true;
    stopAll();
    try {
      written.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void stopAll() {
    if (attached) {
      strace.destroy(); // SIGTERM: strace detaches from the process and exits
      awaitExit(strace, GRACE_MS);
      strace.destroyForcibly();
      return;
    }
    List<ProcessHandle> tree = tree();
    tree.forEach(ProcessHandle::destroy);
    awaitExit(strace, GRACE_MS);
    tree().forEach(ProcessHandle::destroyForcibly);
    awaitExit(strace, GRACE_MS);
    strace.destroyForcibly();
    awaitExit(strace, GRACE_MS);
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
    } catch (Exception e) {
      // still running: the caller escalates
    }
  }
}
