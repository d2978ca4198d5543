package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strace -f -b execve -o LOG sh -c '/bin/true'} (strace 6.1): strace lets go of the vfork
 * child as it enters execve. droptcb writes {@code <detached ...>} when the child's line is still
 * open; when the parent's line came between, the execve's line ends {@code <unfinished ...>} and
 * never resumes. Both read as a plain "unfinished" call; the detached one now says strace let go of
 * the task there, the unfinished one that it fits -b execve or a cut log, in the timeline, the
 * jsonl ({@code "detached":true} beside {@code "unfinished":true}) and the summary.
 */
class DetachOnExecveTest {

  @TempDir Path dir;

  private String log(String text) throws IOException {
    Path p = dir.resolve("t.log");
    Files.writeString(p, text);
    return p.toString();
  }

  private static final String DETACHED =
      "25751 execve(\"/usr/bin/sh\", [\"sh\", \"-c\", \"/bin/true\"], 0x7ffc /* 39 vars */) = 0\n"
          + "25751 brk(NULL)                         = 0x55d3e3725000\n"
          + "25751 vfork( <unfinished ...>\n"
          + "25752 execve(\"/bin/true\", [\"/bin/true\"], 0x55d3e3725880 /* 39 vars */"
          + " <detached ...>\n"
          + "25751 <... vfork resumed>)              = 25752\n"
          + "25751 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 25752\n"
          + "25751 exit_group(0)                     = ?\n"
          + "25751 +++ exited with 0 +++\n";

  @Test
  void aDetachedExecveEndsThatTasksTrace() throws IOException {
    String f = log(DETACHED);
    Cli text = Cli.run("analyze", "--with-summary", f);
    assertThat(text.status()).isZero();
    String said =
        "strace detached from pid 25752 during this execve (the <detached ...> ending; strace -b"
            + " execve lets go of a task as it enters execve), so the trace of pid 25752 ends here:"
            + " whether the execve succeeded, and everything pid 25752 mapped after this line, are"
            + " not in the log";
    assertThat(text.out())
        .contains("<detached: strace let go of the task>")
        .doesNotContain("<unfinished>")
        .contains("check: " + said)
        .contains("trace ends at line 4: " + said);
    Cli jsonl = Cli.run("analyze", "--format", "jsonl", "--with-summary", f);
    assertThat(jsonl.out())
        .contains("\"ret\":null,\"errno\":null,\"unfinished\":true,\"detached\":true")
        .contains("\"trace_ends\":[{\"line\":4,\"pid\":25752,\"detached\":true,\"text\":\"strace");
    Cli perfetto = Cli.run("analyze", "--format", "perfetto", f);
    assertThat(perfetto.out()).contains("\"ret\":\"(detached: strace let go of the task)\"");
  }

  @Test
  void anExecveLeftUnfinishedOnlyFitsIt() throws IOException {
    String f =
        log(
            DETACHED.replace(
                "<detached ...>\n25751 <... vfork resumed>",
                "<unfinished ...>\n25751 <... vfork resumed>"));
    Cli text = Cli.run("analyze", "--with-summary", f);
    assertThat(text.out())
        .contains("<unfinished>")
        .contains(
            "trace ends at line 4: this execve never returned in the log: it fits strace -b"
                + " execve")
        .contains("or a log cut short")
        .doesNotContain("strace detached from");
    Cli jsonl = Cli.run("analyze", "--format", "jsonl", f);
    assertThat(jsonl.out()).contains("\"unfinished\":true").doesNotContain("\"detached\"");
  }

  @Test
  void aCompleteLogHasNoTraceEnd() throws IOException {
    String f =
        log(
            "execve(\"/bin/true\", [\"/bin/true\"], 0x7ffc /* 39 vars */) = 0\n"
                + "brk(NULL)                               = 0x55b0be206000\n");
    assertThat(Cli.run("analyze", "--with-summary", f).out()).doesNotContain("trace ends");
    assertThat(Cli.run("analyze", "--format", "jsonl", "--summary", f).out())
        .doesNotContain("trace_ends");
  }
}
