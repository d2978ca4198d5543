package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.trace.SyscallEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** cat's 139264-byte mapping, its reads and writes, and its munmap, on the corpus traces. */
class CatBufferTest {

  @Test
  void theMappingIsCatsIoBufferWithItsArithmetic() throws Exception {
    Path log = Run.corpusLog("cat_big_devnull_yy.log");
    Run.Out out = Run.explain(log);
    int mmap = lineOf(out, "mmap", "139264");
    String why = out.why(mmap);
    assertThat(why)
        .contains("cat's 131072-byte I/O buffer")
        .contains(
            "131072 bytes (the block size it then reads and writes with, first at line "
                + (mmap + 1))
        .contains("page-aligned")
        .contains("above the 131072-byte mmap threshold")
        .contains("request2size(131072) = (131072 + 8 + 15) & ~15 = 131088")
        .contains("_int_memalign asks 131088 + 4096 + 32 = 135216")
        .contains("ALIGN_UP(135240, 4096) = 139264 (34 pages)")
        .contains("xmalloc(131072 + 4095)")
        .contains("not part of [heap]")
        .contains("inferred from the pattern");
    int munmap = lineOf(out, "munmap", "139264");
    assertThat(why).contains("given back to the kernel by the munmap at line " + munmap);
    assertThat(out.why(munmap))
        .contains("cat's 131072-byte I/O buffer made at line " + mmap)
        .contains("135184")
        .contains("270368");
    assertThat(out.why(mmap + 1))
        .contains(
            "read of 131072 bytes, likely through cat's "
                + "131072-byte I/O buffer made at line "
                + mmap);
    assertThat(out.why(mmap + 8)).contains("write of 36885 bytes, likely through cat's");
  }

  @Test
  void withoutLookaheadTheMmapStillGetsMallocArithmeticAndTheReadsTheBackReference()
      throws Exception {
    Path log = Run.corpusLog("cat_big_s4096.log");
    Run.Out out = Run.explain(Run.read(log), 0);
    int mmap = lineOf(out, "mmap", "139264");
    assertThat(out.why(mmap)).contains("glibc malloc's mmap path").contains("135145 to 139240");
    assertThat(out.why(mmap + 1)).contains("made at line " + mmap);
  }

  @Test
  void aWriteThroughTheMiddleOfABufferDoesNotNameItsSizeAndAWriteIsNotARead() {
    // zstd -T2 under -X raw (seen live): its output buffer is malloc(ZSTD_CStreamOutSize()), a
    // plain 135168-byte mmap chunk; the compressed blocks are written from wherever they start in
    // it. A 126976-byte write 4024 bytes in fitted aligned_alloc(4096, 126976)'s arithmetic and
    // named the mapping "zstd's 126976-byte read buffer", with a 4080-byte lead at its free
    Run.Out out =
        Run.explain(
            """
        6805 22:01:20.100000 execve("/usr/bin/zstd", ["zstd", "-T2", "big.txt"], 0x7ffd5ab3e4f8 /* 38 vars */) = 0 <0.000400>
        6805 22:01:20.100100 brk(NULL)         = 0x55fe550f0000 <0.000010>
        6805 22:01:20.100200 brk(NULL)         = 0x55fe550f0000 <0.000010>
        6805 22:01:20.100300 brk(0x55fe55111000) = 0x55fe55111000 <0.000010>
        6805 22:01:20.100400 mmap(NULL, 135168, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fb554e0b000 <0.000020>
        6805 22:01:20.100500 write(0x4, 0x7fb554e0bfb8, 0x1f000) = 0x1f000 <0.000100>
        6805 22:01:20.100600 write(0x4, 0x7fb554e0b010, 0x20000) = 0x20000 <0.000100>
        6805 22:01:20.100700 write(0x4, 0x7fb554e0b010, 0x1f000) = 0x1f000 <0.000100>
        6805 22:01:20.100800 munmap(0x7fb554e0b000, 135168) = 0 <0.000030>
        """);
    assertThat(out.why(6))
        .contains("4024 bytes into the 135168-byte malloc chunk made at line 5")
        .doesNotContain("126976-byte");
    assertThat(out.why(7))
        .contains("16 bytes into zstd's buffer of its 131072-byte write made at line 5");
    assertThat(out.why(8))
        .as("named once, by the write whose length fits it")
        .contains("16 bytes into zstd's buffer of its 131072-byte write made at line 5");
    assertThat(out.why(9))
        .contains("free() gives zstd's buffer of its 131072-byte write made at line 5")
        .doesNotContain("lead bytes before the aligned chunk")
        .doesNotContain("read buffer");
  }

