package dev.memtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The grammar is the oracle for the fast scanner: on every one-line call of the corpus, both read
 * the same name, argument texts and result. And where the scanner gives up, the grammar's reading
 * is what comes out.
 */
class GrammarOracleTest {

  @Test
  void scannerAndGrammarAgreeOnEveryCorpusCall() {
    PrefixScanner prefix = new PrefixScanner();
    int compared = 0;
    for (var log : Corpus.allLogs()) {
      String name = log.getFileName().toString();
      if (name.contains("stderr") || name.contains("stdout_in_log")) {
        continue; // tracee output inside arguments: no reading is "right" there
      }
      for (TraceEvent e : Corpus.events(log)) {
        if (!(e instanceof SyscallEvent s)
            || s.completion() != SyscallEvent.Completion.COMPLETE
            || s.source().text().indexOf('\n') >= 0
            || s.source().text().contains(" resumed>")) {
          continue;
        }
        prefix.scan(s.source().text());
        String body = s.source().text().substring(prefix.end);
        CallRecord r = ArgParser.parseCallRecord(body);
        String where = log.getFileName() + ":" + e.line();
        assertThat(r).as("grammar reading of %s: %s", where, body).isNotNull();
        assertThat(r.name()).as(where).isEqualTo(s.name());
        assertThat(r.args()).as(where).isEqualTo(s.args().texts());
        assertThat(r.result()).as(where).isEqualTo(s.result());
        assertThat(r.duration()).as(where).isEqualTo(s.duration());
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(6000);
  }

  @Test
  void grammarReadsWhatTheScannerRejects() {
    // Text after the return value that neither expects.
    List<TraceEvent> ev = TraceReader.parseAll("getpid() = 42 (INJECTED)x\n");
    assertThat(ev).singleElement().isInstanceOf(UnparsedEvent.class);
    // Spacing the scanner does not expect ("=  42"), which the grammar's tokens do not mind.
    List<TraceEvent> spaced = TraceReader.parseAll("getpid() =  42\n");
    assertThat(spaced)
        .singleElement()
        .isInstanceOfSatisfying(
            SyscallEvent.class, s -> assertThat(s.result().value()).isEqualTo(42));
    assertThat(
            ArgParser.parseCallRecord("getpid() = 42 ENOSYS (Function not implemented) <0.000001>"))
        .satisfies(
            r -> {
              assertThat(r.result().errno()).isEqualTo("ENOSYS");
              assertThat(r.duration()).isEqualTo(0.000001);
            });
  }
}
