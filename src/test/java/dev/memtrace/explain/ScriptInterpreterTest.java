package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memtrace.elf.ElfFile;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.elf.Segment;
import dev.memtrace.model.CatUnderRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that is a {@code #!} script is not what the kernel maps: load_script
 * (fs/binfmt_script.c) maps the interpreter its first line names, and that interpreter's code runs
 * and reads the script. An OCaml bytecode executable starts with {@code #!/usr/bin/ocamlrun}; on
 * {@code strace -f -tt -T -y /tmp/h-lang3/alloc_byte} (OCaml 4.13.1, Debian 12) the RELRO mprotect
 * of ocamlrun's data read "after relocating the executable (alloc_byte, mapped by the kernel at
 * execve)", a file with no ELF header, and the bytecode's read into the buffer caml_load_code
 * mallocs was "alloc_byte's 151068-byte read buffer".
 */
class ScriptInterpreterTest {

  @TempDir Path root;

  @Test
  void anOcamlBytecodeScriptsRelroAndReadBufferAreOcamlruns() throws Exception {
    Path ocamlrun = Path.of("/usr/bin/ocamlrun");
    Path ld = Path.of("/lib64/ld-linux-x86-64.so.2");
    assumeTrue(Files.isReadable(ocamlrun) && Files.isReadable(ld));
    ElfFile elf = ElfFile.read(ocamlrun);
    Segment relro = elf.relro();
    // the trace's RELRO length is that of the ocamlrun this trace ran
    assumeTrue(
        relro != null
            && ((relro.vaddr() + relro.memsz()) & ~0xfffL) - (relro.vaddr() & ~0xfffL) == 4096);
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createDirectories(root.resolve("lib64"));
    Files.createDirectories(root.resolve("tmp/h-lang3"));
    Files.copy(ocamlrun, root.resolve("usr/bin/ocamlrun"));
    Files.copy(ld, root.resolve("lib64/ld-linux-x86-64.so.2"));
    Files.writeString(root.resolve("tmp/h-lang3/alloc_byte"), "#!/usr/bin/ocamlrun\n");
    String log =
        Files.readString(
            Path.of(getClass().getResource("/logs-extra/ocamlrun_script_relro.log").toURI()));

    Run.Out out = Run.explain(log, ElfFiles.under(root));

    assertThat(out.why(3))
        .contains(
            "after relocating the executable (/usr/bin/ocamlrun, the interpreter the #! line of"
                + " alloc_byte names, which the kernel mapped at execve in the script's place)")
        .doesNotContain("the executable (alloc_byte");
    assertThat(out.why(8)).contains("fits a buffer for ocamlrun's 151068-byte read at line 9");
    assertThat(out.why(9)).contains("ocamlrun's buffer of its 151068-byte read made at line 8");
  }

  /** The same on this machine's cat, copied as /bin/prog, which a script's #! line names. */
  @Test
  void aScriptsInterpreterIsTheExecutableWhoseRelroLdSoProtects() throws Exception {
    ElfFile prog = CatUnderRoot.copy(root);
    Segment relro = prog.relro();
    long base = 0x555555554000L;
    long at = base + (relro.vaddr() & ~0xfffL);
    long len = ((relro.vaddr() + relro.memsz()) & ~0xfffL) - (relro.vaddr() & ~0xfffL);
    Files.createDirectories(root.resolve("home/u"));
    Files.writeString(root.resolve("home/u/run.sh"), "#!/bin/prog -n\n");
    String log =
        String.join(
            "\n",
            "10 execve(\"/home/u/run.sh\", [\"/home/u/run.sh\"], 0x7ffc /* 1 var */) = 0",
            "10 brk(NULL) = 0x555555600000",
            "10 mprotect(0x" + Long.toHexString(at) + ", " + len + ", PROT_READ) = 0",
            "");

    Run.Out out = Run.explain(log, ElfFiles.under(root));

    assertThat(out.why(3))
        .contains("the executable (/bin/prog, the interpreter the #! line of run.sh names")
        .doesNotContain("the executable (run.sh");
  }
}
