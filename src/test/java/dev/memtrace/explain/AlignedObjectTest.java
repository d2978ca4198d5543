package dev.memtrace.explain;

import static dev.memtrace.explain.Run.explain;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.correlate.ModelStage;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.model.Region;
import dev.memtrace.model.Who;
import dev.memtrace.timeline.ExplainedClass;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A shared object whose PT_LOAD alignment is larger than a page (p_align 0x200000, as older
 * toolchains linked liblqr-1.so.0 and libXdmcp.so.6, which ImageMagick's convert loads):
 * _dl_map_segment (elf/dl-map-segments.h) reserves the span plus the alignment PROT_NONE, maps the
 * span at the first aligned address inside, and unmaps the head and tail. The object's first
 * segment is its code.
 */
class AlignedObjectTest {

  private static final String LOG =
      """
      openat(AT_FDCWD, "/lib/x86_64-linux-gnu/liblqr-1.so.0", O_RDONLY|O_CLOEXEC) = 3
      mmap(NULL, 4247896, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f978d8e9000
      mmap(0x7f978da00000, 2150744, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0) = 0x7f978da00000
      munmap(0x7f978d8e9000, 1142784) = 0
      munmap(0x7f978dc0e000, 950616) = 0
      mprotect(0x7f978da0d000, 2093056, PROT_NONE) = 0
      mmap(0x7f978dc0c000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0xc000) = 0x7f978dc0c000
      close(3) = 0
      """;

  @Test
  void theAlignmentReservationItsSpanAndItsTrimmedEndsAreLdSos() {
    Run.Out out = explain(LOG);
    assertThat(rules(out, 2)).containsExactly("ldso-align-reserve");
    assertThat(out.why(2))
        .contains("ld.so reserves 4247896 bytes PROT_NONE")
        .contains("at a 2097152-byte boundary (_dl_map_segment")
        .contains("(line 3)")
        .doesNotContain("runtimes")
        .doesNotContain("JVM");
    assertThat(rules(out, 3)).containsExactly("ldso-span-aligned");
    assertThat(out.why(3))
        .contains("whole address span of /lib/x86_64-linux-gnu/liblqr-1.so.0 (2150744")
        .contains("first 2097152-byte aligned address in the PROT_NONE reservation made at line 2")
        .doesNotContain("the program maps");
    assertThat(out.why(4))
        .contains("unmaps the unused head of the PROT_NONE reservation made at line 2");
    assertThat(out.why(5)).contains("unmaps the unused tail");
    assertThat(rules(out, 6)).containsExactly("ldso-hole");
    assertThat(rules(out, 7)).containsExactly("ldso-segment");
    assertThat(out.why(7)).contains("data segment").contains("base + 0x20c000");
  }

  @Test
  void anObjectWhoseFirstSegmentIsItsCodeHasItClassedAsTextAndItsHoleStaysTheSpans() {
    ModelStage model = new ModelStage(new MemoryModel(), List.of());
    Explainer ex = new Explainer(Explainer.DEFAULT_WINDOW, model.model());
    for (TraceEvent e : TraceReader.parseAll(LOG)) {
      ex.accept(model.annotate(e));
    }
    Who who = model.model().whoOf(null);
    Map<String, RegionClass> byPerms = new HashMap<>();
    for (Region r : model.model().space(null).regions()) {
      ExplainedClass c = ex.classOf(who, r);
      byPerms.put(r.perms(), c == null ? null : c.cls());
    }
    // the first segment, below the hole, holds the code: ld.so mapped the span PROT_EXEC
    assertThat(byPerms)
        .containsEntry("r-xp", RegionClass.IMAGE_TEXT)
        .containsEntry("---p", RegionClass.IMAGE_RESERVED)
        .containsEntry("rw-p", RegionClass.IMAGE_DATA);
  }

  /** The same shapes at an address the alignment does not explain are not ld.so's. */
  @Test
  void aFileMappedIntoAReservationAtAnUnalignedAddressIsNotTakenForLdSo() {
    Run.Out out =
        explain(
            """
            openat(AT_FDCWD, "/data/blob", O_RDONLY) = 3
            mmap(NULL, 4247896, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f978d8e9000
            mmap(0x7f978d9e9000, 2150744, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0) = 0x7f978d9e9000
            munmap(0x7f978d8e9000, 1048576) = 0
            """);
    assertThat(rules(out, 2)).doesNotContain("ldso-align-reserve");
    assertThat(rules(out, 3)).doesNotContain("ldso-span-aligned");
    assertThat(rules(out, 4)).doesNotContain("ldso-align-trim");
  }

  private static List<String> rules(Run.Out out, int line) {
    return out.at(line).why().stream().map(Explanation::rule).toList();
  }
}
