package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.Explanation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Libraries that make executable memory at run time without being a runtime the rules know: PCRE2
 * 10.42's JIT (grep -P; sljit's exec allocator maps its chunks RWX, sljitExecAllocator.c) and
 * libffi 3.4.4's closures (python3's ctypes; closures.c maps a page RWX, and where that is refused
 * maps a temporary file twice, RX and RW). Debian 12, strace 6.1 -f -tt -T, Linux 6.18.
 */
class ExecutableMemoryTest {

  @Test
  void libffisTemporaryFileIsAnUnnamedFileNotTheDirectoryItWasMadeIn() {
    // python3 -c 'ctypes.CFUNCTYPE(ctypes.c_int)(lambda: 1)' with the RWX mmap refused (strace
    // -e inject=mmap:error=EPERM:when=37) and memfd_create too (ENOSYS): libffi's dlmmap falls back
    // to dlmmap_locked, whose open_temp_exec_file_dir opens /tmp with O_TMPFILE, fills a page and
    // maps it twice. The fd is a file with no name on /tmp's filesystem, not /tmp
    Run.Out out =
        Run.explain(
            """
        27545 15:45:54.629941 mmap(NULL, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 EPERM (Operation not permitted) (INJECTED) <0.000002>
        27545 15:45:54.629954 memfd_create("libffi", MFD_CLOEXEC) = -1 ENOSYS (Function not implemented) (INJECTED) <0.000002>
        27545 15:45:54.629965 openat(AT_FDCWD, "/tmp", O_RDWR|O_EXCL|O_CLOEXEC|O_TMPFILE, 0700) = 3 <0.000317>
        27545 15:45:54.630293 write(3, "\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0"..., 4096) = 4096 <0.000011>
        27545 15:45:54.630314 mmap(NULL, 4096, PROT_READ|PROT_EXEC, MAP_SHARED, 3, 0) = 0x7f49bb717000 <0.000010>
        27545 15:45:54.630331 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7f49bb716000 <0.000004>
        """);
    assertThat(out.at(5).why().get(0).rule()).isEqualTo("file-shared");
    assertThat(out.at(6).why().get(0).rule()).isEqualTo("dual-map");
    // no libffi.so in these lines: the dual mapping is told, libffi is not named
    assertThat(out.why(6))
        .contains("already mapped at 0x7f49bb717000 (r-xs, made at line 5)")
        .contains("if it is the same file")
        .doesNotContain("libffi");
    for (int line : new int[] {5, 6}) {
      assertThat(out.why(line))
          .startsWith("the program maps 4096 bytes of an unnamed file on the filesystem of /tmp")
          .contains("maps shows /tmp/#INODE (deleted)")
          .contains("open(O_TMPFILE)")
          .doesNotContain("bytes of /tmp from")
          .doesNotContain("[inode not in the trace]");
      assertThat(out.at(line).changes().get(0).after().path())
          .isEqualTo("/tmp/#[inode not in the trace] (deleted)");
    }
  }

  @Test
  void libffisMemfdMappedExecutableThenWritableIsOneMemoryAtTwoAddresses() {
    // the same run with memfd_create left alone: dlmmap_locked's memfd "libffi", filled by
    // allocate_space's write, mapped PROT_READ|PROT_EXEC, then PROT_READ|PROT_WRITE at the same
    // offset; the first is told as a file mapping, the second as the writable view of it
    Run.Out out =
        Run.explain(
            """
        26675 15:45:50.046288 mmap(NULL, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 EPERM (Operation not permitted) (INJECTED) <0.000002>
        26675 15:45:50.046299 memfd_create("libffi", MFD_CLOEXEC) = 3 <0.000010>
        26675 15:45:50.046317 write(3, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"..., 4096) = 4096 <0.000009>
        26675 15:45:50.046334 mmap(NULL, 4096, PROT_READ|PROT_EXEC, MAP_SHARED, 3, 0) = 0x7f0fd5266000 <0.000009>
        26675 15:45:50.046350 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7f0fd5265000 <0.000004>
        """);
    assertThat(out.at(4).why().get(0).rule()).isEqualTo("file-shared");
    assertThat(out.why(4)).doesNotContain("dual mapping");
    assertThat(out.at(5).why().get(0).rule()).isEqualTo("dual-map");
    assertThat(out.at(5).why().get(0).basis()).isEqualTo(Explanation.Basis.PATTERN);
    assertThat(out.why(5))
        .startsWith("the program maps 4096 bytes of the memfd \"libffi\"")
        .contains("already mapped at 0x7f0fd5266000 (r-xs, made at line 4)")
        .contains("written through this one and run through that one")
        .contains("fits libffi's closure allocator (dlmmap_locked");
    assertThat(out.at(5).changes().get(0).after().perms()).isEqualTo("rw-s");
  }

