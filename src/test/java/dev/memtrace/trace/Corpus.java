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
 * Finds the shared corpus: {@code ../shared} beside the project (CI clones it there), or the
 * directory named by the system property or environment variable {@code MEMTRACE_SHARED}.
 */
public final class Corpus {

  private Corpus() {}

  public static Path shared() {
    String o = System.getProperty("MEMTRACE_SHARED", System.getenv("MEMTRACE_SHARED"));
    if (o != null && !o.isBlank()) {
      return Path.of(o);
    }
    String base = System.getProperty("basedir", System.getProperty("user.dir"));
    return Path.of(base).resolve("../shared").normalize();
  }

  public static Path logs() {
    return shared().resolve("corpus/logs");
  }

  /** Every strace log of the corpus: logs/ (not the .stderr side files) and maps/*.log. */
  public static List<Path> allLogs() {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> a = Files.list(logs());
        Stream<Path> b = Files.list(shared().resolve("corpus/maps"))) {
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
   * The files {@code PREFIX.PID} of an {@code -ff} set in logs/, merged as {@code analyze
   * PREFIX.*} reads them: in the order a shell glob lists them, each with the pid of its name.
   */
  public static List<TraceEvent> ffSet(String prefix) {
    List<TraceReader> readers = new ArrayList<>();
    try (Stream<Path> files = Files.list(logs())) {
      for (Path p : files.filter(f -> f.getFileName().toString().startsWith(prefix + ".")).sorted()
          .toList()) {
        String name = p.getFileName().toString();
        readers.add(new TraceReader(Files.newInputStream(p), name,
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
        if (e instanceof SyscallEvent s && s.completion() != SyscallEvent.Completion.COMPLETE
            && args.length > 0) {
          System.out.println(p.getFileName() + ":" + s.line() + ": " + s.completion() + " " + s.name() + "(" + s.args().texts() + ") = " + s.result());
        }
        if (e instanceof UnparsedEvent u) {
          System.out.println(p.getFileName() + ":" + u.line() + ": " + u.error() + ": " + u.source().text());
        }
      }
    }
  }
}
