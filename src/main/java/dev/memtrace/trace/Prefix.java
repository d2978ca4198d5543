package dev.memtrace.trace;

/**
 * The optional leader strace prints before a record (strace.c:printleader): pid or tid, the {@code
 * -Y} comm, the absolute timestamp as printed and in seconds, the {@code -r} delta, the {@code -n}
 * syscall number and the {@code -i} instruction pointer. Absent parts are null.
 *
 * @param seconds the absolute timestamp in seconds: since the epoch for -ttt and the unix formats,
 *     since local midnight for -t/-tt
 */
public record Prefix(
    Integer pid,
    String comm,
    String time,
    Double seconds,
    Double relative,
    Integer scno,
    String ip) {

  public static final Prefix NONE = new Prefix(null, null, null, null, null, null, null);

  public Prefix withPid(Integer newPid) {
    return new Prefix(newPid, comm, time, seconds, relative, scno, ip);
  }
}
