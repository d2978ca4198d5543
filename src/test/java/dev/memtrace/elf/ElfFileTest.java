package dev.memtrace.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader against binutils' readelf on this machine's programs, and on files that are not ELF.
 */
class ElfFileTest {

  private static List<String> readelf(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("readelf", "-W"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/usr/bin/cat",
        "/usr/bin/perl",
        "/lib64/ld-linux-x86-64.so.2",
        "/usr/lib/x86_64-linux-gnu/libc.so.6"
      })
  void programHeadersAreReadelfs(String file) throws Exception {
    assumeTrue(Files.isReadable(Path.of(file)), file + " is not here");
    List<String> re = readelf("-l", file);
    assumeTrue(re.stream().anyMatch(l -> l.contains("Program Headers")), "no readelf");
    ElfFile elf = ElfFile.read(Path.of(file));
    List<String> loads =
        re.stream()
            .map(String::strip)
            .filter(l -> l.startsWith("LOAD "))
            .map(l -> l.split(" +"))
            .map(f -> f[1] + " " + f[2] + " " + f[4] + " " + f[5])
            .toList();
    assertThat(elf.loads())
        .extracting(
            s ->
                String.format(
                    "0x%06x 0x%016x 0x%06x 0x%06x", s.offset(), s.vaddr(), s.filesz(), s.memsz()))
        .containsExactlyElementsOf(loads);
    String relro =
        re.stream()
            .map(String::strip)
            .filter(l -> l.startsWith("GNU_RELRO "))
            .map(l -> l.split(" +")[2])
            .findFirst()
            .orElse(null);
    assertThat(elf.relro() == null ? null : String.format("0x%016x", elf.relro().vaddr()))
        .isEqualTo(relro);
    String interp =
        re.stream()
            .filter(l -> l.contains("Requesting program interpreter"))
            .map(l -> l.replaceAll(".*interpreter: (.*)]$", "$1"))
            .findFirst()
            .orElse(null);
    assertThat(elf.interp()).isEqualTo(interp);
    assertThat(elf.movable()).isEqualTo(re.stream().anyMatch(l -> l.contains("type is DYN")));
  }

  @Test
  void sectionsAndBuildIdAreReadelfs() throws Exception {
    String file = "/usr/bin/cat";
    assumeTrue(Files.isReadable(Path.of(file)));
    ElfFile elf = ElfFile.read(Path.of(file));
    List<String> sections =
        readelf("-S", file).stream()
            .filter(l -> l.matches("\\s*\\[\\s*\\d+\\].*"))
            .map(l -> l.replaceFirst("^.*\\] ", ""))
            .map(l -> l.split(" +"))
            .filter(f -> f.length > 7 && f[6].contains("A"))
            .map(f -> f[0])
            .toList();
    assertThat(elf.sections())
        .extracting(Section::name)
        .containsExactlyInAnyOrderElementsOf(sections)
        .contains(".text", ".bss", ".got");
    String id =
        readelf("-n", file).stream()
            .filter(l -> l.contains("Build ID:"))
            .map(l -> l.replaceAll(".*Build ID: *", ""))
            .findFirst()
            .orElse(null);
    assertThat(elf.buildId()).isEqualTo(id);
  }

  @Test
  void aSymbolTableNamesTheFunctionAtAnAddress() throws Exception {
    Path libc = Path.of("/usr/lib/x86_64-linux-gnu/libc.so.6");
    assumeTrue(Files.isReadable(libc));
    String line =
        readelf("--dyn-syms", libc.toString()).stream()
            .filter(l -> l.matches(".* FUNC +GLOBAL +DEFAULT +\\d+ malloc(@.*)?$"))
            .findFirst()
            .orElseThrow();
    long value = Long.parseUnsignedLong(line.strip().split(" +")[1], 16);
    ElfFile elf = ElfFile.read(libc);
    assertThat(elf.symbolAt(value + 1)).isNotNull();
    assertThat(elf.symbolAt(value + 1).function()).isTrue();
    assertThat(elf.symbolAt(value + 1).value()).isEqualTo(value);
  }

  @Test
  void filesThatAreNotElfSayWhyInOneLine(@TempDir Path dir) throws Exception {
    Path text = Files.writeString(dir.resolve("script"), "#!/bin/sh\necho hi\n");
    assertThatThrownBy(() -> ElfFile.read(text))
        .isInstanceOf(ElfException.class)
        .hasMessage(text + " is not an ELF file");
    Path cut = dir.resolve("cut");
    Files.write(cut, Arrays.copyOf(Files.readAllBytes(Path.of("/usr/bin/cat")), 100));
    assertThatThrownBy(() -> ElfFile.read(cut))
        .isInstanceOf(ElfException.class)
        .hasMessageNotContaining("\n");
  }

  @Test
  void damagedHeadersNeverThrowAnythingButAnElfException(@TempDir Path dir) throws Exception {
    Path cat = Path.of("/usr/bin/cat");
    assumeTrue(Files.isReadable(cat));
    byte[] good = Files.readAllBytes(cat);
    Random rnd = new Random(17);
    Path bad = dir.resolve("bad");
    for (int i = 0; i < 300; i++) {
      byte[] b = good.clone();
      for (int k = 0; k < 1 + rnd.nextInt(8); k++) {
        int at = rnd.nextInt(i % 2 == 0 ? 64 : 4096); // the ELF header, or the tables after it
        b[at] = (byte) rnd.nextInt(256);
      }
      Files.write(bad, i % 10 == 0 ? Arrays.copyOf(b, rnd.nextInt(b.length)) : b);
      try {
        ElfFile e = ElfFile.read(bad);
        e.sectionsIn(0, Long.MAX_VALUE);
        e.symbolAt(0x2000);
      } catch (ElfException e) {
        assertThat(e.getMessage()).startsWith(bad.toString()).doesNotContain("\n");
      }
    }
  }
}
