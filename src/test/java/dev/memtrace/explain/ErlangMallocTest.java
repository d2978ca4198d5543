package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The Erlang runtime runs glibc malloc with top_pad 0: erts_alloc_init calls
 * sys_alloc_opt(SYS_ALLOC_OPT_TOP_PAD, ERTS_DEFAULT_TOP_PAD), mallopt(M_TOP_PAD, 0), which also
 * turns the dynamic mmap threshold off (do_set_top_pad sets mp_.no_dyn_threshold). The lines are
 * from {@code strace -f -tt -T erl -noshell -eval ...} (OTP 25, erts-13.1.5, Debian 12), and from
 * the same run under {@code strace -f -k -e trace=brk}, whose stacks show malloc making the small
 * brk growths.
 */
class ErlangMallocTest {

  private static final String BEAM =
      """
      13274 00:01:55.447234 execve("/usr/lib/erlang/erts-13.1.5/bin/beam.smp", ["/usr/lib/erlang/erts-13.1.5/bin/"..., "--", "-root", "/usr/lib/erlang"], 0x7ffe92eae7a0 /* 43 vars */) = 0 <0.000300>
      13274 00:01:55.447500 brk(NULL)         = 0x5620ffa03000 <0.000010>
      13274 00:01:55.460000 brk(NULL)         = 0x5620ffa03000 <0.000010>
      13274 00:01:55.460100 brk(0x5620ffa24000) = 0x5620ffa24000 <0.000010>
      13274 00:01:55.483151 brk(0x5620ffa25000) = 0x5620ffa25000 <0.000015>
      13274 00:01:55.483279 brk(0x5620ffa39000) = 0x5620ffa39000 <0.000045>
      13274 00:01:55.548885 mmap(NULL, 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa4bfeff000 <0.000114>
      13274 00:01:55.549047 munmap(0x7fa4bfeff000, 1048576) = 0 <0.000063>
      13274 00:01:55.549193 mmap(NULL, 528384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa4c252f000 <0.000598>
      13274 00:01:55.561000 brk(0x5620ffa19000) = 0x5620ffa19000 <0.000040>
      13274 00:01:55.562000 exit_group(0)     = ?
      """;

  @Test
  void aSmallBrkGrowthInTheBeamFitsMallocWithTopPadZero() {
    Run.Out out = Run.explain(BEAM);
    assertThat(out.why(5))
        .contains("fits glibc malloc with top_pad 0")
        .contains("mallopt(M_TOP_PAD, 0)")
        .doesNotContain("the program moved it itself");
    assertThat(out.why(10))
        .contains("lowered in this process: line 5")
        .doesNotContain("top_pad 131072");
  }

  @Test
  void withTopPadLoweredFreesNoLongerRaiseTheThreshold() {
    Run.Out out = Run.explain(BEAM);
    assertThat(out.why(8))
        .contains("mp_.no_dyn_threshold")
        .contains("the threshold stays 131072")
        .doesNotContain("rises");
    assertThat(out.why(9)).contains("the mmap threshold (131072)");
  }

  private static final String BEAM_STACKS =
      """
      22496 brk(NULL)                         = 0x558d4e6f9000
      22496 brk(NULL)                         = 0x558d4e6f9000
      22496 brk(0x558d4e71a000)               = 0x558d4e71a000
      22496 brk(0x558d4e71b000)               = 0x558d4e71b000
       > /usr/lib/x86_64-linux-gnu/libc.so.6(brk+0x7) [0xfdc47]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(sbrk+0x95) [0xfdd15]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__default_morecore+0x12) [0x96042]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(malloc+0x19a) [0x98aca]
       > /usr/lib/erlang/erts-13.1.5/bin/beam.smp(erts_sys_alloc+0xc) [0x26508c]
       > /usr/lib/erlang/erts-13.1.5/bin/beam.smp(erts_alloc_init+0xe06) [0x110af6]
       > /usr/lib/erlang/erts-13.1.5/bin/beam.smp(erl_start+0x542) [0x12a7e2]
       > /usr/lib/erlang/erts-13.1.5/bin/beam.smp(main+0x9) [0x67c89]
      """;

