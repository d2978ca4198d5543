package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * procps' ps (procps-ng 4.0.2, Debian 12; strace -f -tt -T -y ps aux, trimmed): two 135168-byte
 * mappings for malloc(131072) buffers its /proc reads go through, then a 139264-byte mapping whose
 * last page an mprotect makes PROT_NONE, its output buffer (init_output, src/ps/output.c).
 */
class GuardedBufferTest {

  static String log() throws Exception {
    return Files.readString(
        Path.of(GuardedBufferTest.class.getResource("/logs-extra/ps_output_buffer.log").toURI()));
  }

  @Test
  void aMallocSizedMappingWithAGuardPageMadeByMprotectIsLikelyTheProgramsOwn() throws Exception {
    Run.Out out = Run.explain(log());
    // it read "fits a buffer for ps's 131072-byte read at line 10: aligned_alloc(4096, 131072)"
    assertThat(out.why(8))
        .startsWith("a direct anonymous mmap of 139264 bytes: its size fits glibc malloc's mmap")
        .contains("changes the protection of its last 4096 bytes to PROT_NONE")
        .contains("keeping a guard page at its end")
        .contains("(or it changed the protection of memory malloc gave it)")
        .doesNotContain("aligned_alloc");
    assertThat(out.why(9))
        .contains("of the 139264-byte anonymous mapping made at line 8")
        .doesNotContain("malloc chunk");
    assertThat(out.why(10)).doesNotContain("likely through");
  }

  @Test
  void aReadIsNotTiedToTheLatestMappingWhenAnEarlierOneFitsItsLengthToo() throws Exception {
    // without the mprotect: the 131072-byte read fits malloc(131072)'s 135168-byte mappings of
    // lines 6 and 7 as well as aligned_alloc(4096, 131072)'s 139264 bytes of line 8
    String log =
        log().lines().filter(l -> !l.contains("mprotect(")).collect(Collectors.joining("\n"));
    Run.Out out = Run.explain(log + "\n");
    assertThat(out.why(9)).doesNotContain("likely through");
    assertThat(out.why(8)).doesNotContain("fits a buffer for");
  }
}
