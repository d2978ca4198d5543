package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.correlate.ModelStage;
import dev.memtrace.elf.ElfFile;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.elf.Segment;
import dev.memtrace.model.CatUnderRoot;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the kernel mapped at execve (the executable, ld.so) is cited as the kernel's, at that
 * execve: no call on the execve's line mapped it, so "the mapping made at line 1" was false.
 */
class KernelMappedOriginTest {

  @TempDir Path root;

  static final long BASE = 0x555555554000L;

  /**
   * A program that makes a page of its own text writable and then unmaps it (seen on a C program
   * calling mprotect and munmap on the page of main): both were told as "the mapping made at line
   * 1", line 1 being the execve.
   */
  @Test
  void aCallOnTheExecutableCitesTheExecveAsTheKernels() throws Exception {
    ElfFile prog = CatUnderRoot.copy(root);
    Segment text = prog.loads().stream().filter(s -> (s.prot() & 4) != 0).findFirst().orElseThrow();
    Segment relro = prog.relro();
    long relroAt = BASE + (relro.vaddr() & ~0xfffL);
    long relroLen = ((relro.vaddr() + relro.memsz()) & ~0xfffL) - (relro.vaddr() & ~0xfffL);
    String page = "0x" + Long.toHexString(BASE + (text.vaddr() & ~0xfffL));
    String log =
        String.join(
            "\n",
            "10 execve(\"/bin/prog\", [\"prog\"], 0x7ffc /* 1 var */) = 0",
            "10 brk(NULL) = 0x555555600000",
            "10 mprotect(0x" + Long.toHexString(relroAt) + ", " + relroLen + ", PROT_READ) = 0",
            "10 mprotect(" + page + ", 4096, PROT_READ|PROT_WRITE|PROT_EXEC) = 0",
            "10 munmap(" + page + ", 4096) = 0",
            "");
    ModelStage model = new ModelStage(new MemoryModel(ElfFiles.under(root), null), List.of());
    Explainer ex = new Explainer(Explainer.DEFAULT_WINDOW, model.model());
    List<AnnotatedEvent> out = new ArrayList<>();
    for (TraceEvent e : TraceReader.parseAll(log)) {
      out.addAll(ex.accept(model.annotate(e)));
    }
    out.addAll(ex.finish());
    for (int line : new int[] {4, 5}) {
      String why =
          String.join(
              " | ",
              out.stream()
                  .filter(e -> e.event().line() == line)
                  .findFirst()
                  .orElseThrow()
                  .why()
                  .stream()
                  .map(Explanation::text)
                  .toList());
      assertThat(why)
          .contains("/bin/prog")
          .contains("the mapping made by the kernel at the execve on line 1")
          .doesNotContain("made at line 1");
    }
  }
}