  @Test
  void whenTheStackShowsMallocItIsMallocWithTopPadLowered() {
    Run.Out out = Run.explain(BEAM_STACKS);
    assertThat(out.why(4))
        .contains("malloc moves the break up by 4096 bytes")
        .contains("is on the stack")
        .contains(
            "top_pad is lowered (mallopt(M_TOP_PAD), MALLOC_TOP_PAD_ or GLIBC_TUNABLES"
                + " glibc.malloc.top_pad, which the trace does not show)")
        .doesNotContain("moved it itself");
  }

  private static final String OWN_SBRK =
      """
      22496 brk(NULL)                         = 0x558d4e6f9000
      22496 brk(NULL)                         = 0x558d4e6f9000
      22496 brk(0x558d4e71a000)               = 0x558d4e71a000
      22496 brk(0x558d4e724000)               = 0x558d4e724000
       > /usr/lib/x86_64-linux-gnu/libc.so.6(brk+0x7) [0xfdc47]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(sbrk+0x95) [0xfdd15]
       > /home/user/corpus/bin/sbrk(main+0x1d) [0x1159]
      """;

  @Test
  void aProgramsOwnSbrkOnTheStackIsNotMalloc() {
    Run.Out out = Run.explain(OWN_SBRK);
    assertThat(out.why(4))
        .contains("the program moved it itself with brk/sbrk, or lowered malloc's top_pad")
        .doesNotContain("malloc moves the break");
  }

  /**
   * A scheduler's 4120576-byte mapping and its munmap ({@code strace -f -tt -T -y erl -noshell
   * -eval 'L=lists:seq(1,2000000), ...'}, trimmed): under -k the same run shows erts_mmap making
   * such mappings for the growing process heap, not malloc, yet the munmap read "free() gives the
   * 4120576-byte malloc chunk made at line 7 back to the kernel". In beam.smp, without a stack
   * through the allocator, both fit malloc and erts' own carriers.
   */
  @Test
  void aMallocShapedMappingInTheBeamMayBeAnErtsCarrier() throws Exception {
    Run.Out out =
        Run.explain(Path.of(getClass().getResource("/logs-extra/beam_mseg_carrier.log").toURI()));
    assertThat(out.why(7))
        .contains("fits glibc malloc's mmap path")
        .contains("But the Erlang runtime (beam.smp) maps memory of this shape itself: erts_mmap")
        .contains("which of the two asked for this one the trace does not tell");
    assertThat(out.why(9))
        .startsWith("fits free() giving the 4120576-byte mapping made at line 7")
        .contains("or the Erlang runtime's erts_munmap unmapping one of its carriers")
        .doesNotContain("free() gives");
  }

  /**
   * beam.smp's first large reservation (same run, trimmed): 1 GiB PROT_NONE|MAP_NORESERVE, then
   * read-write MAP_FIXED parts of it, is erts' literal area (ERTS_LITERAL_VIRTUAL_AREA_SIZE), not
   * "runtimes (a JVM's heap, V8's cage and code range)".
   */
  @Test
  void theBeamsGibReservationFitsItsLiteralArea() throws Exception {
    Run.Out out =
        Run.explain(Path.of(getClass().getResource("/logs-extra/beam_literal_area.log").toURI()));
    assertThat(out.at(3).why().get(0).rule()).isEqualTo("erts-literal-area");
    assertThat(out.why(3))
        .contains("It fits the Erlang runtime's literal area")
        .doesNotContain("a JVM's heap");
    assertThat(out.why(4))
        .contains(
            "at offset 0x0 of the 1073741824-byte reservation (erts literal area) made at"
                + " line 3");
  }
}
