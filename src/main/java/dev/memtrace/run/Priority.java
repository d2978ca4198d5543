package dev.memtrace.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lets the traced program go first. Once strace runs (it and the program keep the priority they
 * were started with), memtrace lowers the scheduling priority of its own threads, all but the FIFO
 * reader, which must read snapshots while strace holds a task. Threads created afterwards inherit
 * the lower priority. On a busy machine memtrace's parsing then takes the CPU the program leaves
 * over instead of competing with it. When strace has ended there is nothing left to yield to, and
 * the threads go back to their priority to finish quickly (where the system allows raising it
 * again: root, or a high enough RLIMIT_NICE). Linux priorities are per thread, so {@code renice -p
 * TID} changes one thread.
 */
final class Priority {

  static final int NICE = 10;

  private Priority() {}

  /** Renices every thread of this JVM except those named {@code keep}; failures are ignored. */
  static void lowerOwnThreads(String keep) {
    renice(NICE, keep);
  }

  /** Back to nice 0, if allowed. */
  static void restoreOwnThreads() {
    renice(0, "");
  }

  private static void renice(int nice, String keep) {
    List<String> argv = new ArrayList<>(List.of("renice", "-n", Integer.toString(nice), "-p"));
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path t : tasks) {
        String comm = Files.readString(t.resolve("comm"), StandardCharsets.ISO_8859_1).trim();
        if (keep.isEmpty() || !keep.startsWith(comm)) {
          argv.add(t.getFileName().toString());
        }
      }
      Process p =
          new ProcessBuilder(argv)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no renice, no /proc: run at the same priority
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
