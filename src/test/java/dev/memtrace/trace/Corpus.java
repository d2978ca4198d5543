package dev.memtrace.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The corpus of real strace logs the tests read: {@code src/test/resources/corpus} in this project
 * (its README says what is there and how {@code gen.py} makes it). Every test reaches it through
 * this class; a missing file fails the test with its path, it is never skipped.
 */
public final class Corpus {

  private Corpus() {}

  /** {@code src/test/resources/corpus} of the project under test. */
  public static Path root() {
    String base = System.getProperty("basedir", System.getProperty("user.dir"));
    Path root = Path.of(base).resolve("src/test/resources/corpus").toAbsolutePath().normalize();
    if (!Files.isDirectory(root.resolve("logs"))) {
      throw new IllegalStateException(
          "the test corpus is missing: " + root + " (run the tests from the project's folder)");
    }
    return root;
  }

  /** The folder that holds {@code corpus/}: {@code shared().resolve("corpus/logs/NAME")}. */
  public static Path shared() {
    return root().getParent();
  }

  public static Path logs() {
    return root().resolve("logs");
  }

  public static Path maps() {
    return root().resolve("maps");
  }

  /** A file of the corpus, {@code "logs/cat_big_plain.log"}; fails when it is not there. */
  public static Path file(String relative) {
    Path p = root().resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("not in the test corpus: " + p);
    }
    return p;
  }

  /** A log of {@code logs/}; fails when it is not there. */
  public static Path log(String name) {
    return file("logs/" + name);
  }

  /** Every strace log of the corpus: logs/ (not the .stderr side files) and maps/*.log. */
  public static List<Path> allLogs() {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> a = Files.list(logs());
        Stream<Path> b = Files.list(maps())) {
      a.filter(p -> !p.getFileName().toString().endsWith(".stderr")).sorted().forEach(out::add);
      b.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public static List<TraceEvent> events(Path log) {
    try (InputStream in = Files.newInputStream(log);
        TraceReader r = new TraceReader(in, log.getFileName().toString(), null)) {
      return drain(r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every event a source hands out, in order. */
  public static List<TraceEvent> drain(EventSource r) throws IOException {
    List<TraceEvent> events = new ArrayList<>();
    for (TraceEvent e = r.next(); e != null; e = r.next()) {
      events.add(e);
    }
    return events;
  }

  /**
   * The files {@code PREFIX.PID} of an {@code -ff} set in logs/, merged as {@code analyze PREFIX.*}
   * reads them: in the order a shell glob lists them, each with the pid of its name.
   */
  public static List<TraceEvent> ffSet(String prefix) {
    List<TraceReader> readers = new ArrayList<>();
    try (Stream<Path> files = Files.list(logs())) {
      for (Path p :
          files
              .filter(f -> f.getFileName().toString().startsWith(prefix + "."))
              .sorted()
              .toList()) {
        String name = p.getFileName().toString();
        readers.add(
            new TraceReader(
                Files.newInputStream(p),
                name,
                Integer.valueOf(name.substring(prefix.length() + 1))));
      }
      try (MergedReader r = new MergedReader(readers)) {
        return drain(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Dumps the unparsed lines of every corpus log (a development aid). */
  public static void main(String[] args) {
    for (Path p : allLogs()) {
      for (TraceEvent e : events(p)) {
        if (e instanceof SyscallEvent s
            && s.completion() != SyscallEvent.Completion.COMPLETE
            && args.length > 0) {
          System.out.println(
              p.getFileName()
                  + ":"
                  + s.line()
                  + ": "
                  + s.completion()
                  + " "
                  + s.name()
                  + "("
                  + s.args().texts()
                  + ") = "
                  + s.result());
        }
        if (e instanceof UnparsedEvent u) {
          System.out.println(
              p.getFileName() + ":" + u.line() + ": " + u.error() + ": " + u.source().text());
        }
      }
    }
  }
}
