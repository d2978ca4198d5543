package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.trace.TraceReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Rules read a call's typed flags: {@code -X raw} numbers say what the names say. */
class RawFlagsTest {

  @Test
  void aReallocsMremapIsOneWhetherItsFlagsArePrintedAsNamesOrAsANumber() throws IOException {
    String named =
        Files.readString(Run.corpusLog("mremap_memory.log"), StandardCharsets.ISO_8859_1);
    String line = "mremap(0x7fca91f7a000, 1052672, 2101248, MREMAP_MAYMOVE) = 0x7fca91d79000";
    assertThat(named).contains(line);
    String raw = named.replace(line, line.replace("MREMAP_MAYMOVE", "0x1"));
    String expected = Run.explain(TraceReader.parseAll(named), Explainer.DEFAULT_WINDOW).why(17);
    assertThat(expected).contains("realloc of an mmapped malloc chunk");
    assertThat(Run.explain(TraceReader.parseAll(raw), Explainer.DEFAULT_WINDOW).why(17))
        .isEqualTo(expected);
  }
}
