package dev.memtrace.explain;

import dev.memtrace.correlate.ModelStage;
import dev.memtrace.correlate.Snapshot;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.trace.Corpus;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the explain stage over a log for tests; the logs are those of {@link
 * dev.memtrace.trace.Corpus}.
 */
final class Run {
  private Run() {}

  /** The folder that holds {@code corpus/} (see {@link dev.memtrace.trace.Corpus#shared()}). */
  static Path shared() {
    return Corpus.shared();
  }

  static Path corpusLog(String name) {
    return Corpus.log(name);
  }

  record Out(List<AnnotatedEvent> events, ExplainStats stats) {
    AnnotatedEvent at(int line) {
      return events.stream().filter(e -> e.event().line() == line).findFirst().orElseThrow();
    }

    String why(int line) {
      return String.join(" | ", at(line).why().stream().map(Explanation::text).toList());
    }
  }

  /** The explain stage after the model, as in the pipeline: the model tells whose each event is. */
  static Out explain(List<TraceEvent> events, int window) {
    return explain(events, List.of(), window);
  }

  /** The same, with /proc/PID/maps snapshots the model reads as a live run's. */
  static Out explain(List<TraceEvent> events, List<Snapshot> snapshots, int window) {
    ModelStage model = new ModelStage(new MemoryModel(), snapshots);
    Explainer ex = new Explainer(window, model.model());
    List<AnnotatedEvent> out = new ArrayList<>();
    for (TraceEvent e : events) {
      out.addAll(ex.accept(model.annotate(e)));
    }
    out.addAll(ex.finish());
    return new Out(out, ex.stats());
  }

  /** The explain stage over a log given as text. */
  static Out explain(String log) {
    return explain(TraceReader.parseAll(log), Explainer.DEFAULT_WINDOW);
  }

  /** The summary's reports of the spaces a log given as text used (none unless keepReports). */
  static List<SpaceReport> reports(String log, boolean keepReports) {
    ModelStage model = new ModelStage(new MemoryModel(), List.of());
    Explainer ex = new Explainer(Explainer.DEFAULT_WINDOW, model.model(), keepReports);
    for (TraceEvent e : TraceReader.parseAll(log)) {
      ex.accept(model.annotate(e));
    }
    ex.finish();
    return ex.reports();
  }

  /** The same, with the model reading the ELF headers of the programs the log runs from files. */
  static Out explain(String log, ElfFiles files) {
    ModelStage model = new ModelStage(new MemoryModel(files, null), List.of());
    Explainer ex = new Explainer(Explainer.DEFAULT_WINDOW, model.model());
    List<AnnotatedEvent> out = new ArrayList<>();
    for (TraceEvent e : TraceReader.parseAll(log)) {
      out.addAll(ex.accept(model.annotate(e)));
    }
    out.addAll(ex.finish());
    return new Out(out, ex.stats());
  }

  static Out explain(Path log) throws IOException {
    return explain(read(log), Explainer.DEFAULT_WINDOW);
  }

  /** Reads a log with the real parser; an -ff file gets its pid from its name. */
  static List<TraceEvent> read(Path log) throws IOException {
    String n = log.getFileName().toString();
    String ext = n.substring(n.lastIndexOf('.') + 1);
    Integer pid = ext.matches("\\d+") ? Integer.valueOf(ext) : null;
    try (var in = Files.newInputStream(log);
        TraceReader r = new TraceReader(in, n, pid)) {
      return Corpus.drain(r);
    }
  }

  static boolean exists(Path p) {
    return Files.isRegularFile(p);
  }
}
