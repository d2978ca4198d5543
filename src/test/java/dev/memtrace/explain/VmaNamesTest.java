package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A mapping the program names with prctl(PR_SET_VMA_ANON_NAME) is its own, not a malloc chunk. The
 * lines are from {@code strace -f -tt -T php p.php} (PHP 8.2 on Debian 12, a kernel without
 * CONFIG_ANON_VMA_NAME): zend_mm_mmap names every mapping "zend_alloc"; zend_mm_chunk_alloc_int
 * unmaps a chunk that came back misaligned and maps it again 2 MiB − 4 KiB larger, to trim.
 */
class VmaNamesTest {

  private static final String PHP =
      """
      13391 00:01:57.740000 execve("/usr/bin/php", ["php", "p.php"], 0x7ffcf5367400 /* 39 vars */) = 0 <0.000300>
      13391 00:01:57.740500 brk(NULL)         = 0x56161e7b1000 <0.000010>
      13391 00:01:57.761000 brk(NULL)         = 0x56161e7b1000 <0.000010>
      13391 00:01:57.761100 brk(0x56161e7d2000) = 0x56161e7d2000 <0.000010>
      13391 00:01:57.992150 mmap(NULL, 16781312, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe0917ae000 <0.000121>
      13391 00:01:57.992372 prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7fe0917ae000, 16781312, "zend_alloc") = -1 EINVAL (Invalid argument) <0.000088>
      13391 00:01:57.992572 munmap(0x7fe0917ae000, 16781312) = 0 <0.000111>
      13391 00:01:57.992772 mmap(NULL, 18874368, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe091400000 <0.000082>
      13391 00:01:57.992949 prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x7fe091400000, 18874368, "zend_alloc") = 0 <0.000089>
      13391 00:01:57.993175 munmap(0x7fe092401000, 2093056) = 0 <0.000057>
      13391 00:01:58.050274 mmap(NULL, 196608, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe092eec000 <0.000116>
      13391 00:01:58.178805 munmap(0x7fe092eec000, 196608) = 0 <0.000018>
      13391 00:01:58.186000 exit_group(0)     = ?
      """;

  @Test
  void aMappingTheProgramNamesIsNotAMallocChunk() {
    Run.Out out = Run.explain(PHP);
    assertThat(out.why(5))
        .contains("names \"zend_alloc\" with prctl(PR_SET_VMA_ANON_NAME) at line 6")
        .contains("not a malloc chunk")
        .doesNotContain("fits malloc(n)");
    assertThat(out.why(6))
        .contains("name the 16781312-byte mapping made at line 5 \"zend_alloc\"")
        .contains("CONFIG_ANON_VMA_NAME")
        .contains("shows no name");
    assertThat(out.why(9)).contains("shows it as [anon:zend_alloc]");
  }

  @Test
  void itsUnmapFreesNoChunkAndLeavesMallocsThresholdAlone() {
    Run.Out out = Run.explain(PHP);
    assertThat(out.why(7))
        .contains("the 16781312-byte anonymous mapping named \"zend_alloc\" made at line 5")
        .doesNotContain("free()")
        .doesNotContain("threshold");
    assertThat(out.why(10))
        .contains("anonymous mapping named \"zend_alloc\" made at line 8")
        .doesNotContain("free()");
    assertThat(out.why(11)).contains("the mmap threshold (131072)");
    assertThat(out.why(12)).contains("rises to the freed chunk's size 196608");
  }

  /**
   * firefox-esr --headless --screenshot under strace -f -tt -T -y (Firefox 153 ESR, Debian 12),
   * trimmed: mozjemalloc maps a chunk, trims it, decommits all but its first pages with
   * mmap(MAP_FIXED, PROT_NONE) and names them "jemalloc-decommitted", then commits 8192 bytes with
   * mmap(MAP_FIXED) and names only those "jemalloc" (pages_commit, then MozTagAnonymousMemory);
   * rlbox maps 16 GiB PROT_NONE, unmaps its head and tail and names the 8 GiB it keeps. Those names
   * read "the 8192-byte mapping made at line 7" and "the 8589934592-byte mapping made at line 17",
   * sizes those lines never mapped.
   */
  @Test
  void aNameGivenToPartOfWhatALineMappedSaysWhichPart() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/firefox_mozjemalloc_rlbox.log").toURI()));
    assertThat(out.why(4)).contains("name the 2093056-byte mapping made at line 3 \"jemalloc\"");
    assertThat(out.why(10))
        .contains(
            "name 8192 bytes at offset 0xc2000 of the range made at line 3 (this part: committed"
                + " part of the 2093056-byte anonymous mapping named \"jemalloc\") \"jemalloc\"")
        .doesNotContain("8192-byte mapping");
    assertThat(out.why(20))
        .contains(
            "name 8589934592 bytes at offset 0x13e000000 of the 17179869184-byte reservation made"
                + " at line 17 \"rlbox_wasm2c_expat\"")
        .doesNotContain("8589934592-byte mapping");
  }
}
