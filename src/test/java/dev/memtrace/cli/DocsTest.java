package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocsTest {

  @TempDir Path dir;

  @Test
  void writesACompletionScriptThatKnowsTheSubcommandsOptionsAndFormats() throws Exception {
    Docs.write(dir);
    String bash = Files.readString(dir.resolve("memtrace_completion"));
    assertThat(bash)
        .contains(
            "complete -F _complete_memtrace", "analyze", "--format", "--memory-only", "--since");
    assertThat(bash).contains("html", "perfetto", "jsonl");
    // bash runs it: completing "memtrace analyze --format " offers the formats
    String script =
        "source '"
            + dir.resolve("memtrace_completion")
            + "' 2>/dev/null; "
            + "COMP_WORDS=(memtrace analyze --format ''); COMP_CWORD=3; COMP_LINE='memtrace analyze --format '; "
            + "_complete_memtrace memtrace '' --format 2>/dev/null; echo \"${COMPREPLY[*]}\"";
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    String offered = new String(p.getInputStream().readAllBytes()).trim();
    assertThat(p.waitFor()).isZero();
    assertThat(offered).isEqualTo("text jsonl html perfetto");
  }

  @Test
  void writesAManPageWithEverySubcommandAndTheExitStatuses() throws Exception {
    Docs.write(dir);
    String man = Files.readString(dir.resolve("memtrace.1"));
    assertThat(man).startsWith(".TH MEMTRACE 1");
    assertThat(man)
        .contains(
            ".SH \"MEMTRACE ANALYZE\"",
            "\\fB\\-\\-format\\fR \\fIFORMAT\\fR",
            ".SH \"EXIT STATUS\"",
            ".B 125");
    // no text line starts with a dot that troff would take for a request
    assertThat(
            man.lines()
                .filter(l -> l.startsWith(".") && !l.matches("^\\.(TH|SH|TP|B|I|BR|br)( .*)?$")))
        .isEmpty();
    // groff, where installed, formats it without a warning
    if (Files.isExecutable(Path.of("/usr/bin/groff"))) {
      Process p =
          new ProcessBuilder(
                  "groff", "-ww", "-z", "-man", "-Tutf8", dir.resolve("memtrace.1").toString())
              .redirectErrorStream(true)
              .start();
      String warnings = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).isZero();
      assertThat(warnings).isEmpty();
    }
  }
}
