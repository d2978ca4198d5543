package dev.memtrace.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The versions a recording notes: strace's, the kernel's and glibc's. Unknown ones are null. */
public record Versions(String strace, String kernel, String glibc) {

  static Versions probe(String straceBinary) {
    String strace = firstLine(straceBinary, "-V");
    if (strace != null && strace.startsWith("strace -- version ")) {
      strace = strace.substring("strace -- version ".length());
    }
    String kernel;
    try {
      kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
    } catch (IOException e) {
      kernel = null;
    }
    String glibc = firstLine("getconf", "GNU_LIBC_VERSION");
    if (glibc != null && glibc.startsWith("glibc ")) {
      glibc = glibc.substring(6);
    }
    return new Versions(strace, kernel, glibc);
  }

  private static String firstLine(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return out.lines().findFirst().map(String::trim).orElse(null);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
