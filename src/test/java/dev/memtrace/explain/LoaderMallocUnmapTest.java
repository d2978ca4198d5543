package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * strace -e trace=mmap,munmap,execve shows neither the thread pointer being set (arch_prctl) nor
 * malloc starting (brk), so an anonymous mapping a started program makes looks like one of ld.so's
 * minimal malloc. A munmap of it shows it was not: __minimal_free never unmaps
 * (elf/dl-minimal-malloc.c). Trimmed from that trace of python3 (glibc 2.36) allocating and freeing
 * a 300000-byte bytearray.
 */
class LoaderMallocUnmapTest {

  private static final String LOG =
      """
      20569 execve("/usr/bin/python3", ["python3", "-c", "x=bytearray(300000); del x"], 0x7ffc4a00da18 /* 37 vars */) = 0
      20569 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fb30423d000
      20569 mmap(NULL, 303104, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fb3040b1000
      20569 munmap(0x7fb3040b1000, 303104)    = 0
      """;

  @Test
  void aMappingUnmappedWasNotLdSosMinimalMalloc() {
    Run.Out out = Run.explain(LOG);
    // the first is still taken for ld.so's: nothing shows otherwise
    assertThat(out.why(2)).startsWith("ld.so's minimal malloc");
    assertThat(out.why(3))
        .startsWith(
            "a direct anonymous mmap of 303104 bytes, unmapped at line 4: not ld.so's minimal"
                + " malloc")
        .contains("__minimal_free takes back only its last block")
        .doesNotContain("It stays for the whole run");
    assertThat(out.at(3).why().get(0).rule()).isEqualTo("anon-direct");
    assertThat(out.why(4))
        .startsWith(
            "unmaps the 303104-byte mapping made at line 3, so it was not ld.so's minimal"
                + " malloc's, as it looked");
  }
}
