package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.model.abi.LinuxFlags;
import org.junit.jupiter.api.Test;

/** Flag names read from the model's tables, however strace printed them. */
class ConstantsTest {

  @Test
  void namesNumbersAndCommentsGiveTheSameNames() {
    for (String t :
        new String[] {
          "MAP_PRIVATE|MAP_ANONYMOUS", "0x22", "0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */"
        }) {
      // MAP_ANON is the same bit as MAP_ANONYMOUS: a number names it once
      assertThat(Constants.names(t, LinuxFlags.MAP, true))
          .as(t)
          .containsExactly("MAP_PRIVATE", "MAP_ANONYMOUS");
    }
    assertThat(Constants.names("0x3", LinuxFlags.PROT, true))
        .containsExactly("PROT_READ", "PROT_WRITE");
    assertThat(Constants.names("PROT_NONE", LinuxFlags.PROT, true)).isEmpty();
    assertThat(Constants.names("0", LinuxFlags.PROT, true)).isEmpty();
    assertThat(Constants.names("0x4", LinuxFlags.MADVISE, false)).containsExactly("MADV_DONTNEED");
    assertThat(Constants.names("MAP_PRIVATE|0x40000", LinuxFlags.MAP, true))
        .contains("MAP_PRIVATE", "MAP_HUGETLB");
  }
}