  @Test
  void anotherProgramsReadWhoseLengthFitsAlignedAllocIsNotSaidToBeAligned() {
    // diff (diffutils 3.8) of two 7003656-byte files: slurp (src/io.c) reads a first 4096-byte
    // block, xreallocs the buffer to file size + 16 = 7003672 bytes (malloc's mmap path: 7004160)
    // and reads the rest, file size + 1 - 4096 = 6999561 bytes, 4096 bytes into the buffer. That
    // length fits aligned_alloc(4096, 6999561)'s arithmetic too, which was told as the buffer,
    // "page-aligned", starting one page in, with a 4080-byte lead at its free
    Run.Out out =
        Run.explain(
            """
        4957  02:23:09.600000 execve("/usr/bin/diff", ["diff", "big.txt", "big2.txt"], 0x7ffd69e78b38 /* 39 vars */) = 0 <0.000400>
        4957  02:23:09.600100 brk(NULL)         = 0x559c1d1f8000 <0.000010>
        4957  02:23:09.600200 brk(NULL)         = 0x559c1d1f8000 <0.000010>
        4957  02:23:09.600300 brk(0x559c1d219000) = 0x559c1d219000 <0.000010>
        4957  02:23:09.636210 openat(AT_FDCWD, "big.txt", O_RDONLY) = 3 <0.000015>
        4957  02:23:09.636316 read(3, "1 7 word1\\n2 14 word2\\n3 21 word3\\n"..., 4096) = 4096 <0.000025>
        4957  02:23:09.636476 mmap(NULL, 7004160, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fa3808bb000 <0.000016>
        4957  02:23:09.636577 read(3, "95 word91\\n286 2 word92\\n287 9 wor"..., 6999561) = 6999560 <0.026641>
        4957  02:23:09.663372 read(3, "", 1)    = 0 <0.000015>
        4957  02:23:09.891060 munmap(0x7fa3808bb000, 7004160) = 0 <0.000636>
        """);
    assertThat(out.why(7))
        .contains("fits a buffer for diff's 6999561-byte read at line 8")
        .contains("aligned_alloc(4096, 6999561)")
        .contains("malloc(n) for n from 7000041 to 7004136")
        .contains("the trace does not show")
        .doesNotContain("page-aligned")
        .doesNotContain("starts one page in");
    assertThat(Glibc.mallocMmap(7003672).value()).isEqualTo(7004160);
    assertThat(out.why(10)).doesNotContain("lead bytes before the aligned chunk");
  }

