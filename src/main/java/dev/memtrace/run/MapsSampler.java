package dev.memtrace.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
      take(0, self, MapsSnapshot.Kind.ATTACH, System.nanoTime());
    }
  }

  /** Snapshot of {@code pid}; {@code receivedNanos} is when the line asking for it arrived. */
  MapsSnapshot take(int line, int pid, MapsSnapshot.Kind kind, long receivedNanos) {
    String maps = read(Path.of("/proc", Integer.toString(pid), "maps"));
    long micros = (System.nanoTime() - receivedNanos) / 1000;
    return new MapsSnapshot(line, pid, kind, maps, threads(pid), micros, delayMicros);
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
    } catch (IOException | RuntimeException e) {
      // gone, or not a number: unknown
    }
    return 0;
  }
}
