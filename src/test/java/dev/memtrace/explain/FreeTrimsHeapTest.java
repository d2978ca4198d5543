package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The break moving down under -k: jq 1.6 frees an array, and the stack shows libc's __libc_free
 * under sbrk (systrim, static, shows as __default_morecore). The sentence still offered malloc_trim
 * and the program's own sbrk, which the stack rules out. The brk lines, with their stacks, of
 * strace -f -k jq -c length nums.json (a 200000-number array).
 */
class FreeTrimsHeapTest {

  @Test
  void aTrimUnderFreeIsToldAsFreesAlone() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/jq_free_trims_heap_k.log").toURI()));
    assertThat(out.why(146))
        .startsWith(
            "the break moves down by 131072 bytes: a free left at least the trim threshold free at"
                + " the top of [heap], and malloc's systrim gives it back (keeping top_pad 131072"
                + " spare) (seen in the stack: libc.so.6:__libc_free+0x6f")
        .doesNotContain("malloc_trim")
        .doesNotContain("sbrk with a negative increment");
  }
}
