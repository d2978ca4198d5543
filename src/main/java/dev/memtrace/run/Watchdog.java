package dev.memtrace.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What cleans up when memtrace cannot: a small shell process that reads a pipe from memtrace and
 * acts when it reaches end-of-file, which the kernel gives it however memtrace ends, SIGKILL
 * included. A shutdown hook does not run on SIGKILL; without this, strace and the program ran on
 * (strace writing "Broken pipe" into a FIFO nobody read) and the FIFO's directory stayed.
 *
 * <p>memtrace tells it strace's pid once strace runs ({@code trace PID}, or {@code attach PID} with
 * {@code -p}) and when strace has ended ({@code ended}). At end-of-file, if strace still runs, it
 * stops strace (SIGSTOP: traced tasks then wait at their next call, so none forks), kills with
 * SIGKILL every process whose {@code TracerPid} in {@code /proc/PID/status} is strace (the whole
 * traced tree, and any daemon that left it), then strace; an attached process is left running
 * (SIGTERM makes strace detach). Last it removes the FIFO's directory. After a normal end there is
 * nothing left to do: strace has ended and memtrace removed the directory. It ignores the signals a
 * terminal sends to the whole process group, so Ctrl-C leaves it to its work.
 */
final class Watchdog implements AutoCloseable {

  private static final String SCRIPT =
      """
      trap '' INT TERM HUP QUIT PIPE
      dir=$1 strace= attached=
      while read -r what pid; do
        case $what in
          trace) strace=$pid attached= ;;
          attach) strace=$pid attached=yes ;;
          ended) strace= ;;
        esac
      done
      if [ -n "$strace" ] && [ -n "$attached" ]; then
        kill -TERM "$strace" 2>/dev/null && sleep 1
        kill -KILL "$strace" 2>/dev/null
      elif [ -n "$strace" ]; then
        kill -STOP "$strace" 2>/dev/null
        for round in 1 2 3; do
          pids=$(grep -l "^TracerPid:[[:space:]]*$strace\\$" /proc/[0-9]*/status 2>/dev/null | cut -d/ -f3)
          [ -z "$pids" ] && break
          kill -KILL $pids 2>/dev/null
        done
        kill -KILL "$strace" 2>/dev/null
      fi
      rm -rf -- "$dir"
      """;

  private final OutputStream pipe;

  private Watchdog(OutputStream pipe) {
    this.pipe = pipe;
  }

  /** Starts the watchdog of a run whose FIFO lies in {@code dir}. */
  static Watchdog start(Path dir) throws IOException {
    Process p =
        new ProcessBuilder("sh", "-c", SCRIPT, "memtrace-watchdog", dir.toString())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    return new Watchdog(p.getOutputStream());
  }

  /** strace runs as {@code pid}; {@code attached}: it traces a process memtrace did not start. */
  void strace(long pid, boolean attached) {
    say((attached ? "attach " : "trace ") + pid);
  }

  /** strace has ended (and been waited for): its pid may be another process's now. */
  void straceEnded() {
    say("ended");
  }

  private synchronized void say(String line) {
    try {
      pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
      pipe.flush();
    } catch (IOException e) {
      // the watchdog is gone (killed from outside): the run goes on without it
    }
  }

  /** The run is over and cleaned up: the watchdog reads end-of-file and exits. */
  @Override
  public synchronized void close() {
    try {
      pipe.close();
    } catch (IOException e) {
      // gone already
    }
  }
}
