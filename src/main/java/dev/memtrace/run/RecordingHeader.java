package dev.memtrace.run;

import java.util.List;

/**
 * The first object of a recording: what was run, how, and on what.
 *
 * @param version the recording format version ({@link #VERSION})
 * @param command the traced command, empty when attached
 * @param pid the pid attached to with {@code -p}, or null
 * @param straceArgv strace's command line ({@code FIFO} in place of the pipe's path)
 * @param started when the run started, ISO-8601 UTC
 */
public record RecordingHeader(
    int version,
    List<String> command,
    Integer pid,
    List<String> straceArgv,
    Versions versions,
    String started,
    boolean snapshots,
    int delayMicros) {

  public static final String FORMAT = "memtrace-recording";
  public static final int VERSION = 1;

  public RecordingHeader {
    command = List.copyOf(command);
    straceArgv = List.copyOf(straceArgv);
  }
}