  @Test
  void aReadOfWholeBlocksAfterAStdioBlockReadIsNotSaidToBeTheBuffersSize() {
    // gdb 13 (BFD) reading a section of libc.so.6 with fread: fseek read the 4096-byte block the
    // section starts in, fread copied its tail into the malloc'd buffer, read 237568 bytes (whole
    // blocks) straight into the rest and the last 4096-byte block through the FILE buffer
    // (_IO_file_xsgetn). The mapping was "a buffer of 237568 bytes ... is one of them" and its
    // free "gdb's 237568-byte read buffer": the buffer is larger than the read
    Run.Out out =
        Run.explain(
            """
        2172  05:01:10.900000 execve("/usr/bin/gdb", ["gdb", "-batch"], 0x7ffd69e78b38 /* 39 vars */) = 0 <0.000400>
        2172  05:01:10.900100 brk(NULL)         = 0x56158235c000 <0.000010>
        2172  05:01:10.900200 brk(NULL)         = 0x56158235c000 <0.000010>
        2172  05:01:10.900300 brk(0x56158237d000) = 0x56158237d000 <0.000010>
        2172  05:01:10.931000 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 16 <0.000015>
        2172  05:01:10.932287 read(16, "data"..., 4096) = 4096 <0.000014>
        2172  05:01:10.932366 mmap(NULL, 241664, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fed4c43b000 <0.000027>
        2172  05:01:10.932452 lseek(16, 3784704, SEEK_SET) = 3784704 <0.000038>
        2172  05:01:10.932552 read(16, "data"..., 4096) = 4096 <0.000245>
        2172  05:01:10.932834 read(16, "data"..., 237568) = 237568 <0.002088>
        2172  05:01:10.934996 read(16, "data"..., 4096) = 4096 <0.000016>
        2172  05:01:10.936593 munmap(0x7fed4c43b000, 241664) = 0 <0.000129>
        """);
    assertThat(out.why(7))
        .contains("fits a buffer for gdb's 237568-byte read at line 10")
        .contains("malloc(n) with n from 237545 to 241640")
        .contains("the 4096-byte read on the same fd at line 9 before it, it fits stdio's fread")
        .contains("_IO_file_xsgetn")
        .contains("the buffer is larger than 237568 bytes")
        .doesNotContain("a buffer of 237568 bytes")
        .contains("only the brk area (inferred from the pattern)");
    assertThat(out.why(12))
        .contains("free() gives gdb's buffer of its 237568-byte read made at line 7")
        .doesNotContain("237568-byte read buffer");
  }

  @Test
  void aBlockReadRightAfterAReadOfWholeBlocksTakesBackTheBuffersSize() throws Exception {
    // Ghostscript 10.0 loading its 187484-byte default_cmyk.icc (gsicc_load_profile_buffer:
    // gs_alloc_bytes of the profile's size, then sfread of all of it): fread read 184320 bytes
    // (whole 4096-byte blocks) straight into the buffer and the rest through the FILE buffer, a
    // 4096-byte read that returned 3164 (_IO_file_xsgetn). With -e raw=read the buffer is 64
    // bytes into the mapping (gs's own block header after malloc's): it holds the whole profile.
    // The mapping was "a buffer of 184320 bytes ... is one of them" and its free "gs's
    // 184320-byte read buffer". From strace -f -tt -T -y gs -sDEVICE=png16m on a small .ps file
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/gs_icc_profile_fread.log").toURI()));
    assertThat(out.why(17))
        .contains("fits a buffer for gs's 184320-byte read at line 18")
        .contains("malloc(n) with n from 184297 to 188392")
        .contains("the next read on fd 4, at line 19, for one 4096-byte block")
        .contains("_IO_file_xsgetn")
        .contains("the buffer is 1 to 4095 bytes larger than the first read")
        .doesNotContain("a buffer of 184320 bytes")
        .contains("only the brk area (inferred from the pattern)");
    assertThat(out.why(18))
        .contains("likely through gs's buffer of its 184320-byte read made at line 17")
        .doesNotContain("184320-byte read buffer");
    assertThat(out.at(19).why()).isEmpty();
    assertThat(out.why(21))
        .contains("free() gives gs's buffer of its 184320-byte read made at line 17")
        .doesNotContain("184320-byte read buffer");
  }

