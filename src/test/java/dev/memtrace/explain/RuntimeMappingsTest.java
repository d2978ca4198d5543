package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Mappings a runtime makes for itself that only look like glibc's (lines of strace -f -tt -T of
 * ruby 3.1): what a later call shows about them wins over what their size fitted.
 */
class RuntimeMappingsTest {

  @Test
  void aMappingCutByAPartialMunmapIsNotAMallocChunk() {
    // Ruby's transient heap: rb_aligned_malloc maps 32 MiB + 32 KiB and trims head and tail so
    // that 32 MiB aligned to 32 KiB is left; glibc's free() never unmaps part of a chunk.
    Run.Out out =
        Run.explain(
            """
        24870 05:07:53.189967 brk(NULL)         = 0x5654b06fc000 <0.000007>
        24870 05:07:53.192791 brk(NULL)         = 0x5654b06fc000 <0.000007>
        24870 05:07:53.192812 brk(0x5654b071d000) = 0x5654b071d000 <0.000009>
        24870 05:07:53.195627 mmap(NULL, 33587200, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7feb25627000 <0.000008>
        24870 05:07:53.195651 munmap(0x7feb25627000, 4096) = 0 <0.000010>
        24870 05:07:53.195676 munmap(0x7feb27628000, 28672) = 0 <0.000010>
        """);
    assertThat(out.why(4))
        .startsWith("a direct anonymous mmap of 33587200 bytes")
        .contains("the munmap at line 5 unmaps only part of it")
        .doesNotContain("malloc's mmap path: a chunk");
    assertThat(out.why(5))
        .startsWith("unmaps 4096 bytes of the 33587200-byte mapping made at line 4")
        .contains("not a malloc chunk")
        .doesNotContain("free() gives");
    assertThat(out.why(6))
        .isEqualTo(
            "unmaps 28672 bytes of the 33587200-byte anonymous mapping made at line 4 (inferred"
                + " from the pattern)");
  }
}
