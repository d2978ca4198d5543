package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * MADV_DONTNEED on a mapping whose size fits glibc malloc's mmap path: glibc's malloc never advises
 * a chunk it mapped (free() unmaps it whole, munmap_chunk; its own MADV_DONTNEED is shrink_heap's
 * and mtrim's), so the call is the program's: on memory it malloc'd, or on a mapping of its own
 * that was taken for a chunk from its size alone. GCC 12's cc1 (Debian 12) maps a garbage-collected
 * page of 262144 bytes with mmap itself (alloc_anon in ggc-page.cc) and, when a collection leaves
 * it free, drops its pages with MADV_DONTNEED (release_pages). Lines of strace -f -tt -T (and -k)
 * of gcc -O2 -c on a 400-function file with --param ggc-min-expand=0 --param ggc-min-heapsize=0,
 * and of a small C program that mallocs 300000 bytes and madvises 262144 of them, cut to the calls
 * that matter.
 */
class AdvisedChunkTest {

  private static final String CC1 =
      """
      3694  15:47:39.342133 execve("/usr/lib/gcc/x86_64-linux-gnu/12/cc1", ["/usr/lib/gcc/x86_64-linux-gnu/12"..., "-quiet", "-imultiarch", "x86_64-linux-gnu", "big.c", "-quiet", "-dumpbase", "big.c", "-dumpbase-ext", ".c", "-mtune=generic", "-march=x86-64", "-O2", "--param=ggc-min-expand=0", "--param=ggc-min-heapsize=0", "-fasynchronous-unwind-tables", "-o", "/tmp/ccVE15ov.s"], 0x3a1b3ed0 /* 39 vars */ <unfinished ...>
      3694  15:47:39.342445 <... execve resumed>) = 0 <0.000298>
      3694  15:47:39.356628 brk(NULL)         = 0x23d5f000 <0.000067>
      3694  15:47:39.356763 brk(0x23d80000)   = 0x23d80000 <0.000076>
      3694  15:47:40.163691 mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe513480000 <0.000088>
      3694  15:47:42.255160 madvise(0x7fe513480000, 262144, MADV_DONTNEED) = 0 <0.000130>
      """;

  private static final String CC1_STACKS =
      """
      17419 15:56:04.657374 execve("/usr/lib/gcc/x86_64-linux-gnu/12/cc1", ["/usr/lib/gcc/x86_64-linux-gnu/12"..., "-quiet", "-imultiarch", "x86_64-linux-gnu", "big.c", "-quiet", "-dumpbase", "big.c", "-dumpbase-ext", ".c", "-mtune=generic", "-march=x86-64", "-O2", "--param=ggc-min-expand=0", "--param=ggc-min-heapsize=0", "-fasynchronous-unwind-tables", "-o", "/tmp/ccUL2wzb.s"], 0x1c66ded0 /* 39 vars */ <unfinished ...>
      17419 15:56:04.663081 <... execve resumed>) = 0 <0.005624>
      17419 15:56:04.770375 brk(NULL)         = 0x16828000 <0.000003>
      17419 15:56:04.774332 brk(0x16849000)   = 0x16849000 <0.000008>
      17419 15:56:10.251830 mmap(NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fac50a3b000 <0.000020>
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__mmap+0x13) [0x1019b3]
       > /usr/lib/gcc/x86_64-linux-gnu/12/cc1(ggc_internal_alloc(unsigned long, void (*)(void*), unsigned long, unsigned long)+0x58b) [0x36eb4b]
       > /usr/lib/gcc/x86_64-linux-gnu/12/cc1(ggc_realloc(void*, unsigned long)+0x49) [0x512f89]
      17419 15:56:22.512413 madvise(0x7fac50a3b000, 262144, MADV_DONTNEED) = 0 <0.000123>
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__madvise+0x7) [0x101b07]
       > /usr/lib/gcc/x86_64-linux-gnu/12/cc1(init_adjust_machine_modes()+0x5ae) [0x36e23e]
       > /usr/lib/gcc/x86_64-linux-gnu/12/cc1(ggc_collect(ggc_collect)+0xc3) [0x36f8f3]
      """;

  private static final String MALLOCED =
      """
      8703  16:01:23.005644 execve("./madv", ["./madv"], 0x7ffe5c5398b0 /* 35 vars */) = 0 <0.000158>
      8703  16:01:23.021444 brk(NULL)         = 0x55a06d397000 <0.000003>
      8703  16:01:23.022880 brk(0x55a06d3b8000) = 0x55a06d3b8000 <0.000005>
      8703  16:01:23.023874 mmap(NULL, 303104, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f9416776000 <0.000004>
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__mmap+0x13) [0x1019b3]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(timer_settime+0x1a38) [0x95f28]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__default_morecore+0xccc) [0x96cfc]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__default_morecore+0x208e) [0x980be]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(malloc+0x19a) [0x98aca]
       > /tmp/h-tools/madv(main+0x12) [0x117b]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__libc_init_first+0x8a) [0x2724a]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__libc_start_main+0x85) [0x27305]
       > /tmp/h-tools/madv(_start+0x21) [0x10a1]
      8703  16:01:23.024937 madvise(0x7f9416777000, 262144, MADV_DONTNEED) = 0 <0.000012>
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__madvise+0x7) [0x101b07]
       > /tmp/h-tools/madv(main+0x56) [0x11bf]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__libc_init_first+0x8a) [0x2724a]
       > /usr/lib/x86_64-linux-gnu/libc.so.6(__libc_start_main+0x85) [0x27305]
       > /tmp/h-tools/madv(_start+0x21) [0x10a1]
      8703  16:01:23.025231 munmap(0x7f9416776000, 303104) = 0 <0.000007>
      """;

  @Test
  void aMappingTakenForAChunkBySizeIsNotNamedOneWhenItsPagesAreDropped() {
    Run.Out out = Run.explain(CC1);
    assertThat(out.at(5).why().get(0).rule()).isEqualTo("malloc-mmap");
    assertThat(out.why(5)).startsWith("fits glibc malloc's mmap path");
    assertThat(out.at(6).why().get(0).rule()).isEqualTo("madvise");
    assertThat(out.why(6))
        .startsWith("MADV_DONTNEED on 262144 bytes of the 262144-byte mapping made at line 5:")
        .doesNotContain("malloc chunk made at line")
        .contains("glibc's malloc never calls MADV_DONTNEED on a chunk it mapped")
        .contains("munmap_chunk")
        .contains("was taken for one from its size alone, so it may be the program's")
        .contains("the trace does not tell which");
  }

  @Test
  void withStacksCc1sOwnPageIsNoChunkAndItsMadviseSaysNothingOfMalloc() {
    Run.Out out = Run.explain(CC1_STACKS);
    assertThat(out.at(5).why().get(0).rule()).isEqualTo("anon-direct");
    assertThat(out.why(5)).contains("ggc_internal_alloc");
    assertThat(out.why(9))
        .startsWith("MADV_DONTNEED on 262144 bytes of the 262144-byte anonymous mapping made at")
        .doesNotContain("malloc");
  }

  @Test
  void aChunkTheStackShowsMallocMakingIsTheProgramsToAdvise() {
    Run.Out out = Run.explain(MALLOCED);
    assertThat(out.at(4).why().get(0).rule()).isEqualTo("malloc-mmap");
    assertThat(out.at(4).why().get(0).basis().name()).isEqualTo("STACK");
    assertThat(out.why(14))
        .startsWith("MADV_DONTNEED on 262144 bytes of the 303104-byte malloc chunk made at line 4:")
        .contains("glibc's malloc never calls MADV_DONTNEED on a chunk it mapped")
        .contains("the program or a library drops pages of memory it got from malloc at line 4")
        .doesNotContain("taken for one from its size alone");
    // the chunk is still malloc's: its munmap is free()'s
    assertThat(out.at(20).why().get(0).rule()).isEqualTo("malloc-free-mmapped");
  }
}
