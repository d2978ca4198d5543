package dev.memtrace.model;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memtrace.elf.ElfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A copy of another machine's files for {@code --root}: this machine's {@code cat} as {@code
 * /bin/prog} and its loader as {@code /lib64/ld-linux-x86-64.so.2}. Tests that need it are skipped
 * where cat is not a position-independent program with a RELRO segment run by that loader.
 */
public final class CatUnderRoot {

  private CatUnderRoot() {}

  /** Copies the two files under root; returns the headers of the program. */
  public static ElfFile copy(Path root) throws IOException {
    Path cat = Path.of("/usr/bin/cat");
    Path ld = Path.of("/lib64/ld-linux-x86-64.so.2");
    assumeTrue(Files.isReadable(cat) && Files.isReadable(ld));
    ElfFile prog = ElfFile.read(cat);
    assumeTrue(
        prog.movable()
            && prog.relro() != null
            && "/lib64/ld-linux-x86-64.so.2".equals(prog.interp()));
    Files.createDirectories(root.resolve("bin"));
    Files.createDirectories(root.resolve("lib64"));
    Files.copy(cat, root.resolve("bin/prog"));
    Files.copy(ld, root.resolve("lib64/ld-linux-x86-64.so.2"));
    return prog;
  }
}
