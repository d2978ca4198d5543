package dev.memtrace.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.explain.Human;
import dev.memtrace.model.Region;
import dev.memtrace.model.RegionChange;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.BufferRef;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.timeline.RegionClass;
import dev.memtrace.trace.Corpus;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** What the renderers print under an event once the later stages have annotated it. */
class RendererTest {

  private static final Region ANON =
      new Region(0x7f9b0f6fc000L, 0x7f9b0f71e000L, "rw-p", 0, "00:00", 0, "", 3);
  private static final Region LIBC =
      new Region(
          0x7f0000000000L,
          0x7f0000026000L,
          "r--p",
          0,
          "fe:01",
          1234,
          "/usr/lib/x86_64-linux-gnu/libc.so.6",
          9);

  private static AnnotatedEvent annotated() {
    TraceEvent mmap =
        TraceReader.parseAll(
                "1234  mmap(NULL, 139264, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f9b0f6fc000 <0.000012>\n")
            .get(0);
    return new AnnotatedEvent(
        mmap,
        List.of(
            RegionChange.added(ANON), RegionChange.changed(LIBC, LIBC), RegionChange.removed(LIBC)),
        List.of("snapshot after line 1 agrees"),
        new BufferRef(0x7f9b0f6fc010L, ANON, 16, RegionClass.ANON),
        List.of(
            new Explanation(
                "cat-buffer",
                "cat reads 128 KiB at a time",
                Explanation.Basis.PATTERN,
                List.of("line 1"))),
        List.of(),
        null,
        List.of(),
        null);
  }

