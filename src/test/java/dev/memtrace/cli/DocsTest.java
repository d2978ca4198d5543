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
    assertThat(bash).contains("complete -F _complete_memtrace", "analyze", "--format", "--memory-only", "--since");
    assertThat(bash).contains("html", "perfetto", "jsonl");
    // bash accepts it
    Process p = new ProcessBuilder("bash", "-n", dir.resolve("memtrace_completion").toString()).start();
    assertThat(p.waitFor()).isZero();
  }

  @Test
  void writesAManPageWithEverySubcommandAndTheExitStatuses() throws Exception {
    Docs.write(dir);
    String man = Files.readString(dir.resolve("memtrace.1"));
    assertThat(man).startsWith(".TH MEMTRACE 1");
    assertThat(man).contains(".SH \"MEMTRACE ANALYZE\"", "\\fB\\-\\-format\\fR \\fIFORMAT\\fR", ".SH \"EXIT STATUS\"", ".B 125");
    // no text line starts with a dot that troff would take for a request
    assertThat(man.lines().filter(l -> l.startsWith(".") && !l.matches("^\\.(TH|SH|TP|B|I|BR|br)( .*)?$"))).isEmpty();
  }
}
