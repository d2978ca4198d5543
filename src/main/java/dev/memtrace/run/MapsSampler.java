package dev.memtrace.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads /proc/PID/maps (and the thread count from /proc/PID/status) as fast as it can: it runs on
 * the FIFO reader's thread while strace holds the task.
 */
final class MapsSampler {

  private final int delayMicros;

  MapsSampler(int delayMicros) {
    this.delayMicros = delayMicros;
  }

  /** Reads memtrace's own maps a few times so the first real snapshot runs warm code. */
  void warmUp() {
    int self = (int) ProcessHandle.current().pid();
    for (int i = 0; i < 20; i++) {
      take(
          0,
          self,
          MapsSnapshot.Kind.ATTACH,
          timestampMicros("1 1000000000.000000 x"),
          System.nanoTime());
    }
  }

  /**
   * Snapshot of {@code pid}. {@code lineMicros} is the line's {@code -ttt} timestamp in µs since
   * the epoch: strace takes it just before it prints the line and then holds the task, so the time
   * from it to the end of the read is how long into the hold the read finished; past the hold the
   * task may have run on. Without a timestamp (0), the time since {@code receivedNanos}, when the
   * line reached memtrace, is used, which misses the time the line waited in the pipe.
   */
  MapsSnapshot take(
      int line, int pid, MapsSnapshot.Kind kind, long lineMicros, long receivedNanos) {
    String maps = read(Path.of("/proc", Integer.toString(pid), "maps"));
    long micros =
        lineMicros > 0 ? nowMicros() - lineMicros : (System.nanoTime() - receivedNanos) / 1000;
    return new MapsSnapshot(
        line,
        pid,
        kind,
        maps,
        threads(pid),
        micros,
        delayMicros,
        kind == MapsSnapshot.Kind.ATTACH ? tasks(pid) : List.of(),
        kind == MapsSnapshot.Kind.ATTACH ? exe(pid) : null);
  }

  /**
   * The program /proc/PID/exe links to, or null when it cannot be read (the process is gone, or
   * ptrace_may_access refused: the link needs the same permission as attaching).
   */
  static String exe(int pid) {
    try {
      return Files.readSymbolicLink(Path.of("/proc", Integer.toString(pid), "exe")).toString();
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }

  /** The tids in /proc/PID/task, in order; empty when the process is gone. */
  static List<Integer> tasks(int pid) {
    List<Integer> tids = new ArrayList<>();
    try (DirectoryStream<Path> d =
        Files.newDirectoryStream(Path.of("/proc", Integer.toString(pid), "task"))) {
      for (Path t : d) {
        try {
          tids.add(Integer.parseInt(t.getFileName().toString()));
        } catch (NumberFormatException e) {
          // not a task
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    Collections.sort(tids);
    return tids;
  }

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }

  /**
   * When strace began to hold the task of this line, in µs since the epoch, or 0 if unknown: the
   * {@code -ttt} timestamp ({@code PID SECONDS.MICROS ...}, 9 to 9 fraction digits accepted) is
   * taken when strace starts printing the line, at the call's entry for a one-line record, so the
   * call's {@code -T} duration is added; a {@code <... resumed>} line is stamped at the exit.
   */
  static long holdStartMicros(String text) {
    long ts = timestampMicros(text);
    if (ts == 0 || text.contains(" <... ")) {
      return ts;
    }
    int lt = text.lastIndexOf(" <");
    if (lt < 0 || !text.endsWith(">")) {
      return ts;
    }
    try {
      return ts + Math.round(Double.parseDouble(text.substring(lt + 2, text.length() - 1)) * 1e6);
    } catch (NumberFormatException e) {
      return ts;
    }
  }

  /** The {@code -ttt} timestamp of a line in µs since the epoch, or 0. */
  static long timestampMicros(String text) {
    int i = text.indexOf(' ');
    if (i < 0) {
      return 0;
    }
    while (i < text.length() && text.charAt(i) == ' ') {
      i++;
    }
    long secs = 0;
    int digits = 0;
    while (i < text.length() && Character.isDigit(text.charAt(i))) {
      secs = secs * 10 + (text.charAt(i++) - '0');
      digits++;
    }
    if (digits < 9 || i >= text.length() || text.charAt(i) != '.') {
      return 0;
    }
    i++;
    long frac = 0;
    int scale = 0;
    while (i < text.length() && Character.isDigit(text.charAt(i))) {
      if (scale < 6) {
        frac = frac * 10 + (text.charAt(i) - '0');
        scale++;
      }
      i++;
    }
    while (scale++ < 6) {
      frac *= 10;
    }
    return secs * 1_000_000L + frac;
  }

  private String read(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return FifoReader.latin1(bytes, 0, bytes.length);
    } catch (IOException e) {
      return null; // the task is gone: recorded as a missed snapshot
    }
  }

  /** The Threads: field of /proc/PID/status; 0 when unknown. */
  static int threads(int pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
        if (l.startsWith("Threads:")) {
          return Integer.parseInt(l.substring(8).trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone, or not a number: unknown
    }
    return 0;
  }
}
