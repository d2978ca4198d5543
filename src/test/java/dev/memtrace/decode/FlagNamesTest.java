package dev.memtrace.decode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Flag names read from the one table, however strace printed them. */
class FlagNamesTest {

  @Test
  void namesNumbersAndCommentsGiveTheSameNames() {
    for (String t :
        new String[] {
          "MAP_PRIVATE|MAP_ANONYMOUS", "0x22", "0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */"
        }) {
      // MAP_ANON is the same bit as MAP_ANONYMOUS: a number names it once
      assertThat(LinuxFlags.MAP.namesIn(t, true))
          .as(t)
          .containsExactly("MAP_PRIVATE", "MAP_ANONYMOUS");
    }
    assertThat(LinuxFlags.PROT.namesIn("0x3", true)).containsExactly("PROT_READ", "PROT_WRITE");
    assertThat(LinuxFlags.PROT.namesIn("PROT_NONE", true)).isEmpty();
    assertThat(LinuxFlags.PROT.namesIn("0", true)).isEmpty();
    assertThat(LinuxFlags.MADVISE.namesIn("0x4", false)).containsExactly("MADV_DONTNEED");
    assertThat(LinuxFlags.MAP.namesIn("MAP_PRIVATE|0x40000", true))
        .contains("MAP_PRIVATE", "MAP_HUGETLB");
  }
}
