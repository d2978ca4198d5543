package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.memtrace.elf.ElfFile;
import dev.memtrace.elf.Segment;
import dev.memtrace.model.CatUnderRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze LOG} lays out what execve mapped from the ELF headers of the files the log names
 * (here a copy under {@code --root}) once the trace confirms them, and shows it in the picture
 * only: the text timeline is the trace's, whichever machine reads the log, but that the call that
 * placed them finds memory there (no check says the model knew none). When the files do not fit the
 * trace, or cannot be read, it says so once on standard error; {@code --no-elf} reads none.
 */
class AnalyzeElfTest {

  @TempDir Path root;
  @TempDir Path dir;
  Path log;
  long relroLength;
  long relroAt;

  static final long BASE = 0x555555554000L;

  @BeforeEach
  void files() throws Exception {
    ElfFile prog = CatUnderRoot.copy(root);
    Segment r = prog.relro();
    relroLength = ((r.vaddr() + r.memsz()) & ~0xfffL) - (r.vaddr() & ~0xfffL);
    relroAt = BASE + (r.vaddr() & ~0xfffL);
    log = write(relroLength);
  }

  Path write(long length) throws Exception {
    Path p = dir.resolve("trace" + length + ".log");
    Files.writeString(
        p,
        String.join(
            "\n",
            "10 execve(\"/bin/prog\", [\"prog\"], 0x7ffc /* 1 var */) = 0",
            "10 brk(NULL) = 0x555555600000",
            "10 mprotect(0x" + Long.toHexString(relroAt) + ", " + length + ", PROT_READ) = 0",
            "10 exit_group(0) = ?",
            "10 +++ exited with 0 +++",
            ""));
    return p;
  }

  @Test
  void thePictureShowsTheProgramTheTraceConfirmedAndTheTimelineStaysTheTraces() throws Exception {
    Cli html = Cli.run("analyze", "--format", "html", "--root", root.toString(), log.toString());
    Cli bare = Cli.run("analyze", "--format", "html", "--no-elf", log.toString());
    assertThat(html.status()).isZero();
    assertThat(html.out()).contains("/bin/prog");
    assertThat(bare.out()).doesNotContain("/bin/prog\"");
    // the loader's RELRO mprotect is not in this log: it stays unplaced, and that is said once
    assertThat(html.err().lines())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith(
                        "memtrace: the trace never showed where the kernel put the loader "));
    assertThat(bare.err()).isEmpty();

    // the text timeline is the trace's but for one check: without the files the mprotect finds
    // memory the model did not know; with them it found the program's data segment, which the
    // maps command shows there (made by the kernel at execve), so no check says otherwise
    Cli text = Cli.run("analyze", "--root", root.toString(), log.toString());
    String bareText = Cli.run("analyze", "--no-elf", log.toString()).out();
    assertThat(bareText).contains("check: mprotect of ").contains("the model knew no memory there");
    assertThat(text.out())
        .isEqualTo(bareText.replaceAll("(?m)^ *check: mprotect of .*\n", ""))
        .contains("mprotect");

    // JSON Lines: the same events, and the layout as an added field on the call that placed it
    Cli jsonl = Cli.run("analyze", "--format", "jsonl", "--root", root.toString(), log.toString());
    Cli bareJsonl = Cli.run("analyze", "--format", "jsonl", "--no-elf", log.toString());
    List<String> with = jsonl.out().lines().toList();
    List<String> without = bareJsonl.out().lines().toList();
    assertThat(with).hasSameSizeAs(without);
    for (int i = 0; i < with.size(); i++) {
      JsonNode w = read(with.get(i));
      JsonNode learnt = ((ObjectNode) w).remove("learnt");
      JsonNode noElf = read(without.get(i));
      if (i == 2) {
        assertThat(((ObjectNode) noElf).remove("checks")).isNotNull();
      }
      assertThat(w).isEqualTo(noElf);
      if (i == 2) {
        assertThat(learnt).isNotNull();
        assertThat(learnt.get(0).get("from").asText()).isEqualTo("ELF header");
        assertThat(learnt.get(0).get("after").get("path").asText()).isEqualTo("/bin/prog");
      } else {
        assertThat(learnt).as("line %d", i + 1).isNull();
      }
    }
  }

  /**
   * The part of the program's data segment its RELRO mprotect made read-only is counted as RELRO,
   * as the mprotect's explanation says, not as read-only data (its name and permissions alone).
   */
  @Test
  void theRelroPartTheMprotectMadeIsCountedAsRelro() throws Exception {
    Cli perfetto =
        Cli.run("analyze", "--format", "perfetto", "--root", root.toString(), log.toString());
    Cli bare = Cli.run("analyze", "--format", "perfetto", "--no-elf", log.toString());
    assertThat(perfetto.status()).isZero();
    JsonNode placed = lastCounter(perfetto.out());
    assertThat(placed).as("a mapped bytes counter").isNotNull();
    assertThat(placed.path("image: relro").asLong()).isEqualTo(relroLength);
    assertThat(placed.path("image: rodata").asLong()).isPositive();
    // without the files, the mprotect finds no memory: nothing is counted at all
    assertThat(lastCounter(bare.out())).isNull();
  }

  /** The byte counts by class of the last "mapped bytes" counter of a Perfetto trace, or null. */
  private static JsonNode lastCounter(String trace) throws Exception {
    JsonNode last = null;
    for (JsonNode e : read(trace).path("traceEvents")) {
      if ("C".equals(e.path("ph").asText()) && "mapped bytes".equals(e.path("name").asText())) {
        last = e.path("args");
      }
    }
    return last;
  }

  private static JsonNode read(String line) throws Exception {
    return new ObjectMapper().readTree(line);
  }

  @Test
  void filesThatDoNotFitTheTraceAreNotUsedAndThatIsSaidOnce() throws Exception {
    Path other = write(relroLength + 0x10000);
    Cli html = Cli.run("analyze", "--format", "html", "--root", root.toString(), other.toString());
    assertThat(html.status()).isZero();
    assertThat(html.out()).doesNotContain("/bin/prog\"");
    assertThat(html.err().lines())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith("memtrace: line 3 looks like ld.so's RELRO mprotect")
                    .contains("program /bin/prog")
                    .contains("may differ from the traced ones")
                    .endsWith("--root DIR reads a copy of the traced machine's files"));
  }

  @Test
  void aProgramThisMachineDoesNotHaveIsSaidOnceAndTheTraceAloneIsShown() {
    Path empty = dir.resolve("empty");
    Cli text = Cli.run("analyze", "--root", empty.toString(), log.toString());
    assertThat(text.status()).isZero();
    assertThat(text.out()).isEqualTo(Cli.run("analyze", "--no-elf", log.toString()).out());
    assertThat(text.err().lines())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith("memtrace: the ELF headers of the program /bin/prog are unknown")
                    .doesNotContain(" more "));
  }
}
