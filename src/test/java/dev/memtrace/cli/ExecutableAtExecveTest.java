package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The executable as the first snapshot of a live run shows it, right after execve: zstd's rodata
 * segment ends where its data segment begins, in memory and in the file, and the sentence told its
 * 220 KiB as "fits RELRO", which only ld.so's mprotect makes, after relocating, and no mprotect had
 * run yet. The first four records of 'memtrace run --save' of zstd -T2 -q -f big.txt (the header,
 * the execve, ld.so's brk(NULL) and its snapshot).
 */
class ExecutableAtExecveTest {

  @Test
  void beforeAnyMprotectTheReadOnlyPieceBeforeTheDataIsRodata() {
    Cli r = Cli.run("analyze", "src/test/resources/recordings/zstd_at_execve.mtr");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "the executable /usr/bin/zstd as the kernel mapped it at execve: r--p 12 KiB first"
                + " segment")
        .contains("r--p 220 KiB rodata (constants, string literals); rw-p 8 KiB data")
        .doesNotContain("RELRO");
  }
}
