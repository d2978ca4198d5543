package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runtimes whose allocators ask mmap for an address (lines of strace -f -tt -T of LuaJIT 2.1 and
 * Guile 3.0 on Debian 12): glibc malloc maps its chunks at NULL, so such a mapping is the
 * runtime's, and a mapping it moves with mremap is named by the call that moved it.
 */
class HintedMappingsTest {

  @Test
  void luajitsHintedMappingsAreItsOwnNotMallocs() {
    // lj_alloc.c's mmap_probe asks for each mapping at hint_addr = the end of its last one
    Run.Out out =
        Run.explain(
            """
        16781 04:47:46.344015 execve("/usr/bin/luajit", ["luajit", "bigjit.lua"], 0x7ffc5b1121e0 /* 39 vars */) = 0 <0.000962>
        16781 04:47:46.345730 brk(NULL)         = 0x55cf8d577000 <0.000031>
        16781 04:47:46.351346 brk(NULL)         = 0x55cf8d577000 <0.000012>
        16781 04:47:46.351383 brk(0x55cf8d598000) = 0x55cf8d598000 <0.000015>
        16781 04:47:46.350790 mmap(NULL, 131072, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f4a6e568000 <0.000015>
        16781 04:47:46.353033 mmap(0x7f4a6e588000, 131072, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f4a6e548000 <0.000035>
        16781 04:47:46.356950 mmap(0x7f4a6e4e8000, 131072, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f4a6e4a8000 <0.000019>
        16781 04:47:46.357408 mmap(0x7f4a6e4c8000, 135168, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f4a6e487000 <0.003040>
        16781 04:47:46.367113 mremap(0x7f4a6e487000, 135168, 266240, MREMAP_MAYMOVE) = 0x7f4a6e386000 <0.000149>
        16781 04:47:46.375280 mremap(0x7f4a6e386000, 266240, 528384, MREMAP_MAYMOVE) = 0x7f4a6e1a5000 <0.000083>
        """);
    assertThat(out.why(6))
        .startsWith(
            "a direct anonymous mmap of 131072 bytes (PROT_READ|PROT_WRITE) asked for at"
                + " 0x7f4a6e588000: glibc malloc never passes an address for its chunks")
        .contains("so the kernel placed it at 0x7f4a6e548000 instead")
        .contains("The hint is where the 131072-byte anonymous mapping made at line 5 ends")
        .contains("LuaJIT's own allocator, whose mmap_probe (lj_alloc.c)")
        .doesNotContain("mallopt");
    // no mapping ends at its hint in this excerpt: the hint alone is told
    assertThat(out.why(7))
        .contains("asked for at 0x7f4a6e4e8000: glibc malloc never passes")
        .doesNotContain("The hint is where");
    // the size of a malloc chunk, but asked for at an address: no longer left unexplained
    assertThat(out.why(8))
        .startsWith("a direct anonymous mmap of 135168 bytes (PROT_READ|PROT_WRITE) asked for at")
        .contains("The hint is where the 131072-byte anonymous mapping made at line 7 ends");
    assertThat(out.why(9))
        .startsWith("grows the 135168-byte anonymous mapping made at line 8 from");
    // moved by line 9: 266240 bytes at 0x7f4a6e386000 are line 9's, not line 8's
    assertThat(out.why(10))
        .startsWith(
            "grows the 266240-byte anonymous mapping (mremap of the one made at line 8) made at"
                + " line 9 from 266240 to 528384 bytes");
  }

  @Test
  void boehmGcsHeapBlocksAreNamedWhereLibgcIsLoaded() {
    // os_dep.c's GC_unix_mmap_get_mem asks for each block at last_addr = result + bytes
    Run.Out out =
        Run.explain(
            """
        18904 04:48:58.753615 brk(NULL)         = 0x562ef3e31000 <0.000035>
        18904 04:48:58.762373 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libgc.so.1", O_RDONLY|O_CLOEXEC) = 3 <0.000024>
        18904 04:48:58.763716 mmap(NULL, 441512, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7f673b032000 <0.000049>
        18904 04:48:58.774671 brk(NULL)         = 0x562ef3e31000 <0.000013>
        18904 04:48:58.774711 brk(0x562ef3e52000) = 0x562ef3e52000 <0.000019>
        18904 04:48:58.784311 mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f673ac55000 <0.000048>
        18904 04:48:58.784490 mmap(0x7f673ac65000, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f673ac45000 <0.000039>
        18904 04:48:58.784757 mmap(0x7f673ac55000, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f673ac35000 <0.000036>
        18904 04:48:58.785050 mmap(0x7f673ac45000, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f673ac25000 <0.000035>
        18904 04:48:58.785121 mmap(0x7f673ac35000, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f673ac15000 <0.000014>
        18904 04:48:58.786356 mmap(0x7f673ac25000, 2031616, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f673aa25000 <0.000026>
        """);
    assertThat(out.why(7))
        .contains("The hint is where the 65536-byte anonymous mapping made at line 6 ends")
        .contains("Boehm GC (libgc, loaded here), whose GC_unix_mmap_get_mem (os_dep.c)");
    // 2031616 bytes: malloc's mmap path would fit the size, but not the address
    assertThat(out.why(11))
        .startsWith("a direct anonymous mmap of 2031616 bytes (PROT_READ|PROT_WRITE) asked for at")
        .contains("The hint is where the 65536-byte anonymous mapping made at line 10 ends")
        .doesNotContain("malloc's mmap path: a chunk");
  }

  @Test
  void aHintWithoutAKnownRuntimeNamesBothAsExamples() {
    Run.Out out =
        Run.explain(
            """
        18904 04:48:58.753615 brk(NULL)         = 0x562ef3e31000 <0.000035>
        18904 04:48:58.774671 brk(NULL)         = 0x562ef3e31000 <0.000013>
        18904 04:48:58.774711 brk(0x562ef3e52000) = 0x562ef3e52000 <0.000019>
        18904 04:48:58.784311 mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f673ac55000 <0.000048>
        18904 04:48:58.784490 mmap(0x7f673ac65000, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f673ac45000 <0.000039>
        """);
    assertThat(out.why(5))
        .contains("fits an allocator that asks for each new mapping right after its last one")
        .doesNotContain("loaded here");
  }

  @Test
  void anMremapOfAnAreaOfManyMappingsIsNotNamedAfterOne() throws Exception {
    // LuaJIT's lj_alloc.c merges the 131072-byte mappings it makes end to end into one segment,
    // and the kernel merges them into one area; its trim shrinks that area with one mremap
    // (lines 5 to 64, then 65). What was left was told "(mremap of the one made at line 64)",
    // one of the 60 mappings. From strace -f -tt -T -y luajit l1.lua data.txt (LuaJIT 2.1,
    // Debian 12), cut to the segment's mmaps, the mremap and the munmap
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/luajit_segment_trim_mremap.log").toURI()));
    Run.Out out = Run.explain(log);
    assertThat(out.why(66))
        .startsWith("unmaps the 1966080-byte anonymous mapping (mremap of an area of 60 adjacent")
        .contains("mappings made between lines 5 and 64, which the kernel had merged)")
        .contains("made at line 65")
        .doesNotContain("the one made at line 64");
  }
}
