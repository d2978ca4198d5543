package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A munmap over many mappings names the first and last few and counts the rest. */
class ManyPiecesUnmapTest {

  @Test
  void anUnmapOverManyMappingsCountsTheMiddleOnes() {
    // LuaJIT releases hundreds of 128 KiB mappings it made one below the other with one munmap;
    // listing each made a 40,776-character sentence
    StringBuilder log = new StringBuilder();
    long top = 0x7f0000200000L;
    for (int i = 1; i <= 10; i++) {
      log.append(
              "9 mmap(NULL, 131072, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x")
          .append(Long.toHexString(top - i * 131072L))
          .append('\n');
    }
    log.append("9 munmap(0x")
        .append(Long.toHexString(top - 10 * 131072L))
        .append(", 1310720) = 0\n");
    String why = Run.explain(log.toString()).why(11);
    assertThat(why)
        .startsWith(
            "unmaps the 131072-byte anonymous mapping made at line 10, then the 131072-byte"
                + " anonymous mapping made at line 9, then the 131072-byte anonymous mapping made"
                + " at line 8, then 5 more pieces (made between lines 3 and 7), then the")
        .contains("made at line 2, then the 131072-byte anonymous mapping made at line 1");
  }
}
