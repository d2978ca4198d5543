package dev.memtrace.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Captures a trace with ground truth, the way corpus/gen.py does: {@code strace -f -o FIFO -e
 * inject=<memory calls>:delay_exit=N CMD}. strace flushes each line, then holds the task for N µs
 * after a memory call; reading {@code /proc/PID/maps} as soon as a line ending in {@code (DELAYED)}
 * arrives gives the address space just after that call. Writes {@code NAME.log} and {@code
 * NAME.maps.jsonl} in the corpus format.
 */
public final class MapsCapture {

  public static final String MEMORY_CALLS =
      "mmap,munmap,brk,mprotect,mremap,madvise,shmat,shmdt,mlock,munlock";

  /**
   * How long strace holds a task after a memory call: time enough to read its maps on a busy box.
   */
  public static final int DELAY_US = 30000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private MapsCapture() {}

  public static boolean available(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  public record Capture(Path log, Path snapshots, int snapshotCount, int exitCode) {}

  public static Capture run(Path dir, String name, List<String> command) throws Exception {
    Path fifo = dir.resolve(name + ".fifo");
    Files.deleteIfExists(fifo);
    exec(List.of("mkfifo", fifo.toString()));
    Path log = dir.resolve(name + ".log");
    Path snaps = dir.resolve(name + ".maps.jsonl");
    List<String> argv =
        new ArrayList<>(
            List.of(
                "strace",
                "-f",
                "-o",
                fifo.toString(),
                "-e",
                "inject=" + MEMORY_CALLS + ":delay_exit=" + DELAY_US));
    argv.addAll(command);
    Process p =
        new ProcessBuilder(argv)
            .directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(dir.resolve(name + ".stderr").toFile())
            .start();
    p.getOutputStream().close();
    int count = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(fifo), 1 << 16);
        OutputStream logOut = new BufferedOutputStream(Files.newOutputStream(log));
        BufferedWriter snapOut = Files.newBufferedWriter(snaps)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int lineNo = 0;
      for (int b = in.read(); b >= 0; b = in.read()) {
        logOut.write(b);
        if (b != '\n') {
          line.write(b);
          continue;
        }
        lineNo++;
        String text = line.toString(StandardCharsets.ISO_8859_1);
        line.reset();
        if (!text.endsWith("(DELAYED)")) {
          continue;
        }
        String pid = text.split("\\s+", 2)[0];
        String maps;
        try {
          maps = Files.readString(Path.of("/proc", pid, "maps"), StandardCharsets.ISO_8859_1);
          count++;
        } catch (IOException gone) {
          maps = null;
        }
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("line", lineNo);
        rec.put("pid", Integer.parseInt(pid));
        rec.put("text", text);
        rec.put("maps", maps);
        snapOut.write(JSON.writeValueAsString(rec));
        snapOut.write('\n');
      }
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("strace did not finish: " + argv);
    }
    Files.deleteIfExists(fifo);
    return new Capture(log, snaps, count, p.exitValue());
  }

  /** gcc -O0 -pthread SRC -o OUT; the source comes from the test resources. */
  public static Path compile(Path dir, String resource) throws Exception {
    Path src = dir.resolve(resource);
    try (InputStream in = MapsCapture.class.getResourceAsStream("/live/" + resource)) {
      Files.copy(in, src, StandardCopyOption.REPLACE_EXISTING);
    }
    return compileFile(dir, src);
  }

  /** gcc -O0 -pthread SRC -o DIR/NAME. */
  public static Path compileFile(Path dir, Path src) throws Exception {
    String name = src.getFileName().toString();
    Path out = dir.resolve(name.substring(0, name.length() - 2));
    exec(List.of("gcc", "-O0", "-pthread", "-o", out.toString(), src.toString()));
    return out;
  }

  private static void exec(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
