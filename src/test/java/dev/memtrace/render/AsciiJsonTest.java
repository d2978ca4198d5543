package dev.memtrace.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.memtrace.trace.Arg;
import dev.memtrace.trace.Args;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AsciiJsonTest {

  /** What Jackson's generator writes for these texts as a JSON array. */
  private static String jackson(List<String> texts) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
      g.writeStartArray();
      for (String t : texts) {
        g.writeString(t);
      }
      g.writeEndArray();
    }
    return w.toString();
  }

  private static String ours(Args args) {
    return new String(new AsciiJson().write(args).asUnquotedUTF8(), StandardCharsets.UTF_8);
  }

  /** Args over given texts (the default eachText path). */
  private static Args of(List<String> texts) {
    return new Args() {
      @Override
      public String text() {
        return String.join(", ", texts);
      }

      @Override
      public List<String> texts() {
        return texts;
      }

      @Override
      public Arg get(int i) {
        throw new UnsupportedOperationException();
      }
    };
  }

  @Test
  void everyAsciiCharIsEscapedAsJacksonDoes() throws IOException {
    List<String> one = new ArrayList<>();
    for (char c = 0; c < 0x80; c++) {
      one.add("a" + c + "b");
    }
    assertThat(ours(of(one))).isEqualTo(jackson(one));
  }

  @Test
  void randomAsciiTextsAreWrittenAsJacksonWritesThem() throws IOException {
    Random r = new Random(42);
    for (int round = 0; round < 500; round++) {
      List<String> texts = new ArrayList<>();
      for (int k = r.nextInt(7); k > 0; k--) {
        char[] cs = new char[r.nextInt(3000)];
        for (int i = 0; i < cs.length; i++) {
          cs[i] = (char) (r.nextInt(4) == 0 ? r.nextInt(0x20) : r.nextInt(0x80));
        }
        texts.add(new String(cs));
      }
      assertThat(ours(of(texts))).isEqualTo(jackson(texts));
    }
  }

  @Test
  void argumentsCutFromTheLineAreTheSplitTexts() throws IOException {
    String log =
        """
        1 openat(AT_FDCWD, "/etc/\\"x\\", y", O_RDONLY|O_CLOEXEC) = 3
        1 getpid() = 1
        1 write(1, "a\\tb\\n", 4) = 4
        1 statx(AT_FDCWD, "/usr/bin/x", AT_STATX_SYNC_AS_STAT, STATX_ALL, {stx_mask=STATX_BASIC_STATS, stx_size=3, ...}) = 0
        1 read(3</a,b>, [{iov_base="x,y", iov_len=3}], 1) = 3
        """;
    int calls = 0;
    for (TraceEvent e : TraceReader.parseAll(log)) {
      SyscallEvent s = (SyscallEvent) e;
      assertThat(ours(s.args())).as(s.source().text()).isEqualTo(jackson(s.args().texts()));
      calls++;
    }
    assertThat(calls).isEqualTo(5);
  }

  @Test
  void aLineIsAsciiWhenNoByteHasItsHighBitWhereverTheByteIs() {
    AsciiJson w = new AsciiJson();
    Random r = new Random(3);
    for (int round = 0; round < 5000; round++) {
      char[] cs = new char[r.nextInt(40)];
      for (int i = 0; i < cs.length; i++) {
        cs[i] = (char) r.nextInt(0x80);
      }
      boolean high = cs.length > 0 && r.nextBoolean();
      if (high) {
        cs[r.nextInt(cs.length)] = (char) (0x80 + r.nextInt(0x80));
      }
      assertThat(w.ascii(new String(cs))).as(new String(cs)).isEqualTo(!high);
    }
  }

  @Test
  void argumentsOfTheLineCheckedLastAreTakenFromItsBytes() throws IOException {
    AsciiJson w = new AsciiJson();
    for (TraceEvent e :
        TraceReader.parseAll(
            "1 openat(AT_FDCWD, \"/a\\\"b\", O_RDONLY) = 3\n1 write(1, \"x\\ty\", 3) = 3\n")) {
      SyscallEvent s = (SyscallEvent) e;
      assertThat(w.ascii(s.source().text())).isTrue();
      assertThat(new String(w.write(s.args()).asUnquotedUTF8(), StandardCharsets.UTF_8))
          .isEqualTo(jackson(s.args().texts()));
    }
  }
}
