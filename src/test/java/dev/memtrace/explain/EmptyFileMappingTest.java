package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A shared writable mapping of a file the process made empty and only sized: lld 14 writes its
 * output through LLVM's FileOutputBuffer (OnDiskBuffer), which creates NAME.tmpXXXXXXX with
 * O_CREAT|O_EXCL (fs::TempFile::create), sizes it with ftruncate
 * (fs::resize_file_before_mapping_readwrite), maps it MAP_SHARED and on commit() unmaps it and
 * renames it over the output. Every byte of such a file is a hole: a first touch reads nothing from
 * the disk and gets a zero-filled page-cache page, so "pages are read in on first touch" was false.
 * Lines of strace -f -tt -T -y of clang -O2 -fuse-ld=lld on three small C files (Debian 12), cut to
 * ld.lld's calls that matter.
 */
class EmptyFileMappingTest {

  private Run.Out lld() throws Exception {
    return Run.explain(
        Path.of(getClass().getResource("/logs-extra/lld_output_buffer.log").toURI()));
  }

  @Test
  void lldsOutputFileIsHolesNotReadFromTheDisk() throws Exception {
    Run.Out out = lld();
    assertThat(out.at(18).why().get(0).rule()).isEqualTo("file-shared");
    assertThat(out.why(18))
        .contains("The file was empty when line 16 opened it (O_CREAT|O_EXCL)")
        .contains("the 6296 bytes the ftruncate at line 17 gave it are holes")
        .contains("reads nothing from the disk but gets a zero-filled page-cache page")
        .contains("what is written through this mapping becomes the file's contents")
        .doesNotContain("Pages are read in on first touch");
    assertThat(out.why(11)).contains("the 1 byte the ftruncate at line 10 gave it is a hole");
  }

  @Test
  void anArchiveOpenedToReadIsStillReadIn() throws Exception {
    Run.Out out = lld();
    assertThat(out.why(6)).contains("Pages are read in on first touch").doesNotContain("holes");
  }

  /**
   * The same link traced with strace -f -k -e trace=memory,openat,ftruncate,fallocate,msync (the
   * frames cut): the filter hides every write and close, so the trace cannot show the file stayed
   * empty, and nothing is said of holes.
   */
  @Test
  void aTraceThatHidesWritesSaysNothingOfHoles() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/lld_output_buffer_filtered.log").toURI()));
    assertThat(out.at(4).why().get(0).rule()).isEqualTo("file-shared");
    assertThat(out.why(4)).doesNotContain("holes").contains("Pages are read in on first touch");
  }

  /**
   * strace -f -tt -T -y of a C program that empties a file (O_TRUNC, then O_CREAT|O_EXCL), forks a
   * child that writes to it (through its own open of the path, then through the fd it inherited),
   * and then sizes and maps the file MAP_SHARED; a third file nobody writes. What a child wrote is
   * data, so only the third file is holes: the writes of one process count for every process that
   * refers to the file.
   */
  @Test
  void aChildsWriteGivesTheFileData() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/forked_writer_empty_file.log").toURI()));
    assertThat(out.at(14).why().get(0).rule()).isEqualTo("file-shared");
    assertThat(out.why(14)).doesNotContain("holes").contains("Pages are read in on first touch");
    assertThat(out.why(25)).doesNotContain("holes").contains("Pages are read in on first touch");
    assertThat(out.why(28))
        .contains("The file was empty when line 26 opened it (O_TRUNC)")
        .contains("the 4096 bytes the ftruncate at line 27 gave it are holes");
  }
}
