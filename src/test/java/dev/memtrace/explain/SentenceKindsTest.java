package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.trace.SyscallEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every sentence kind is documented in docs/explanations.md, and on the real traces of
 * src/test/resources/logs-truth every sentence keeps two promises: a back-reference ("made at line
 * N") names a line whose mapping holds the address the call works on, and a sentence that rests on
 * a pattern reads as one.
 */
class SentenceKindsTest {

  static final List<String> LOGS =
      List.of(TruthTest.JAVA, TruthTest.NODE, TruthTest.DD, TruthTest.PYTHON, TruthTest.JAVA_K);

  static Set<String> documented() throws IOException {
    Set<String> ids = new TreeSet<>();
    Matcher m =
        Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\|")
            .matcher(Files.readString(Path.of("docs/explanations.md")));
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  @Test
  void everyRowAndEveryKindSeenOnRealTracesIsDocumented() throws IOException {
    Set<String> doc = documented();
    Set<String> kinds = new TreeSet<>();
    for (Rule r : Rules.TABLE) {
      kinds.add(r.id());
    }
    for (String log : LOGS) {
      for (AnnotatedEvent e : TruthTest.explain(log).events()) {
        e.why().forEach(x -> kinds.add(x.rule()));
      }
    }
    assertThat(doc).containsAll(kinds);
  }

  @Test
  void aLineCitedAsMakingARangeMadeTheRangeTheCallWorksOn() throws IOException {
    Pattern cite = Pattern.compile("made at line (\\d+)");
    Set<String> calls = Set.of("munmap", "mprotect", "madvise", "mremap");
    int checked = 0;
    for (String log : LOGS) {
      Run.Out out = TruthTest.explain(log);
      Map<Integer, long[]> made = new HashMap<>();
      for (AnnotatedEvent e : out.events()) {
        if (e.event() instanceof SyscallEvent s && s.name().equals("mmap") && s.succeeded()) {
          long start = s.result().value().getAsLong();
          long len = Glibc.alignUp(TruthTest.arg(e, 1), Glibc.PAGE);
          made.put(s.line(), new long[] {start, start + len});
        }
      }
      for (AnnotatedEvent e : out.events()) {
        if (!(e.event() instanceof SyscallEvent s) || !calls.contains(s.name())) {
          continue;
        }
        long addr = TruthTest.arg(e, 0);
        for (Explanation x : e.why()) {
          Matcher m = cite.matcher(x.text());
          if (m.find() && made.containsKey(Integer.parseInt(m.group(1)))) {
            long[] r = made.get(Integer.parseInt(m.group(1)));
            assertThat(addr)
                .as(log + " line " + s.line() + ": " + x.text())
                .isBetween(r[0], r[1] - 1);
            checked++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(100);
  }

  /** The shared corpus too: no placeholder, no internal citation, no bare pattern. */
  @Test
  void noSentenceOfTheCorpusCarriesAPlaceholderOrReadsAPatternAsFact() throws IOException {
    Path logs = Run.shared().resolve("corpus").resolve("logs");
    List<String> bad = new ArrayList<>();
    List<Path> all;
    try (var s = Files.list(logs)) {
      all = s.sorted().toList();
    }
    for (Path p : all) {
      for (AnnotatedEvent e : Run.explain(p).events()) {
        for (Explanation x : e.why()) {
          String t = x.text();
          boolean bare =
              x.basis() == Explanation.Basis.PATTERN
                  && !t.contains("inferred")
                  && !t.contains("fits")
                  && !t.contains("likely");
          if (t.contains("null") || t.contains("?") || t.contains("memory-facts") || bare) {
            bad.add(p.getFileName() + " line " + e.event().line() + " " + x.rule() + ": " + t);
          }
        }
      }
    }
    assertThat(bad).isEmpty();
  }

  @Test
  void aSentenceOnAPatternReadsAsOne() throws IOException {
    List<String> bare = new ArrayList<>();
    for (String log : LOGS) {
      for (AnnotatedEvent e : TruthTest.explain(log).events()) {
        for (Explanation x : e.why()) {
          String t = x.text();
          if (x.basis() == Explanation.Basis.PATTERN
              && !t.contains("inferred")
              && !t.contains("fits")
              && !t.contains("likely")) {
            bare.add(log + " line " + e.event().line() + " " + x.rule() + ": " + t);
          }
        }
      }
    }
    assertThat(bare).isEmpty();
  }
}
