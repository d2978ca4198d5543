package dev.memtrace.correlate;

import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.Region;
import java.util.List;

/**
 * {@code /proc/PID/maps} as read right after the call printed on {@code line} of the log returned
 * (strace held the task with {@code inject=...:delay_exit}). maps is null when it could not be read
 * (the task was gone). text, when known, is that log line; it ties the snapshot to its call even
 * when the call was split into unfinished and resumed halves and so is numbered by an earlier line.
 * threads, from a snapshot taken as strace attached (line 0), are the tids of pid's process then:
 * tasks that share its address space, though the trace will never show their clones; exe, from the
 * same snapshot, is the program /proc/PID/exe linked to, or null.
 */
public record Snapshot(
    int line, int pid, String maps, String text, List<Integer> threads, String exe) {

  public Snapshot {
    threads = List.copyOf(threads);
  }

  public Snapshot(int line, int pid, String maps, String text) {
    this(line, pid, maps, text, List.of(), null);
  }

  public Snapshot(int line, int pid, String maps) {
    this(line, pid, maps, null);
  }

  /**
   * Whether the text cannot be one address space: a line starts before the one above it ends. The
   * kernel prints /proc/PID/maps a page of output at a time and takes the mm's lock again for each,
   * so another thread's mmap or mprotect between two reads shows both the region before it and the
   * region after it (a torn read). Such a snapshot says nothing about any one moment.
   */
  public boolean torn() {
    return maps != null && torn(MapsFormat.parse(maps));
  }

  /**
   * {@link #torn()} of a snapshot's regions already parsed, in the order the kernel printed them.
   */
  static boolean torn(List<Region> regions) {
    for (int i = 1; i < regions.size(); i++) {
      if (Long.compareUnsigned(regions.get(i).start(), regions.get(i - 1).end()) < 0) {
        return true;
      }
    }
    return false;
  }
}
