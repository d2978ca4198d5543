package dev.memtrace.cli;

import dev.memtrace.explain.AnnotatedEvent;
import dev.memtrace.render.JsonlRenderer;
import dev.memtrace.render.Renderer;
import dev.memtrace.render.SummaryJson;
import dev.memtrace.render.SummaryText;
import dev.memtrace.render.TextRenderer;
import dev.memtrace.trace.EventSource;
import dev.memtrace.trace.MergedReader;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import dev.memtrace.trace.UnparsedEvent;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Wires {@code analyze}: inputs → {@link TraceReader} (one per file, merged when several) →
 * {@link Annotator} (the model with snapshot checks, then the explain stage) → a renderer, and
 * the summary when asked. Owns no
 * logic of its own beyond reporting: errors become one {@code memtrace: ...} line and an exit
 * status, never a stack trace.
 */
final class AnalyzePipeline {

  static final int EXIT_UNPARSED = 3;

  private final AnalyzeOptions options;
  private final PrintStream stdout;
  private final PrintStream err;

  AnalyzePipeline(AnalyzeOptions options, PrintStream stdout, PrintStream err) {
    this.options = options;
    this.stdout = stdout;
    this.err = err;
  }

  int run() {
    if (options.format() == AnalyzeOptions.Format.html
        || options.format() == AnalyzeOptions.Format.perfetto) {
      return fail("--format " + options.format() + " is not built yet (use text or jsonl)");
    }
    List<AnalyzeInputs.Input> inputs;
    try {
      inputs = AnalyzeInputs.resolve(options.files());
    } catch (AnalyzeInputs.BadInput e) {
      return fail(e.getMessage());
    }
    List<dev.memtrace.correlate.Snapshot> snaps = List.of();
    if (options.snapshots() != null) {
      try {
        dev.memtrace.correlate.SnapshotFile.Loaded loaded =
            dev.memtrace.correlate.SnapshotFile.read(options.snapshots());
        snaps = loaded.snapshots();
        if (loaded.skipped() > 0) {
          err.println("memtrace: " + loaded.skipped() + " line(s) of " + options.snapshots()
              + " are not snapshots and were skipped");
        }
      } catch (IOException e) {
        return fail("cannot read snapshots " + options.snapshots() + ": " + e.getMessage());
      }
    }
    EventSource source;
    try {
      source = open(inputs);
    } catch (IOException e) {
      return fail("cannot read input: " + e.getMessage());
    }
    OutputStream target;
    try {
      target = options.output() == null || options.output().equals("-")
          ? stdout : new FileOutputStream(options.output());
    } catch (IOException e) {
      closeQuietly(source);
      return fail("cannot write " + options.output() + ": " + e.getMessage());
    }
    OutputStream out = new BufferedOutputStream(target, 1 << 16);
    Renderer renderer;
    try {
      renderer = renderer(out, inputs.size() > 1);
    } catch (IOException e) {
      closeQuietly(source);
      return fail("cannot write output: " + e.getMessage());
    }
    Annotator annotate = new Annotator(snaps, options.stages());
    boolean timeline = options.summary() != AnalyzeOptions.Summary.only;
    try (ReadAhead src = new ReadAhead(source, annotate,
        timeline ? renderer::prepare : a -> null)) {
      long n = 0;
      for (AnnotatedEvent e = next(src); e != null; e = next(src)) {
        if (timeline) {
          renderer.event(e, src.prepared());
        }
        if ((++n & 0xfff) == 0 && readerGone(target)) {
          // "analyze big.log | head": PrintStream swallows EPIPE; stop instead of reading on.
          return 0;
        }
      }
      if (timeline) {
        renderer.finish();
        renderer.close();
      }
      out.flush();
      if (options.summary() != AnalyzeOptions.Summary.none) {
        // The producer thread has finished (next() returned null): its results are visible.
        if (options.format() == AnalyzeOptions.Format.jsonl) {
          SummaryJson.write(out, annotate.reports(), annotate.stats());
        } else {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          if (timeline) {
            w.write("\n");
          }
          SummaryText.write(w, annotate.reports(), annotate.stats());
        }
        out.flush();
      }
      if (target != stdout) {
        target.close();
      }
      return summary(src.source());
    } catch (UncheckedIOException e) {
      return fail("cannot read input: " + e.getCause().getMessage());
    } catch (IOException e) {
      return fail("cannot write " + (options.output() == null ? "output" : options.output())
          + ": " + e.getMessage());
    }
  }

  private static boolean readerGone(OutputStream target) {
    return target instanceof PrintStream ps && ps.checkError();
  }

  /** Reading errors are told apart from writing errors by wrapping them. */
  private static AnnotatedEvent next(ReadAhead src) {
    try {
      return src.next();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private EventSource open(List<AnalyzeInputs.Input> inputs) throws IOException {
    List<TraceReader> readers = new ArrayList<>();
    for (AnalyzeInputs.Input in : inputs) {
      InputStream s = in.path() == null ? System.in : Files.newInputStream(in.path());
      readers.add(new TraceReader(s, in.name(), in.pid()));
    }
    return readers.size() == 1 ? readers.get(0) : new MergedReader(readers);
  }

  private Renderer renderer(OutputStream out, boolean severalFiles) throws IOException {
    if (options.format() == AnalyzeOptions.Format.jsonl) {
      return new JsonlRenderer(out, severalFiles);
    }
    return new TextRenderer(out, colour());
  }

  /** Colour only on a terminal, unless asked; {@code NO_COLOR} (no-color.org) turns auto off. */
  private boolean colour() {
    return switch (options.color()) {
      case always -> true;
      case never -> false;
      case auto -> options.output() == null && stdout == System.out && System.console() != null
          && System.getenv("NO_COLOR") == null && !"dumb".equals(System.getenv("TERM"));
    };
  }

  private int summary(EventSource src) {
    long bad = src.unparsedCount();
    if (bad == 0) {
      return 0;
    }
    UnparsedEvent first = src.firstUnparsed();
    String where = "line " + first.line()
        + (first.source().file() != null && options.files().size() != 1 ? " of " + first.source().file() : "");
    err.println("memtrace: " + bad + " of " + src.linesRead() + " lines could not be parsed (first: "
        + where + ")");
    return options.strict() ? EXIT_UNPARSED : 0;
  }

  private int fail(String message) {
    err.println("memtrace: " + message);
    return Main.EXIT_USAGE;
  }

  private static void closeQuietly(EventSource s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Already failing; the first error is the one reported.
    }
  }
}