  @Test
  void aReadWhoseLengthFitsAlignedAllocDoesNotNameTheBuffersSize() {
    // ld.bfd (binutils 2.40) computing --build-id for gcc -static: bfd_get_full_section_contents
    // mallocs the output's .text, 487871 bytes (a 491520-byte mapping), and freads it: fseek read
    // the 4096-byte block the section starts in, fread copied its tail, read 483328 bytes (whole
    // blocks) straight into the rest and the last 4096-byte block through the FILE buffer (-k:
    // malloc from bfd_get_full_section_contents, read from fread). 483328 fits aligned_alloc(4096,
    // 483328)'s arithmetic too, and the mapping was named "ld's 483328-byte read buffer" in the
    // read and its free, a size it does not have
    Run.Out out =
        Run.explain(
            """
        19702 16:08:30.158400 execve("/usr/bin/ld", ["/usr/bin/ld", "-plugin", "/usr/lib/gcc/x86_64-linux-gnu/12"..., "-plugin-opt=/usr/lib/gcc/x86_64-"..., "-plugin-opt=-fresolution=/tmp/cc"..., "-plugin-opt=-pass-through=-lgcc", "-plugin-opt=-pass-through=-lgcc_"..., "-plugin-opt=-pass-through=-lc", "--build-id", "-m", "elf_x86_64", "--hash-style=gnu", "--as-needed", "-static", "-o", "hello_s", "/usr/lib/gcc/x86_64-linux-gnu/12"..., "/usr/lib/gcc/x86_64-linux-gnu/12"..., "/usr/lib/gcc/x86_64-linux-gnu/12"..., "-L/usr/lib/gcc/x86_64-linux-gnu/"..., "-L/usr/lib/gcc/x86_64-linux-gnu/"..., "-L/usr/lib/gcc/x86_64-linux-gnu/"..., "-L/lib/x86_64-linux-gnu", "-L/lib/../lib", "-L/usr/lib/x86_64-linux-gnu", "-L/usr/lib/../lib", "-L/usr/lib/gcc/x86_64-linux-gnu/"..., "hello.o", "--start-group", "-lgcc", "-lgcc_eh", "-lc", ...], 0x7ffca1456158 /* 42 vars */ <unfinished ...>
        19702 16:08:30.158598 <... execve resumed>) = 0 <0.000183>
        19702 16:08:30.163028 brk(NULL)         = 0x55e6449af000 <0.000002>
        19702 16:08:30.163037 brk(0x55e6449d0000) = 0x55e6449d0000 <0.000005>
        19702 16:08:30.166061 openat(AT_FDCWD, "hello_s", O_RDWR|O_CREAT|O_TRUNC, 0666) = 3 <0.000036>
        19702 16:08:30.446105 newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=762424, ...}, AT_EMPTY_PATH) = 0 <0.000002>
        19702 16:08:30.446115 lseek(3, 4096, SEEK_SET) = 4096 <0.000002>
        19702 16:08:30.446124 lseek(3, 4096, SEEK_SET) = 4096 <0.000002>
        19702 16:08:30.446134 newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=762424, ...}, AT_EMPTY_PATH) = 0 <0.000003>
        19702 16:08:30.446144 lseek(3, 4096, SEEK_SET) = 4096 <0.000002>
        19702 16:08:30.446153 read(3, "H\\203\\354\\10H\\307\\300\\0\\0\\0\\0H\\205\\300t\\2\\377\\320H\\203\\304\\10\\303\\0\\377%\\342/\\n\\0f\\220"..., 4096) = 4096 <0.000003>
        19702 16:08:30.446163 lseek(3, 8192, SEEK_SET) = 8192 <0.000002>
        19702 16:08:30.446172 newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=762424, ...}, AT_EMPTY_PATH) = 0 <0.000002>
        19702 16:08:30.446182 mmap(NULL, 491520, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f712b016000 <0.000009>
        19702 16:08:30.446202 lseek(3, 8192, SEEK_SET) = 8192 <0.000002>
        19702 16:08:30.446211 read(3, "\\17\\224\\300A!\\304\\353\\36\\17\\37\\204\\0\\0\\0\\0\\0\\306\\3\\1A\\203\\373\\t\\17\\204\\226\\0\\0\\0\\301\\357\\10"..., 483328) = 483328 <0.000207>
        19702 16:08:30.446427 read(3, "\\377\\377ff.\\17\\37\\204\\0\\0\\0\\0\\0\\17\\37\\0\\363\\17\\36\\372AWAVAUATUSH\\203"..., 4096) = 4096 <0.000003>
        19702 16:08:30.447099 munmap(0x7f712b016000, 491520) = 0 <0.000020>
        """);
    assertThat(out.why(14))
        .contains("fits a buffer for ld's 483328-byte read at line 16")
        .contains("aligned_alloc(4096, 483328)")
        .contains("malloc(n) for n from 487401 to 491496")
        .contains("a larger buffer the read covers only in part")
        .contains("the trace does not show");
    assertThat(out.why(16))
        .contains("likely through ld's buffer of its 483328-byte read made at line 14")
        .doesNotContain("483328-byte read buffer");
    assertThat(out.why(18))
        .contains("ld's buffer of its 483328-byte read made at line 14")
        .doesNotContain("483328-byte read buffer");
  }

