package dev.memtrace.cli;

import static dev.memtrace.run.LiveAssumptions.assumeStrace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.run.ExitCode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DESIGN.md's exit statuses for {@code run}, each from a real run. */
class RunExitStatusTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true), new PrintStream(err, true));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theProgramsOwnStatusIsReturned() {
    assumeStrace();
    assertThat(run("--no-snapshots", "-o", "/dev/null", "--", "true")).isZero();
    assertThat(run("-o", "/dev/null", "--", "sh", "-c", "exit 3")).isEqualTo(3);
    assertThat(run("--no-snapshots", "-o", "/dev/null", "--", "false")).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aProgramKilledBySignalNGives128PlusN() {
    assumeStrace();
    assertThat(run("-o", "/dev/null", "--", "sh", "-c", "kill -TERM $$")).isEqualTo(128 + 15);
    assertThat(run("--no-snapshots", "-o", "/dev/null", "--", "sh", "-c", "kill -KILL $$"))
        .isEqualTo(128 + 9);
  }

  @Test
  void theTimelineGoesToStandardErrorByDefault() {
    assumeStrace();
    assertThat(run("--", "true")).isZero();
    assertThat(err()).contains("execve(").contains("+++ exited with 0 +++");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aCommandThatIsNotFoundGives127() {
    assumeStrace();
    assertThat(run("--", "memtrace-no-such-command")).isEqualTo(127);
    assertThat(err()).isEqualTo("memtrace: memtrace-no-such-command: command not found\n");
    err.reset();
    assertThat(run("--", dir.resolve("missing").toString())).isEqualTo(127);
    assertThat(err()).endsWith("missing: No such file or directory\n");
  }

  @Test
  void aFileThatCannotBeExecutedGives126() throws Exception {
    assumeStrace();
    Path plain = Files.writeString(dir.resolve("plain.txt"), "not a program\n");
    assertThat(run("--", plain.toString())).isEqualTo(126);
    assertThat(err()).endsWith("plain.txt: Permission denied\n");
    err.reset();
    assertThat(run("--", dir.toString())).isEqualTo(126);
    // executable but not a format the kernel knows: found out from execve's ENOEXEC in the log
    Path garbage =
        Files.write(dir.resolve("garbage"), new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 0, 0});
    Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rwxr-xr-x"));
    err.reset();
    assertThat(run("-o", "/dev/null", "--", garbage.toString())).isEqualTo(126);
    assertThat(err()).contains("execve failed with ENOEXEC");
  }