  @Test
  void underYyTheTemporaryFilesNameIsTheOneStracePrintsWithItsDeletedMark() {
    // the same run under -yy: strace 6.1 prints the fd as 3</tmp/#2151466>(deleted), the mark
    // outside the brackets; the path is read from it as maps shows it
    Run.Out out =
        Run.explain(
            """
        27552 15:45:54.659319 openat(AT_FDCWD</tmp/h-jitmem>, "/tmp", O_RDWR|O_EXCL|O_CLOEXEC|O_TMPFILE, 0700) = 3</tmp/#2151466>(deleted) <0.000238>
        27552 15:45:54.659588 write(3</tmp/#2151466>(deleted), "\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0"..., 4096) = 4096 <0.000010>
        27552 15:45:54.659611 mmap(NULL, 4096, PROT_READ|PROT_EXEC, MAP_SHARED, 3</tmp/#2151466>(deleted), 0) = 0x7f7536351000 <0.000010>
        27552 15:45:54.659633 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 3</tmp/#2151466>(deleted), 0) = 0x7f7536350000 <0.000004>
        """);
    assertThat(out.why(3))
        .startsWith("the program maps 4096 bytes of an unnamed file on the filesystem of /tmp")
        .contains("maps shows /tmp/#2151466 (deleted)")
        .doesNotContain("unlinked since it was opened");
    assertThat(out.at(4).changes().get(0).after().path()).isEqualTo("/tmp/#2151466 (deleted)");
  }

  @Test
  void aCallerNamedByMinusKIsTheNearestSymbolAndSaidSo() {
    // grep -P under strace -k: grep (stripped) maps a buffer to read /proc/self/maps into (gnulib's
    // stack-overflow setup), which -k names _obstack_memory_used+0x4902, the exported symbol below
    // that code; the sentence names the frame as -k did and says what that name is
    Run.Out out =
        Run.explain(
            """
        18042 15:44:20.173687 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1e12a44000 <0.000010>
         > /usr/lib/x86_64-linux-gnu/libc.so.6(__mmap+0x13) [0x1019b3]
         > /usr/bin/grep(_obstack_memory_used+0x4902) [0x25302]
         > /usr/bin/grep(_obstack_memory_used+0x43af) [0x24daf]
         > /usr/bin/grep() [0x115ee]
         > /usr/bin/grep() [0x49bc]
         > /usr/lib/x86_64-linux-gnu/libc.so.6(__libc_init_first+0x8a) [0x2724a]
         > /usr/lib/x86_64-linux-gnu/libc.so.6(__libc_start_main+0x85) [0x27305]
         > /usr/bin/grep() [0x6271]
        """);
    assertThat(out.at(1).why().get(0).rule()).isEqualTo("anon-direct");
    assertThat(out.at(1).why().get(0).basis()).isEqualTo(Explanation.Basis.STACK);
    assertThat(out.why(1))
        .contains(
            "the stack shows grep:_obstack_memory_used+0x4902 (-k names the nearest symbol it"
                + " finds, only an exported one in a stripped library, so an internal function may"
                + " show as its neighbour) calling libc's mmap itself");
  }

