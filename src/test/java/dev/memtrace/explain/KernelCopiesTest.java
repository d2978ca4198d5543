package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.trace.Corpus;
import dev.memtrace.trace.TraceReader;
import org.junit.jupiter.api.Test;

/** copy_file_range, sendfile and splice: the kernel copies, no user-space buffer. */
class KernelCopiesTest {

  private static Run.Out explain(String log) {
    return Run.explain(TraceReader.parseAll(log), Explainer.DEFAULT_WINDOW);
  }

  @Test
  void catIntoARegularFileCopiesWithCopyFileRangeAndMapsNoBuffer() throws Exception {
    // the corpus's cat of a 430101-byte file with its output redirected to a regular file
    Run.Out out = Run.explain(Corpus.log("cat_big_file_plain.log"));
    assertThat(out.why(37))
        .startsWith(
            "the kernel copied 430101 bytes from fd 3 (big.txt) to fd 1 itself: no user-space buffer")
        .contains("(copy_file_range(2))")
        .contains(
            "It fits coreutils' cat (9.1 and later; copy_cat in src/cat.c), which copies this way"
                + " when its input and its output are both regular files");
    assertThat(out.why(38))
        .isEqualTo(
            "copy_file_range returned 0: nothing left to copy from fd 3 (big.txt) (copy_file_range(2))");
  }

  @Test
  void sendfileAndSpliceNameTheirFilesAndManPagesAndOnlyCatGetsTheCatSentence() {
    Run.Out out =
        explain(
            """
        execve("/usr/bin/srv", ["srv"], 0x7ffc37bac0e0 /* 2 vars */) = 0
        openat(AT_FDCWD, "/srv/index.html", O_RDONLY) = 5
        sendfile(4, 5, NULL, 65536) = 4096
        splice(5, NULL, 7<pipe:[123]>, NULL, 65536, SPLICE_F_MOVE) = 512
        copy_file_range(5, NULL, 6, NULL, 100, 0) = 100
        copy_file_range(5, NULL, 6, NULL, 100, 0) = -1 EXDEV (Invalid cross-device link)
        """);
    assertThat(out.why(3))
        .isEqualTo(
            "the kernel copied 4096 bytes from fd 5 (/srv/index.html) to fd 4"
                + " itself: no user-space buffer, the data never passes through the program's memory (sendfile(2))");
    assertThat(out.why(4))
        .contains("512 bytes from fd 5 (/srv/index.html) to fd 7 (pipe:[123])")
        .endsWith("(splice(2))");
    assertThat(out.why(5)).endsWith("(copy_file_range(2))").doesNotContain("cat");
    assertThat(out.why(6))
        .isEqualTo(
            "copy_file_range failed (EXDEV): nothing was copied from fd 5"
                + " (/srv/index.html) to fd 6 (copy_file_range(2))");
  }
}
