package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.Explanation.Basis;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * PHP's PCRE JIT stack: as a PHP process starts, its pcre extension calls pcre2_jit_stack_create(32
 * KiB, 192 KiB) (php_pcre_init_pcre2 from PHP_GINIT_FUNCTION(pcre), ext/pcre/php_pcre.c), and
 * PCRE2's sljit_allocate_stack maps the 192 KiB maximum with mmap itself; pcre2_jit_stack_free
 * unmaps it as the process ends. Its size is one glibc malloc maps for a request of about 192 KiB
 * too, and every php run was told a malloc chunk and then a free() that raised the mmap threshold.
 * Lines of {@code strace -f -tt -T -y php p1.php data.txt} (and {@code -k}) of PHP 8.2 with
 * libpcre2-8 10.42 (Debian 12), cut to libpcre2's loading, malloc's first brk and the stack's mmap
 * and munmap.
 */
class PcreJitStackTest {

  private static String log(String name) throws Exception {
    return Files.readString(
        Path.of(PcreJitStackTest.class.getResource("/logs-extra/" + name).toURI()));
  }

  @Test
  void phpsJitStackFitsPcre2AndItsUnmapIsNoFree() throws Exception {
    Run.Out out = Run.explain(log("php_pcre_jit_stack.log"));
    assertThat(out.at(11).why().get(0).rule()).isEqualTo("php-pcre-jit-stack");
    assertThat(out.why(11))
        .startsWith("fits PCRE2's JIT stack as PHP makes it")
        .contains("pcre2_jit_stack_create(32 KiB, 192 KiB)")
        .contains("sljit_allocate_stack")
        .contains("malloc(n) for n from 192489 to 196584 maps exactly 196608 bytes too")
        .doesNotContain("sysmalloc");
    // it read "free() gives the 196608-byte malloc chunk made at line 11 back to the kernel
    // (munmap_chunk ...). glibc's dynamic mmap threshold rises to the freed chunk's size 196608"
    assertThat(out.why(12))
        .isEqualTo("unmaps the PCRE2 JIT stack made at line 11 (inferred from the pattern)");
  }

  @Test
  void aStackFrameInPcre2MakesItCertain() throws Exception {
    Run.Out out = Run.explain(log("php_pcre_jit_stack_k.log"));
    assertThat(out.at(10).why().get(0).basis()).isEqualTo(Basis.STACK);
    assertThat(out.why(10))
        .startsWith("PCRE2's JIT stack, as PHP makes it")
        .contains("PCRE2 maps it itself, so it is no malloc chunk")
        .contains("seen in the stack: libpcre2-8.so.0.11.2:pcre2_jit_stack_create_8+0xb8")
        .doesNotContain("fits");
  }

  @Test
  void theSameMappingInAnotherProgramIsNotPhps() throws Exception {
    Run.Out out =
        Run.explain(log("php_pcre_jit_stack.log").replace("/usr/bin/php", "/usr/bin/pho"));
    assertThat(out.why(11)).doesNotContain("PHP").doesNotContain("PCRE2");
  }
}