  @Test
  void anRwxMappingOf64KiBWherePcre2IsLoadedFitsItsJit() {
    // grep -P '(a|b)+c\d{3}' (grep 3.8, libpcre2-8 10.42): pcre2_jit_compile's sljit_malloc_exec
    // maps a 64 KiB chunk RWX (alloc_chunk, CHUNK_SIZE 0x10000)
    Run.Out out =
        Run.explain(
            """
        17990 15:44:19.619924 execve("/usr/bin/grep", ["grep", "-P", "(a|b)+c\\d{3}", "/etc/services", "big.txt"], 0x7ffdfff2e698 /* 35 vars */) = 0 <0.000110>
        17990 15:44:19.620712 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libpcre2-8.so.0", O_RDONLY|O_CLOEXEC) = 3 <0.000010>
        17990 15:44:19.620731 read(3, "\177ELF\2\1\1\0\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\0\0\0\0\0\0\0\0"..., 832) = 832 <0.000003>
        17990 15:44:19.620743 newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=629384, ...}, AT_EMPTY_PATH) = 0 <0.000003>
        17990 15:44:19.620755 mmap(NULL, 627592, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7fc691621000 <0.000004>
        17990 15:44:19.620765 mmap(0x7fc691623000, 438272, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x2000) = 0x7fc691623000 <0.000005>
        17990 15:44:19.620776 mmap(0x7fc69168e000, 176128, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x6d000) = 0x7fc69168e000 <0.000004>
        17990 15:44:19.620786 mmap(0x7fc6916b9000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x98000) = 0x7fc6916b9000 <0.000004>
        17990 15:44:19.620803 close(3)          = 0 <0.000002>
        17990 15:44:19.622479 mmap(NULL, 65536, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fc6913cc000 <0.000003>
        """);
    assertThat(out.at(10).why().get(0).rule()).isEqualTo("pcre2-jit");
    assertThat(out.at(10).why().get(0).basis()).isEqualTo(Explanation.Basis.PATTERN);
    assertThat(out.why(10))
        .startsWith("fits PCRE2's JIT compiler (pcre2_jit_compile; libpcre2 is loaded here)")
        .contains("CHUNK_SIZE")
        .doesNotContain("glibc malloc");
  }

  @Test
  void anRwxMappingWhoseStackIsNotPcre2sIsNotToldAsItsJit() throws Exception {
    // LD_PRELOAD=libpcre2-8.so.0 python3 -S: Python's mmap module maps 64 KiB RWX itself
    // (mmap.mmap(-1, 65536, MAP_PRIVATE|MAP_ANONYMOUS, PROT_READ|PROT_WRITE|PROT_EXEC)); libpcre2
    // is loaded, but the -k stack goes from mmap.cpython-311 to libc's mmap, through no libpcre2
    Run.Out out =
        Run.explain(
            Path.of(
                getClass()
                    .getResource("/logs-extra/python_rwx_mmap_pcre2_preloaded_k.log")
                    .toURI()));
    assertThat(out.at(74).why().get(0).rule()).isEqualTo("anon-direct");
    assertThat(out.why(74))
        .contains("the stack shows mmap.cpython-311-x86_64-linux-gnu.so+0x2c1a calling libc's mmap")
        .doesNotContain("PCRE2");
  }

  @Test
  void anRwxPageWhereLibffiIsLoadedFitsItsClosureAllocator() {
    // python3 -c 'ctypes.CFUNCTYPE(ctypes.c_int)(lambda: 1)' (Debian 12's python3.11, libffi
    // 3.4.4): _ctypes dlopens libffi, then ffi_closure_alloc's dlmmap maps a page RWX
    Run.Out out =
        Run.explain(
            """
        23945 15:45:38.390786 execve("/usr/bin/python3", ["/usr/bin/python3", "-c", "import ctypes; f=ctypes.CFUNCTYP"...], 0x7ffe46699b98 /* 35 vars */) = 0 <0.000100>
        23945 15:45:38.408669 openat(AT_FDCWD, "/lib/x86_64-linux-gnu/libffi.so.8", O_RDONLY|O_CLOEXEC) = 3 <0.000006>
        23945 15:45:38.408682 read(3, "\177ELF\2\1\1\0\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\0\0\0\0\0\0\0\0"..., 832) = 832 <0.000003>
        23945 15:45:38.408692 newfstatat(3, "", {st_mode=S_IFREG|0644, st_size=43480, ...}, AT_EMPTY_PATH) = 0 <0.000002>
        23945 15:45:38.408703 mmap(NULL, 46696, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7f546bb71000 <0.000010>
        23945 15:45:38.408719 mmap(0x7f546bb73000, 24576, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x2000) = 0x7f546bb73000 <0.000005>
        23945 15:45:38.408731 mmap(0x7f546bb79000, 8192, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x8000) = 0x7f546bb79000 <0.000004>
        23945 15:45:38.408741 mmap(0x7f546bb7b000, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x9000) = 0x7f546bb7b000 <0.000004>
        23945 15:45:38.408759 close(3)          = 0 <0.000002>
        23945 15:45:38.410523 mmap(NULL, 4096, PROT_READ|PROT_WRITE|PROT_EXEC, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f546c174000 <0.000008>
        """);
    assertThat(out.at(10).why().get(0).rule()).isEqualTo("libffi-closure");
    assertThat(out.why(10))
        .startsWith("fits libffi's closure allocator (ffi_closure_alloc, src/closures.c;")
        .contains("dlmmap_locked");
  }
}
