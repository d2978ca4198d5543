package dev.memtrace.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * Reads strace's log from the FIFO on a dedicated thread, as strace writes it, and takes the maps
 * snapshots while the tasks are held.
 *
 * <p>This thread does nothing slow: it splits lines, takes snapshots, and hands each read's worth
 * of items to the consumer through an unbounded queue. So the FIFO never fills and strace (and with
 * it the tracee) never waits on memtrace, except for the delays it was asked to inject.
 *
 * <p>The reader naps after each read that did not fill its buffer: strace's writes then land in the
 * pipe without waking a blocked reader each time (strace writes twice per call: it flushes a call's
 * entry and its exit), which is most of what a pipe costs over {@code -o /dev/null}. The pipe holds
 * 64 KiB, well over what strace writes in a nap. Without snapshots nothing waits on the reader and
 * the nap is {@link #NAP_MICROS}; with snapshots it is {@link #SNAPSHOT_NAP_MICROS}, a tenth of the
 * default hold, so a snapshot is still read in time.
 *
 * <p>A line ending in {@code (DELAYED)} (before an optional {@code -T} suffix) is a memory call
 * whose task strace now holds: its pid is the first field ({@code -f -o} always prints it). A
 * pending, unfinished {@code PID ... exit_group(} at the end of what the FIFO gave means the task
 * is held before exiting: the last chance to read its maps.
 */
public final class FifoReader implements Runnable {

  /** The reader thread's name: it keeps its priority ({@link Priority}). */
  public static final String THREAD_NAME = "memtrace-fifo";

  /** The marker put on the queue after the last item. */
  public static final List<LiveItem> END = List.of();

  /** The nap between reads without snapshots, in µs. */
  static final long NAP_MICROS = 2000;

  /** The nap between reads with snapshots, in µs (at most a tenth of the hold). */
  static final long SNAPSHOT_NAP_MICROS = 200;

  private static final Pattern DELAYED = Pattern.compile("\\(DELAYED\\)(?: <[0-9.]+>)?$");

  private final Fifo fifo;
  private final MapsSampler sampler;
  private final long napNanos;
  private final BlockingQueue<List<LiveItem>> queue = new LinkedBlockingQueue<>();
  private volatile IOException failure;
  private int lineCount;

  /** {@code delayMicros} null: no snapshots. */
  public FifoReader(Fifo fifo, Integer delayMicros) {
    this.fifo = fifo;
    this.sampler = delayMicros == null ? null : new MapsSampler(delayMicros);
    this.napNanos =
        1000 * (delayMicros == null ? NAP_MICROS : Math.min(SNAPSHOT_NAP_MICROS, delayMicros / 10));
  }

  public BlockingQueue<List<LiveItem>> queue() {
    return queue;
  }

  public IOException failure() {
    return failure;
  }

  @Override
  public void run() {
    if (sampler != null) {
      sampler.warmUp();
    }
    try (InputStream in = fifo.openForReading()) {
      readAll(in);
      fifo.readerDone();
    } catch (IOException e) {
      failure = e;
      fifo.readerDone();
    } finally {
      queue.add(END);
    }
  }

  private void readAll(InputStream in) throws IOException {
    byte[] buf = new byte[1 << 16];
    byte[] pending = new byte[1 << 12];
    int pendingLen = 0;
    int exitSnapshotFor = -1; // the partial line we already took an exit snapshot for
    int n;
    while ((n = in.read(buf)) > 0) {
      long received = System.nanoTime();
      List<LiveItem> items = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (buf[i] != '\n') {
          continue;
        }
        String text;
        if (pendingLen > 0) {
          pending = append(pending, pendingLen, buf, start, i - start);
          text = latin1(pending, 0, pendingLen + i - start);
          pendingLen = 0;
        } else {
          text = latin1(buf, start, i - start);
        }
        start = i + 1;
        lineCount++;
        exitSnapshotFor = -1;
        items.add(new LiveItem.LogLine(lineCount, text));
        if (sampler != null && (text.endsWith(")") || text.endsWith(">"))) {
          snapshotAfterCall(text, received, items);
        }
      }
      if (start < n) {
        pending = append(pending, pendingLen, buf, start, n - start);
        pendingLen += n - start;
        if (sampler != null && exitSnapshotFor != lineCount) {
          int pid = exitingPid(pending, pendingLen);
          if (pid > 0) {
            String head = latin1(pending, 0, Math.min(pendingLen, 200));
            items.add(
                sampler.take(
                    lineCount,
                    pid,
                    MapsSnapshot.Kind.EXIT,
                    MapsSampler.timestampMicros(head),
                    received));
            exitSnapshotFor = lineCount;
          }
        }
      }
      if (!items.isEmpty()) {
        queue.add(items);
      }
      if (n < buf.length && napNanos > 0) {
        LockSupport.parkNanos(napNanos);
      }
    }
    if (pendingLen > 0) { // strace was killed mid-line (strace-format.md §4.12)
      lineCount++;
      queue.add(List.of(new LiveItem.LogLine(lineCount, latin1(pending, 0, pendingLen))));
    }
  }

  private void snapshotAfterCall(String text, long received, List<LiveItem> items) {
    MapsSnapshot.Kind kind;
    if (DELAYED.matcher(text).find()) {
      kind = MapsSnapshot.Kind.AFTER_CALL;
    } else if (text.endsWith(" <unfinished ...>") && text.contains(" exit_group(")) {
      // another task printed while this one was held before exiting: strace closed its line
      kind = MapsSnapshot.Kind.EXIT;
    } else {
      return;
    }
    int pid = leadingPid(text);
    if (pid > 0) {
      items.add(sampler.take(lineCount, pid, kind, MapsSampler.holdStartMicros(text), received));
    }
  }

  /** Log bytes to text one to one, as the parser reads a log file (strace-format.md §9). */
  static String latin1(byte[] bytes, int from, int length) {
    return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
  }

  /** Copies {@code len} bytes after the first {@code used} of {@code into}, growing it. */
  private static byte[] append(byte[] into, int used, byte[] from, int off, int len) {
    byte[] out =
        used + len <= into.length
            ? into
            : Arrays.copyOf(into, Math.max(into.length * 2, used + len));
    System.arraycopy(from, off, out, used, len);
    return out;
  }

  static int leadingPid(String text) {
    int pid = 0;
    int i = 0;
    while (i < text.length() && Character.isDigit(text.charAt(i)) && i < 10) {
      pid = pid * 10 + (text.charAt(i) - '0');
      i++;
    }
    return i > 0 && i < text.length() && text.charAt(i) == ' ' ? pid : -1;
  }

  /** The pid of a pending {@code PID [TIME ]exit_group(} line, or -1. */
  static int exitingPid(byte[] pending, int len) {
    String head = new String(pending, 0, Math.min(len, 200), StandardCharsets.ISO_8859_1);
    int call = head.indexOf(" exit_group(");
    if (call < 0 || head.indexOf('\n') >= 0) {
      return -1;
    }
    return leadingPid(head);
  }
}
