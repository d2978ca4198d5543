package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.elf.ElfFile;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.elf.Segment;
import dev.memtrace.model.CatUnderRoot;
import dev.memtrace.run.LiveAssumptions;
import dev.memtrace.timeline.AnnotatedEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A statically linked glibc program (gcc -static) has no PT_INTERP and no ld.so: its first brk(0)
 * and its RELRO mprotect are libc's startup's (__libc_setup_tls, _dl_non_dynamic_init's
 * _dl_protect_relro). Where the headers were read the sentences say so and name no ld.so; where
 * they were not, the hedged wording stays.
 */
class StaticStartupTest {

  @TempDir Path root;

  /** Reduced from gcc -static t.c traced with strace -f (glibc 2.36). */
  private static String log(long relroAt, long relroLen) {
    return String.join(
        "\n",
        "526 execve(\"/bin/prog\", [\"prog\"], 0x7ffd9eedc158 /* 39 vars */) = 0",
        "526 brk(NULL) = 0x24e30000",
        "526 brk(0x24e30d40) = 0x24e30d40",
        "526 arch_prctl(ARCH_SET_FS, 0x24e303c0) = 0",
        "526 mprotect(0x" + Long.toHexString(relroAt) + ", " + relroLen + ", PROT_READ) = 0",
        "");
  }

  @Test
  void aStaticProgramsStartupNamesNoLdso() throws Exception {
    LiveAssumptions.assumeGcc();
    Path src = Files.writeString(root.resolve("hello.c"), "int main(void) { return 0; }\n");
    Path under = root.resolve("root");
    Path bin = Files.createDirectories(under.resolve("bin")).resolve("prog");
    Process gcc =
        new ProcessBuilder("gcc", "-static", "-no-pie", "-o", bin.toString(), src.toString())
            .inheritIO()
            .start();
    assertThat(gcc.waitFor()).isZero();
    ElfFile prog = ElfFile.read(bin);
    assertThat(prog.interp()).isNull();
    Segment relro = prog.relro();
    org.junit.jupiter.api.Assumptions.assumeTrue(relro != null);
    long at = relro.vaddr() & ~0xfffL;
    long len = ((relro.vaddr() + relro.memsz()) & ~0xfffL) - at;
    Run.Out out = Run.explain(log(at, len), ElfFiles.under(under));
    assertThat(out.why(2))
        .contains("statically linked program")
        .contains("__libc_setup_tls")
        .doesNotContain("ld.so learns")
        .doesNotContain("_dl_sysdep_start");
    assertThat(out.why(5))
        .contains("libc's startup (no ld.so runs")
        .contains("_dl_protect_relro")
        .doesNotContain("ld.so (or");
    // the execve names no ld.so: load_elf_binary maps none for a program without PT_INTERP
    assertThat(out.why(1))
        .contains("statically linked")
        .contains("no interpreter (PT_INTERP)")
        .contains("maps no ld.so")
        .doesNotContain("ld.so (for a dynamically linked program)");
    // read as an offline log (the file may not be the traced one), the image waits for its RELRO
    // mprotect, which places it from its headers: no "knew no memory there" beside it (the maps
    // command, placing it from the execve on, shows the memory there)
    Run.Out proven = Run.explain(log(at, len), ElfFiles.under(under).untilProven());
    AnnotatedEvent relroLine = proven.at(5);
    assertThat(relroLine.checks()).noneMatch(s -> s.contains("knew no memory"));
    assertThat(relroLine.changes()).isNotEmpty();
  }

  @Test
  void unreadHeadersKeepTheHedgedWording() {
    // nothing under root: the program's headers cannot be read
    Run.Out out = Run.explain(log(0x4b5000, 16384), ElfFiles.under(root));
    assertThat(out.why(2)).contains("ld.so learns").contains("in a static binary");
    assertThat(out.why(5)).contains("ld.so (or, in a static binary, libc's startup)");
    assertThat(out.why(1)).contains("ld.so (for a dynamically linked program)");
  }

  @Test
  void aDynamicProgramsFirstBrkIsStillLdsos() throws Exception {
    CatUnderRoot.copy(root);
    Run.Out out =
        Run.explain(
            "10 execve(\"/bin/prog\", [\"prog\"], 0x7ffc /* 1 var */) = 0\n"
                + "10 brk(NULL) = 0x555555600000\n",
            ElfFiles.under(root));
    assertThat(out.why(2)).contains("ld.so learns").doesNotContain("statically linked");
  }
}