  /**
   * A file that exists but whose execve fails with ENOENT: what is missing is the interpreter it
   * names, a script's #! line or an ELF program's dynamic loader (here /usr/bin/true with its
   * PT_INTERP rewritten, as a program built for another libc names its own). 127, as bash gives.
   */
  @Test
  void aMissingInterpreterIsNamed() throws Exception {
    assumeStrace();
    Path script = Files.writeString(dir.resolve("script"), "#!/nonexistent/interp -x\necho hi\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(run("--no-snapshots", "-o", "/dev/null", "--", script.toString())).isEqualTo(127);
    assertThat(err())
        .endsWith(
            "memtrace: "
                + script
                + ": cannot execute (execve failed with ENOENT: its #! interpreter"
                + " /nonexistent/interp does not exist)\n");

    byte[] elf = Files.readAllBytes(Path.of("/usr/bin/true"));
    String text = new String(elf, StandardCharsets.ISO_8859_1);
    String loader = "/lib64/ld-linux-x86-64.so.2";
    int at = text.indexOf(loader + "\0");
    assertThat(at).as("true's PT_INTERP").isPositive();
    byte[] other = "/nonexistent/ld.so\0".getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(other, 0, elf, at, other.length);
    Path program = Files.write(dir.resolve("other-libc"), elf);
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
    err.reset();
    assertThat(run("--no-snapshots", "-o", "/dev/null", "--", program.toString())).isEqualTo(127);
    assertThat(err())
        .endsWith(
            "memtrace: "
                + program
                + ": cannot execute (execve failed with ENOENT: the dynamic loader it was linked"
                + " for, /nonexistent/ld.so (its PT_INTERP), does not exist)\n");
  }

  @Test
  void memtracesOwnFailuresGive125() {
    assertThat(run("--format", "nonsense", "--", "true")).isEqualTo(125);
    assertThat(err()).startsWith("memtrace: Invalid value for option '--format'");
    err.reset();
    assertThat(run("run")).isEqualTo(125);
    assertThat(err()).startsWith("memtrace: nothing to trace");
    err.reset();
    assertThat(run("run", "-p", "1", "--", "true")).isEqualTo(125);
    err.reset();
    assertThat(run("--no-such-option", "--", "true")).isEqualTo(125);
  }

  @Test
  void aPidThatDoesNotExistGives125() {
    assumeStrace();
    assertThat(run("run", "-p", "999999999")).isEqualTo(125);
    assertThat(err()).isEqualTo("memtrace: no process with pid 999999999\n");
  }

  @Test
  void aPidThatIsAlreadyTracedCannotBeAttachedTo() throws Exception {
    assumeStrace();
    Process target = new ProcessBuilder("sleep", "30").start();
    Process other =
        new ProcessBuilder("strace", "-o", "/dev/null", "-p", Long.toString(target.pid()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      Path status = Path.of("/proc", Long.toString(target.pid()), "status");
      for (int i = 0;
          i < 200
              && Files.readAllLines(status).stream()
                  .noneMatch(l -> l.startsWith("TracerPid:") && !l.endsWith("\t0"));
          i++) {
        Thread.sleep(50);
      }
      assertThat(run("run", "-p", Long.toString(target.pid()))).isEqualTo(125);
      assertThat(err())
          .contains("strace could not attach to pid " + target.pid())
          .contains("is already traced by pid " + other.pid() + " (strace)");
    } finally {
      other.destroy();
      other.waitFor();
      target.destroyForcibly();
      target.waitFor();
    }
  }

  @Test
  void missingStraceSaysHowToInstallIt() throws Exception {
    MemtraceProcess.Result r =
        MemtraceProcess.run(dir, Map.of("PATH", dir.toString()), "--", "true");
    assertThat(r.status()).isEqualTo(125);
    assertThat(r.stderr())
        .isEqualTo(
            "memtrace: strace is not installed (on Debian or Ubuntu: apt-get install strace)\n");
  }

  @Test
  void ptraceRefusedIsExplained() throws Exception {
    // a stand-in for strace in a container that forbids ptrace: it fails the way strace does
    Path fake =
        Files.writeString(
            dir.resolve("strace"),
            "#!/bin/sh\necho 'strace: test_ptrace_get_syscall_info: PTRACE_TRACEME: Operation not permitted' >&2\n"
                + "exit 1\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    MemtraceProcess.Result r =
        MemtraceProcess.run(dir, Map.of("MEMTRACE_STRACE", fake.toString()), "--", "true");
    assertThat(r.status()).isEqualTo(125);
    assertThat(r.stderr())
        .startsWith(
            "strace: test_ptrace_get_syscall_info: PTRACE_TRACEME: Operation not permitted\n");
    assertThat(r.stderr().lines().reduce((a, b) -> b).orElseThrow())
        .startsWith(
            "memtrace: strace failed before true started (strace exit status 1, its own message is above): ptrace was refused: ");
  }

  @Test
  void aRefusedPtraceIsMemtracesFailureNotTheProgramsExit1() throws Exception {
    assumeStrace();
    // memtrace traced by an outer strace -f: its strace's child cannot PTRACE_TRACEME, dies with
    // 1 before execve, and the log holds only "+++ exited with 1 +++"
    Path timeline = dir.resolve("timeline.txt");
    Path stderr = dir.resolve("stderr.txt");
    ProcessBuilder pb =
        MemtraceProcess.builder(
            stderr, List.of("--no-snapshots", "-o", timeline.toString(), "--", "true"));
    pb.command().addAll(0, List.of("strace", "-f", "-o", "/dev/null"));
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(timeline))
        .contains("+++ exited with 1 +++")
        .doesNotContain("execve(");
    assertThat(Files.readString(stderr))
        .contains("PTRACE_TRACEME")
        .contains(
            "memtrace: strace failed before true started (its own message is above): ptrace was refused:"
                + " memtrace itself is traced by pid ");
    assertThat(p.exitValue()).isEqualTo(ExitCode.FAILED.code);
  }
}