  @Test
  void aCoreutilsProgramThatDoesNotReadThroughAnAlignedBufferIsNotToldSo() {
    // md5sum (coreutils 9.1) reads through stdio into gnulib md5_stream's malloc(BLOCKSIZE + 72)
    // buffer, not an xalignalloc'd io_blksize one; its mapping was "md5sum's 131072-byte I/O
    // buffer", "coreutils 9.1 gets it with alignalloc(4096, 131072)", "coreutils' IO_BUFSIZE"
    Run.Out out =
        Run.explain(
            """
        500 execve("/usr/bin/md5sum", ["md5sum", "big.txt"], 0x7ffc37bac0e0 /* 2 vars */) = 0
        500 brk(NULL) = 0x564b6ffe3000
        500 brk(NULL) = 0x564b6ffe3000
        500 brk(0x564b70004000) = 0x564b70004000
        500 openat(AT_FDCWD, "big.txt", O_RDONLY) = 3
        500 mmap(NULL, 139264, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fcdb861a000
        500 read(3, "815965 hotel bravo alpha bravo m"..., 131072) = 131072
        500 read(3, "arlie\\n314824 alpha charlie golf "..., 131072) = 36885
        500 read(3, "", 131072) = 0
        500 munmap(0x7fcdb861a000, 139264) = 0
        """);
    assertThat(out.why(6))
        .contains("md5sum's 131072-byte read")
        .doesNotContain("I/O buffer")
        .doesNotContain("alignalloc")
        .doesNotContain("IO_BUFSIZE")
        .doesNotContain("coreutils");
  }

  /**
   * rsync's sender (strace -f -tt -T -y of rsync -a /usr/share/doc /tmp/r/, Debian 12, cut to its
   * breaks, its malloc-sized mappings and three of its 262144-byte file reads) reads each file
   * through a buffer map_ptr mallocs in [heap]: with -e raw=read the reads land in [heap], at a new
   * address for each file. The latest 266240-byte mapping (line 13), made for something else long
   * before, fits a 262144-byte buffer, but so does the other one still mapped (line 10), and [heap]
   * grew by 262144 bytes (line 19) just before the first read. Its length alone does not tie the
   * read to line 13.
   */
  @Test
  void aReadWhoseLengthFitsTheLatestMappingIsNotTiedToItWhenOtherMemoryFitsToo() throws Exception {
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/rsync_sender_reads.log").toURI()));
    Run.Out out = Run.explain(log);
    assertThat(out.why(13)).startsWith("fits glibc malloc's mmap path").doesNotContain("rsync's");
    assertThat(out.at(21).why()).isEmpty();
    assertThat(out.why(25))
        .startsWith("free() gives the 266240-byte malloc chunk made at line 13 back")
        .doesNotContain("read buffer");
    // either alone is enough: the other mapping of that size, with no growth of [heap] after
    // line 13...
    String noGrowth =
        log.lines()
            .filter(l -> !l.matches(".*0x55b2a0f(75|6d|ad)000.*"))
            .collect(Collectors.joining("\n", "", "\n"));
    Run.Out other = Run.explain(noGrowth);
    assertThat(other.why(13)).startsWith("fits glibc malloc's mmap path").doesNotContain("rsync's");
    assertThat(other.at(17).why()).isEmpty();
    // ...and the growth of [heap] once that other mapping is gone
    String oneMapping =
        log.lines()
            .map(l -> l.replace("munmap(0x7fb49d916000, 266240)", "munmap(0x7fb49d8d5000, 266240)"))
            .collect(Collectors.joining("\n", "", "\n"));
    Run.Out grown = Run.explain(oneMapping);
    assertThat(grown.why(13)).doesNotContain("rsync's");
    assertThat(grown.at(21).why()).isEmpty();
  }

  static int lineOf(Run.Out out, String name, String argPart) {
    return out.events().stream()
        .filter(
            e ->
                e.event() instanceof SyscallEvent s
                    && s.name().equals(name)
                    && s.args().text().contains(argPart))
        .findFirst()
        .orElseThrow()
        .event()
        .line();
  }
}
