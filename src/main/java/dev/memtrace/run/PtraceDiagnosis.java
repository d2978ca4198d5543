package dev.memtrace.run;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Why ptrace may be refused here, from what the system tells: Yama's {@code
 * kernel.yama.ptrace_scope}, a seccomp filter on memtrace itself (containers), and whether memtrace
 * holds CAP_SYS_PTRACE. Used to turn strace's bare "Operation not permitted" into advice.
 */
final class PtraceDiagnosis {

  private static final int CAP_SYS_PTRACE = 19;

  private PtraceDiagnosis() {}

  /**
   * After strace failed with an empty log: runs {@code strace -o /dev/null true} with its stderr
   * captured, and if that too is refused by ptrace, says why; null when ptrace works.
   */
  static String probe(String strace) {
    try {
      Process p =
          new ProcessBuilder(strace, "-o", "/dev/null", "--", "true")
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      if (p.exitValue() == 0) {
        return null;
      }
      if (out.contains("Operation not permitted") || out.contains("PTRACE")) {
        return explain();
      }
      return "strace itself fails: "
          + out.lines().findFirst().orElse("exit status " + p.exitValue());
    } catch (IOException e) {
      return "strace cannot be run: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * What stops an attach to {@code pid} that is not about permissions: the process is gone, or a
   * debugger or another strace already traces it (a process has one tracer at most). Null if
   * neither.
   */
  static String attachBlocker(int pid) {
    Path status = Path.of("/proc", Integer.toString(pid), "status");
    try {
      for (String l : Files.readAllLines(status)) {
        if (l.startsWith("TracerPid:")) {
          String tracer = l.substring(10).trim();
          if (!"0".equals(tracer)) {
            String comm = read(Path.of("/proc", tracer, "comm"));
            return "pid "
                + pid
                + " is already traced by pid "
                + tracer
                + (comm == null ? "" : " (" + comm + ")")
                + ", and a process has one tracer at most";
          }
        }
        if (l.startsWith("State:") && l.contains("zombie")) {
          return "pid " + pid + " has exited (a zombie waiting for its parent)";
        }
      }
    } catch (IOException e) {
      return "pid " + pid + " is gone";
    }
    return null;
  }

  static String explain() {
    List<String> facts = new ArrayList<>();
    String tracer = statusField("TracerPid");
    if (tracer != null && !"0".equals(tracer)) {
      String comm = read(Path.of("/proc", tracer, "comm"));
      facts.add(
          "memtrace itself is traced by pid "
              + tracer
              + (comm == null ? "" : " (" + comm + ")")
              + ", which then traces what memtrace starts, and a process has one tracer at most");
    }
    String scope = read(Path.of("/proc/sys/kernel/yama/ptrace_scope"));
    if (scope != null && !"0".equals(scope)) {
      facts.add(
          "kernel.yama.ptrace_scope is "
              + scope
              + " (3 forbids ptrace entirely; 1 and 2 need CAP_SYS_PTRACE: run as root or"
              + " sysctl kernel.yama.ptrace_scope=0)");
    }
    String seccomp = statusField("Seccomp");
    if (seccomp != null && !"0".equals(seccomp)) {
      facts.add(
          "memtrace runs under a seccomp filter, as in a container (docker/podman: run with"
              + " --cap-add=SYS_PTRACE, or --security-opt seccomp=unconfined)");
    }
    String capEff = statusField("CapEff");
    if (capEff != null && !new BigInteger(capEff, 16).testBit(CAP_SYS_PTRACE)) {
      facts.add("memtrace lacks CAP_SYS_PTRACE (needed for -p on another user's process)");
    }
    if (facts.isEmpty()) {
      facts.add("no Yama restriction or seccomp filter was found; see strace's message above");
    }
    return "ptrace was refused: " + String.join("; ", facts);
  }

  private static String statusField(String name) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith(name + ":")) {
          return l.substring(name.length() + 1).trim();
        }
      }
    } catch (IOException e) {
      // unknown
    }
    return null;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p).trim();
    } catch (IOException e) {
      return null;
    }
  }
}