  @Test
  void textShowsChangesChecksBufferAndWhyUnderTheCall() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TextRenderer r = new TextRenderer(out, false);
    r.event(annotated());
    r.finish();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            """
           1:  1234 mmap(NULL, 139264, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f9b0f6fc000 <0.000012>
                + 7f9b0f6fc000-7f9b0f71e000 136 KiB rw-p anonymous
                ~ 7f0000000000-7f0000026000 152 KiB r--p /usr/lib/x86_64-linux-gnu/libc.so.6 -> 7f0000000000-7f0000026000 152 KiB r--p /usr/lib/x86_64-linux-gnu/libc.so.6
                - 7f0000000000-7f0000026000 152 KiB r--p /usr/lib/x86_64-linux-gnu/libc.so.6
                check: snapshot after line 1 agrees
                buffer: 0x7f9b0f6fc010 at +16 in 7f9b0f6fc000-7f9b0f71e000 136 KiB rw-p anonymous [anonymous mmap]
                why: cat reads 128 KiB at a time
        """);
  }

  @Test
  void jsonlCarriesTheSameAnnotations() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonlRenderer r = new JsonlRenderer(out, false);
    r.event(annotated());
    r.finish();
    JsonNode n = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"duration\":0.000012");
    assertThat(n.get("changes").get(0).get("op").asText()).isEqualTo("+");
    assertThat(n.get("changes").get(0).get("after").get("size").asLong()).isEqualTo(139264);
    assertThat(n.get("changes").get(0).has("before")).isFalse();
    assertThat(n.get("changes").get(1).get("before").get("path").asText()).endsWith("libc.so.6");
    assertThat(n.get("checks").get(0).asText()).isEqualTo("snapshot after line 1 agrees");
    assertThat(n.get("buffer").get("address").asText()).isEqualTo("0x7f9b0f6fc010");
    assertThat(n.get("buffer").get("region").get("start").asText()).isEqualTo("0x7f9b0f6fc000");
    assertThat(n.get("why").get(0).asText()).isEqualTo("cat reads 128 KiB at a time");
    JsonNode reason = n.get("reasons").get(0);
    assertThat(reason.get("text").asText()).isEqualTo("cat reads 128 KiB at a time");
    assertThat(reason.get("basis").asText()).isEqualTo(annotated().why().get(0).basis().label);
    assertThat(reason.get("rule").asText()).isEqualTo(annotated().why().get(0).rule());
    assertThat(reason.get("evidence").isArray()).isTrue();
    assertThat(reason.get("lines").get(0).asInt()).isEqualTo(annotated().event().line());
  }

  @Test
  void jsonlArgsAreEachArgumentsTextOnAsciiAndOtherLines() throws IOException {
    ObjectMapper json = new ObjectMapper();
    int ascii = 0;
    int other = 0;
    for (String log :
        List.of("cat_latin1_stdout_in_log.log", "misc_f_yy.log", "segv_k_weirdpath.log")) {
      List<TraceEvent> events = Corpus.events(Corpus.logs().resolve(log));
      for (TraceEvent e : events) {
        if (!(e instanceof SyscallEvent s)) {
          continue;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlRenderer r = new JsonlRenderer(out, false);
        r.event(AnnotatedEvent.bare(e));
        r.finish();
        List<String> args = new ArrayList<>();
        json.readTree(out.toByteArray()).get("args").forEach(a -> args.add(a.asText()));
        assertThat(args)
            .as(e.source().text())
            .isEqualTo(s.args().texts().stream().map(Texts::unicode).toList());
        if (e.source().text().chars().allMatch(c -> c < 0x80)) {
          ascii++;
        } else {
          other++;
        }
      }
    }
    assertThat(ascii).isPositive();
    assertThat(other).isPositive();
  }

  /** Texts the stages add may hold anything: escapes, UTF-8, a char outside the BMP, nulls. */
  @Test
  void annotationTextsReadBackAsTheyWere() throws IOException {
    TraceEvent mmap =
        TraceReader.parseAll(
                "1234  mmap(NULL, 139264, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f9b0f6fc000 <0.000012>\n")
            .get(0);
    Region odd =
        new Region(
            0, -1L, "rw-p", Long.MAX_VALUE, "00:00", 0, "/tmp/caf\u00c3\u00a9 \"q\"\\\n\u00ff", 3);
    for (String text :
        List.of(
            "plain",
            "tab\there \"quoted\" back\\slash \u0001\u001f\u007f",
            "\u00e9 \u2264 \u20ac \ud83d\ude00 end",
            "")) {
      JsonNode n =
          jsonl(
              new AnnotatedEvent(
                  mmap,
                  List.of(RegionChange.added(odd), RegionChange.changed(LIBC, ANON)),
                  List.of(text, "second"),
                  new BufferRef(-16L, null, -3, null),
                  List.of(new Explanation("r", text, Explanation.Basis.PATTERN, List.of())),
                  Arrays.asList(RegionClass.ANON, null),
                  null,
                  List.of(),
                  null));
      assertThat(n.get("checks").get(0).asText()).isEqualTo(text);
      assertThat(n.get("why").get(0).asText()).isEqualTo(text);
      assertThat(n.get("reasons").get(0).get("text").asText()).isEqualTo(text);
      assertThat(n.get("changes").get(0).get("class").asText()).isEqualTo("anonymous mmap");
      assertThat(n.get("changes").get(1).has("class")).isFalse();
      assertThat(n.get("changes").get(0).get("after").get("path").asText())
          .isEqualTo(Texts.name(odd.path()));
      assertThat(n.get("buffer").get("region").isNull()).isTrue();
    }
  }

  /** The one JSON Lines object the renderer writes for the event, read back. */
  private static JsonNode jsonl(AnnotatedEvent a) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    JsonlRenderer r = new JsonlRenderer(out, false);
    r.event(a);
    r.finish();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("\n").doesNotContain("\n{");
    return new ObjectMapper().readTree(text);
  }

  @Test
  void sizesAreWrittenWithADotWhateverTheLocale() throws IOException {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      Region libc =
          new Region(
              0x7f0000000000L,
              0x7f0000156000L,
              "r-xp",
              0,
              "fe:01",
              1234,
              "/usr/lib/x86_64-linux-gnu/libc.so.6",
              9);
      TraceEvent mmap =
          TraceReader.parseAll(
                  "mmap(0x7f0000000000, 1400832, PROT_READ|PROT_EXEC,"
                      + " MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000) = 0x7f0000000000\n")
              .get(0);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      TextRenderer r = new TextRenderer(out, false);
      r.event(
          new AnnotatedEvent(
              mmap,
              List.of(RegionChange.added(libc)),
              List.of(),
              null,
              List.of(),
              List.of(),
              null,
              List.of(),
              null));
      r.finish();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .contains(" 1.3 MiB r-xp ")
          .doesNotContain("1,3");
      assertThat(Human.bytes(1400832)).isEqualTo("1.34 MiB");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void numbersAndSizes() {
    assertThat(Texts.seconds(0.000007)).isEqualTo("0.000007");
    assertThat(Texts.seconds(0.000016194)).isEqualTo("0.000016194");
    assertThat(Texts.seconds(12.0)).isEqualTo("12");
    assertThat(Texts.seconds(0.0)).isEqualTo("0");
    assertThat(Texts.seconds(10.5)).isEqualTo("10.5");
    assertThat(Texts.seconds(1234567.000001)).isEqualTo("1234567.000001");
    assertThat(Texts.seconds(-3.25)).isEqualTo("-3.25");
    assertThat(Human.brief(8192)).isEqualTo("8 KiB");
    assertThat(Human.brief(1400832)).isEqualTo("1.3 MiB");
    assertThat(Human.brief(100)).isEqualTo("100 B");
    assertThat(Human.brief(Long.MIN_VALUE)).isEqualTo("8589934592.0 GiB"); // 2^63, unsigned
    assertThat(Texts.unicode("caf\u00c3\u00a9 \u00ff")).isEqualTo("caf\u00e9 \uFFFD");
  }
}
