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
 * over instead of competing with it; what is left is read at the end. Linux priorities are per
 * thread, so {@code renice -p TID} changes one thread.
 */
final class Priority {

  static final int NICE = 10;

  private Priority() {}

  /** Renices every thread of this JVM except those named {@code keep}; failures are ignored. */
  static void lowerOwnThreads(String keep) {
    List<String> argv = new ArrayList<>(List.of("renice", "-n", Integer.toString(NICE), "-p"));
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path t : tasks) {
        String comm = Files.readString(t.resolve("comm"), StandardCharsets.ISO_8859_1).trim();
        if (!keep.startsWith(comm)) {
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
