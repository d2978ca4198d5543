package dev.memtrace.pipeline;

import dev.memtrace.correlate.MapsAt;
import dev.memtrace.correlate.ModelStage;
import dev.memtrace.correlate.Snapshot;
import dev.memtrace.correlate.SnapshotCaveats;
import dev.memtrace.correlate.SnapshotFile;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.elf.RecordedElf;
import dev.memtrace.explain.Explainer;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.render.JsonlRenderer;
import dev.memtrace.render.RegionClassifier;
import dev.memtrace.render.Renderer;
import dev.memtrace.render.SummaryJson;
import dev.memtrace.render.SummaryText;
import dev.memtrace.render.TextRenderer;
import dev.memtrace.render.filter.EventFilter;
import dev.memtrace.render.filter.FilteringRenderer;
import dev.memtrace.render.html.HtmlRenderer;
import dev.memtrace.render.perfetto.PerfettoRenderer;
import dev.memtrace.run.ExitCode;
import dev.memtrace.run.Handoff;
import dev.memtrace.run.LiveItem;
import dev.memtrace.run.LiveItemStream;
import dev.memtrace.run.LiveRun;
import dev.memtrace.run.MapsSnapshot;
import dev.memtrace.run.RecordingHeader;
import dev.memtrace.run.RecordingReader;
import dev.memtrace.run.RecordingWriter;
import dev.memtrace.run.RunOptions;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.EventSource;
import dev.memtrace.trace.MergedReader;
import dev.memtrace.trace.RawText;
import dev.memtrace.trace.SetLines;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import dev.memtrace.trace.UnparsedEvent;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The trip a log makes through memtrace, stage by stage, each stage a package that imports only the
 * ones before it:
 *
 * <ol>
 *   <li><b>run</b> ({@code dev.memtrace.run}): a live run starts strace ({@link LiveRun}) and reads
 *       its log from a FIFO with a {@code /proc/PID/maps} snapshot after each memory call; {@code
 *       run --save} records both, and a recording replays through {@link RecordingReader}. A saved
 *       log skips this stage.
 *   <li><b>trace</b>: {@link TraceReader} parses each line into a typed event and joins unfinished
 *       and resumed halves; a {@code -ff} set is merged into one log order ({@link MergedReader}).
 *   <li><b>decode</b> ({@code dev.memtrace.decode}): each interpreted syscall's arguments read into
 *       a typed call ({@code Call.of}: {@code Mmap}, {@code Clone}, {@code Open}...), each argument
 *       decoded on first access; the model reads it and hands it on with the event.
 *   <li><b>model</b>: the {@link MemoryModel} owns tasks, processes, address spaces and descriptor
 *       tables, and says what each call changed (it reads the ELF headers of the files the trace
 *       names through {@code dev.memtrace.elf}).
 *   <li><b>timeline</b>: the record the next stages pass on, one per event ({@link
 *       AnnotatedEvent}). It lives in its own package between the model and correlate because
 *       correlate makes it, explain fills it in and render reads it: in any one of them, the others
 *       would have to import a later stage.
 *   <li><b>correlate</b>: the model stage ({@link ModelStage}) applies each event to the model,
 *       checks the model against the snapshots and makes the event's record.
 *   <li><b>explain</b>: the {@link Explainer} says why each call happened, where each buffer lies
 *       and what class each region is, in a bounded lookahead window.
 *   <li><b>render</b>: text, JSON Lines, HTML or Perfetto ({@link Renderer}), and the summary.
 * </ol>
 *
 * <p>Here the stages are joined: {@link #run()} for {@code analyze} (logs, {@code -ff} sets,
 * standard input, recordings), {@link #live} for {@code run}, {@link #spacesAt} for {@code maps}
 * and {@code where}, which replay the model alone up to a line ({@link #processMaps} when they read
 * a running process instead). Parsing runs on a thread of its own, the stages up to explain on a
 * second ({@link ReadAhead}, through the {@link Annotator}), while this one renders. {@code
 * dev.memtrace.cli} only turns options into one of these calls and returns its status. Errors
 * become one {@code memtrace: ...} line and an {@link ExitCode}, never a stack trace.
 */
public final class Pipeline {

  /** What is said when the heap runs out (a huge line under a small -Xmx), instead of a trace. */
  public static final String OUT_OF_MEMORY =
      "out of memory: the Java heap is too small for this input;"
          + " give it more with MEMTRACE_JAVA_OPTS=-Xmx1g (or more)";

  private final AnalyzeOptions options;
  private final EventFilter.Options filter;

  /** Region classes for colours, counters and --class: the explain stage's, by name and perms. */
  private final RegionClassifier classes = RegionClassifier.BY_NAME;

  private final PrintStream stdout;
  private final PrintStream err;

  /**
   * Snapshots of a live run or recording, as the parser meets them; the correlate stage takes them
   * on its own thread ({@link #snapshot}), in their place among the events.
   */
  private final SnapshotOrder snapshotOrder = new SnapshotOrder(this::snapshot);

  private final Consumer<LiveItemStream.LineSnapshot> snapshots = snapshotOrder::offer;

  /**
   * What a live run's snapshots cannot vouch for (late, racy): said on their call, except in the
   * text timeline, which says it once at the end.
   */
  private final SnapshotCaveats caveats;

  /** The stages after parsing; made by {@link #render}, fed snapshots by {@link #snapshot}. */
  private Annotator annotator;

  /** The recording analyze replays, if its input is one: it tells what was damaged or missing. */
  private RecordingReader recording;

  /**
   * Held while the timeline is written, so that a notice said meanwhile (a live run's, on its own
   * thread) comes between whole lines when both go to standard error.
   */
  private final Object writing = new Object();

  /**
   * Whether a live run's notices may come while the timeline is written: only then is each event
   * written under {@link #writing} (analyze has no other thread that speaks).
   */
  private boolean notices;

  /** Writes out the whole lines of the timeline so far; set while {@link #render} writes. */
  private Flusher flushTimeline;

  private interface Flusher {
    void flush() throws IOException;
  }

  /** The timeline's reader went away ({@code | head}): render stopped early, by its choice. */
  private boolean readerGone;

  /** How the lines of the input are numbered and cited: several files of an -ff set, or one. */
  private SetLines setLines = SetLines.ONE;

  /** Where a live run reads the files it runs (set by {@link #live} before rendering), or null. */
  private ElfFiles liveFiles;

  public Pipeline(
      AnalyzeOptions options, EventFilter.Options filter, PrintStream stdout, PrintStream err) {
    this.options = options;
    this.caveats = new SnapshotCaveats(options.format() != AnalyzeOptions.Format.text);
    this.filter = filter;
    this.stdout = stdout;
    this.err = err;
  }

  public int run() {
    List<AnalyzeInputs.Input> inputs;
    try {
      inputs = AnalyzeInputs.resolve(options.files(), note -> err.println("memtrace: " + note));
    } catch (AnalyzeInputs.BadInput e) {
      return fail(e.getMessage());
    }
    String clash = outputClash(inputs);
    if (clash != null) {
      return fail(clash);
    }
    if (inputs.size() > 1) {
      setLines = new SetLines(inputs.stream().map(AnalyzeInputs.Input::name).toList());
    }
    List<Snapshot> snaps = List.of();
    if (options.snapshots() != null) {
      try {
        SnapshotFile.Loaded loaded = SnapshotFile.read(options.snapshots());
        snaps = loaded.snapshots();
        if (loaded.skipped() > 0) {
          err.println(SpaceReplay.skipped(options.snapshots(), loaded));
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
    return render(source, inputs, snaps);
  }

  /**
   * A live run: strace's lines and snapshots go through the stages as {@code live} reads them (it
   * runs on a thread of its own, handing them over through a {@link Handoff}), and into the
   * recording when {@code run} asks for one. Returns the status memtrace exits with: the program's,
   * or {@link ExitCode#FAILED} when the timeline could not be written.
   */
  public int live(LiveRun live, RunOptions run) throws IOException, InterruptedException {
    // a stop signal from here on lets the run end the recording it is about to open
    live.arm();
    try (live;
        RecordingWriter recording =
            run.save() == null ? null : new RecordingWriter(run.save(), header(live, run))) {
      // a live run reads the files it runs; its recording carries what they said
      liveFiles =
          recording == null
              ? ElfFiles.local()
              : ElfFiles.local()
                  .recordingTo(a -> recording.elf(json -> RecordedElf.write(json, a)));
      Handoff handoff = new Handoff();
      CompletableFuture<LiveRun.Outcome> running =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return live.run(
                      new LiveRun.Consumer() {
                        @Override
                        public void accept(LiveItem item) throws IOException {
                          if (recording != null) {
                            recording.item(item);
                          }
                          handoff.accept(item);
                        }

                        @Override
                        public void batchDone() {
                          handoff.batchDone();
                        }

                        @Override
                        public void notice(String text) {
                          say(text);
                        }
                      });
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new IllegalStateException("interrupted", e);
                } finally {
                  handoff.end();
                }
              });
      live.awaitStarted();
      notices = true;
      int written =
          render(
              new TraceReader(new LiveItemStream(handoff, snapshots), null, null),
              List.of(),
              List.of());
      handoff.discard(); // nothing reads the items any more
      boolean stopped = false;
      if (written != ExitCode.OK.code || readerGone) {
        // the timeline is lost (said already) or no longer read ("2>&1 | head"): tracing on
        // would only cost the program time, and a program that never ends would keep memtrace
        // waiting for it
        stopped = live.stop();
      }
      LiveRun.Outcome outcome;
      try {
        outcome = running.get();
      } catch (ExecutionException e) {
        // the run's own IOException (the recording's write error), not its wrapper's words
        Throwable cause =
            e.getCause() instanceof UncheckedIOException u ? u.getCause() : e.getCause();
        throw new IOException(oneLine(cause), cause);
      }
      if (recording != null) {
        recording.end(
            outcome.exitStatus(), outcome.interrupted(), outcome.lines(), outcome.snapshots());
      }
      if (readerGone && stopped && written == ExitCode.OK.code) {
        err.println(
            "memtrace: the timeline's reader went away (broken pipe): "
                + (run.attaching()
                    ? "strace detached from pid " + run.attachPid()
                    : "stopped " + run.command().get(0) + " and what it started, as Ctrl-C would"));
      }
      if (outcome.failure() != null) {
        err.println("memtrace: " + outcome.failure().getMessage());
      } else {
        outcome.notices().forEach(n -> err.println("memtrace: " + n));
      }
      // the pipeline said what failed; the program's status would hide it
      return written != ExitCode.OK.code ? ExitCode.FAILED.code : outcome.exitStatus();
    }
  }

  /** A notice during a live run, after the timeline's lines written so far. */
  private void say(String text) {
    synchronized (writing) {
      if (flushTimeline != null) {
        try {
          flushTimeline.flush();
        } catch (IOException e) {
          // the timeline's own writing meets it too, and says it
        }
      }
      err.println("memtrace: " + text);
    }
  }

  private static RecordingHeader header(LiveRun live, RunOptions o) {
    return new RecordingHeader(
        RecordingHeader.VERSION,
        o.command(),
        o.attachPid(),
        live.straceArgv(),
        live.versions(),
        Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
        o.snapshots(),
        o.delayMicros());
  }

  /**
   * {@code maps} and {@code where} on a log or a recording: the model replayed over {@code file}
   * ({@code -} for standard input) with the recording's snapshots and those of {@code
   * snapshotFile}, followed by the explain stage when {@code printer} reads what the explanations
   * classed the regions as, the state after each of {@code lines} (null: after the log's last
   * memory call) handed to {@code printer} (see {@link SpaceReplay}). Returns the exit status,
   * having said on {@code err} what stopped it.
   */
  public static int spacesAt(
      String file,
      Path snapshotFile,
      List<Integer> lines,
      ElfFiles files,
      PrintWriter err,
      MapsAt.Printer printer)
      throws IOException {
    return SpaceReplay.at(file, snapshotFile, lines, files, err, printer);
  }

  /**
   * {@code maps} and {@code where} on a running process: its {@code /proc/PID/maps} as it is now,
   * or null after saying on {@code err} that it cannot be read.
   */
  public static String processMaps(int pid, PrintWriter err) {
    return SpaceReplay.processMaps(pid, err);
  }

  /** Why the output cannot go where it would: it is one of the files read (or null). */
  private String outputClash(List<AnalyzeInputs.Input> inputs) {
    List<Path> read = new ArrayList<>();
    inputs.forEach(i -> read.add(i.path() != null ? i.path() : SameFile.standardInput()));
    read.add(options.snapshots());
    boolean toFile = options.output() != null && !options.output().equals("-");
    Path out =
        toFile
            ? Path.of(options.output())
            : stdout == System.out ? SameFile.standardOutput() : null;
    Path same = out == null ? null : SameFile.among(out, read);
    if (same == null) {
      return null;
    }
    String input = same.equals(SameFile.standardInput()) ? "standard input" : same.toString();
    return toFile
        ? "-o "
            + options.output()
            + " is also an input ("
            + input
            + "): it would be overwritten before it is read;"
            + " write to another file"
        : input + ": the input is also standard output; redirect the output to another file";
  }

  /**
   * Writes the timeline of {@code source} (analyze's inputs, or a live run: none) and closes it.
   *
   * @param snaps maps snapshots to check the model against (analyze --snapshots)
   */
  int render(EventSource source, List<AnalyzeInputs.Input> inputs, List<Snapshot> snaps) {
    CheckedOutput target;
    WholeFile whole = null;
    try {
      boolean page =
          options.format() == AnalyzeOptions.Format.html
              || options.format() == AnalyzeOptions.Format.perfetto;
      if (options.output() == null || options.output().equals("-")) {
        target = CheckedOutput.of(stdout);
      } else if (page && WholeFile.fits(Path.of(options.output()))) {
        // a page is whole or absent: written beside the target and renamed when complete
        whole = new WholeFile(Path.of(options.output()));
        target = new CheckedOutput(whole.stream());
      } else {
        target = new CheckedOutput(new FileOutputStream(options.output()));
      }
    } catch (IOException | InvalidPathException e) {
      closeQuietly(source);
      return fail("cannot write " + options.output() + ": " + e.getMessage());
    }
    try {
      int status = render(source, inputs, snaps, target);
      if (whole != null && status != ExitCode.FAILED.code && status != ExitCode.WRITE_ERROR.code) {
        whole.commit();
      }
      return status;
    } catch (IOException e) {
      return fail("cannot write " + options.output() + ": " + e.getMessage());
    } finally {
      if (whole != null) {
        whole.discard();
      }
    }
  }

  private int render(
      EventSource source,
      List<AnalyzeInputs.Input> inputs,
      List<Snapshot> snaps,
      CheckedOutput target) {
    OutputStream out = new BufferedOutputStream(target, 1 << 16);
    // the summary (and the HTML report, which shows it) needs the spaces of exited processes
    boolean reports =
        options.summary() != AnalyzeOptions.Summary.none
            || options.format() == AnalyzeOptions.Format.html;
    Annotator annotate =
        new Annotator(
            snaps, options.stages(), caveats::attach, reports, elfFiles(inputs), setLines);
    annotator = annotate;
    Renderer renderer;
    try {
      renderer = renderer(out, inputs, annotate);
    } catch (IOException e) {
      closeQuietly(source);
      return fail("cannot write output: " + e.getMessage());
    }
    boolean timeline = options.summary() != AnalyzeOptions.Summary.only;
    // text and jsonl come out as they are made; a page is written whole at the end
    boolean streams =
        options.format() == AnalyzeOptions.Format.text
            || options.format() == AnalyzeOptions.Format.jsonl;
    // three threads: parsing, the stages up to explain, and rendering on this one
    ReadAhead<TraceEvent, TraceEvent> parsed =
        new ReadAhead<>(ReadAhead.of(source), snapshotOrder.parsing(), "memtrace-parse");
    // the renderer is closed on every way out: an html or perfetto renderer's temporary files go
    // at once, also when reading or a stage fails half-way
    try (renderer;
        ReadAhead<TraceEvent, AnnotatedEvent> src =
            new ReadAhead<>(parsed, snapshotOrder.before(annotate), "memtrace-annotate")) {
      long n = 0;
      Progress progress = new Progress(Terminal.progress(options, stdout, err), System::nanoTime);
      LogShape shape = new LogShape();
      if (timeline && streams) {
        synchronized (writing) {
          flushTimeline =
              () -> {
                renderer.flush();
                out.flush();
              };
        }
      }
      for (AnnotatedEvent e = next(src); e != null; e = next(src)) {
        shape.see(e.event());
        if (timeline && notices) {
          synchronized (writing) {
            renderer.event(e);
          }
        } else if (timeline) {
          renderer.event(e);
        }
        boolean waiting = !src.ready();
        if (waiting && timeline && streams) {
          // about to wait for the program or the pipe: what is written goes out now, so that the
          // timeline streams (and a reader that went away is seen) instead of waiting in the buffer
          synchronized (writing) {
            renderer.flush();
            out.flush();
          }
        }
        if ((++n & 0xfff) == 0 || waiting) {
          if (target.readerGone()) {
            // "analyze big.log | head": PrintStream swallows EPIPE; stop instead of reading on.
            progress.done();
            readerGone = true;
            return ExitCode.OK.code;
          }
          progress.update(source.linesRead());
        }
      }
      progress.done();
      if (timeline) {
        renderer.finish();
        renderer.close();
      }
      out.flush();
      boolean page =
          options.format() == AnalyzeOptions.Format.html
              || options.format() == AnalyzeOptions.Format.perfetto;
      if (options.summary() != AnalyzeOptions.Summary.none && !page) {
        // The producer thread has finished (next() returned null): its results are visible.
        if (options.format() == AnalyzeOptions.Format.jsonl) {
          SummaryJson.write(out, annotate.reports(), annotate.stats(), setLines);
        } else {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          if (timeline) {
            w.write("\n");
          }
          SummaryText.write(w, annotate.reports(), annotate.stats(), setLines);
        }
        out.flush();
      }
      target.close();
      if (target.failed() && !target.readerGone()) {
        return writeError(target);
      }
      elfNote(annotate.elfProblems());
      String caveatSummary = caveats.summary();
      if (caveatSummary != null && !inputs.isEmpty()) {
        // a live run's own notice at its end says it (LiveRun); a replayed recording's is here
        err.println("memtrace: " + caveatSummary);
      }
      if (!inputs.isEmpty() && recording == null && source.linesRead() == 0) {
        // an empty file (strace -o of a run that never started, a recording cut before its
        // header) explains nothing; say so rather than end in silence
        err.println("memtrace: " + title(inputs) + " is empty: no lines to read");
      }
      String shapeNote = shape.note();
      if (shapeNote != null && !inputs.isEmpty()) {
        // a live run's flags are memtrace's own
        err.println("memtrace: " + shapeNote);
      }
      int status = summary(source);
      if (recording != null) {
        recording.notices().forEach(m -> err.println("memtrace: " + m));
        if (options.strict() && recording.damaged() > 0) {
          status = ExitCode.UNPARSED.code;
        }
      }
      return status;
    } catch (UncheckedIOException e) {
      return fail("cannot read input: " + e.getCause().getMessage());
    } catch (StageFailure e) {
      e.getCause().printStackTrace(err);
      return fail(e.getMessage() + " (a bug in memtrace)");
    } catch (IOException e) {
      // only writing throws here: reading errors come wrapped
      readerGone = target.readerGone();
      return readerGone ? ExitCode.OK.code : writeError(target);
    } finally {
      synchronized (writing) {
        flushTimeline = null;
      }
    }
  }

  /**
   * Where the ELF headers of the programs execve maps come from: a live run's own files; what a
   * recording carries (none when it carries none); for a log, this machine's files or a copy under
   * {@code --root}, used only once the trace confirms them (ld.so's RELRO mprotect, see
   * ExecImages); none with {@code --no-elf}.
   */
  private ElfFiles elfFiles(List<AnalyzeInputs.Input> inputs) {
    if (inputs.isEmpty()) {
      return liveFiles;
    }
    if (options.noElf()) {
      return null;
    }
    if (recording != null) {
      return recording.elfObjects().isEmpty()
          ? null
          : ElfFiles.recorded(RecordedElf.answers(recording.elfObjects()));
    }
    ElfFiles files = options.root() == null ? ElfFiles.local() : ElfFiles.under(options.root());
    return files.untilProven();
  }

  /**
   * Says once, on standard error, that files were not used (the output is then what the trace alone
   * shows): the first reason and how many more.
   */
  private void elfNote(List<String> problems) {
    if (problems.isEmpty()) {
      return;
    }
    String more =
        problems.size() == 1
            ? ""
            : " (and " + (problems.size() - 1) + " more program(s) or loader(s) like it)";
    // the paths are the trace's bytes: shown as a terminal can show them
    err.println(
        "memtrace: "
            + RawText.terminal(setLines.resolve(problems.get(0), -1))
            + more
            + (liveFiles == null && recording == null
                ? "; --root DIR reads a copy of the traced machine's files"
                : ""));
  }

  /** As coreutils says it: {@code memtrace: write error: No space left on device}. */
  private int writeError(CheckedOutput target) {
    boolean file = options.output() != null && !options.output().equals("-");
    err.println(
        "memtrace: write error: " + (file ? options.output() + ": " : "") + target.reason());
    return ExitCode.WRITE_ERROR.code;
  }

  /** Reading errors are told apart from writing errors by wrapping them. */
  private static AnnotatedEvent next(ReadAhead<TraceEvent, AnnotatedEvent> src) {
    try {
      return src.next();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A snapshot of a live run or a recording, on the model stage's thread, just before the event
   * parsed after it ({@link SnapshotOrder}): checked once that call is past.
   */
  private void snapshot(LiveItemStream.LineSnapshot s) {
    MapsSnapshot m = s.snapshot();
    caveats.note(s);
    if (annotator != null) {
      annotator.addSnapshot(
          new Snapshot(
              m.line(),
              m.pid(),
              m.maps(),
              m.kind() == MapsSnapshot.Kind.AFTER_CALL ? s.lineText() : null,
              m.tasks(),
              m.exe()));
    }
  }

  private EventSource open(List<AnalyzeInputs.Input> inputs) throws IOException {
    if (inputs.size() == 1
        && inputs.get(0).path() != null
        && RecordingReader.isRecording(inputs.get(0).path())) {
      // a run --save recording: read as the live run reads it (no file name, snapshots in place)
      recording = RecordingReader.open(inputs.get(0).path());
      return new TraceReader(new LiveItemStream(recording, snapshots), null, null);
    }
    List<TraceReader> readers = new ArrayList<>();
    for (int k = 0; k < inputs.size(); k++) {
      AnalyzeInputs.Input in = inputs.get(k);
      InputStream s = in.path() == null ? System.in : Files.newInputStream(in.path());
      readers.add(new TraceReader(s, in.name(), in.pid(), setLines, k));
    }
    return readers.size() == 1 ? readers.get(0) : new MergedReader(readers);
  }

  private Renderer renderer(OutputStream out, List<AnalyzeInputs.Input> inputs, Annotator annotate)
      throws IOException {
    String title = title(inputs);
    Renderer r =
        switch (options.format()) {
          case jsonl -> new JsonlRenderer(out, inputs.size() > 1);
          case html ->
              new HtmlRenderer(out, classes, title)
                  .withSummary(annotate::reports)
                  .withLines(setLines);
          case perfetto -> new PerfettoRenderer(out, classes, title);
          case text -> new TextRenderer(out, Terminal.colour(options, stdout));
        };
    if (filter.isEmpty()) {
      return r;
    }
    if (options.format() == AnalyzeOptions.Format.html
        || options.format() == AnalyzeOptions.Format.perfetto) {
      // the picture and the counters replay every change: dropping events would falsify them
      err.println(
          "memtrace: --pid, --syscall, --class, --memory-only, --since and --until filter text "
              + "and jsonl; the "
              + options.format()
              + " output keeps every event (the report has its own filters)");
      return r;
    }
    return new FilteringRenderer(new EventFilter(filter, classes), r);
  }

  /**
   * The report's title: the log's name, a -ff set's first name and count, or where it came from.
   */
  private static String title(List<AnalyzeInputs.Input> inputs) {
    if (inputs.isEmpty()) {
      return "live run";
    }
    String first = inputs.get(0).name() == null ? "standard input" : inputs.get(0).name();
    return inputs.size() == 1 ? first : first + " and " + (inputs.size() - 1) + " more";
  }

  private int summary(EventSource src) {
    long bad = src.unparsedCount();
    if (bad == 0) {
      return ExitCode.OK.code;
    }
    UnparsedEvent first = src.firstUnparsed();
    String where =
        "line "
            + first.line()
            + (first.source().file() != null && options.files().size() != 1
                ? " of " + first.source().file()
                : "");
    err.println(
        "memtrace: "
            + bad
            + " of "
            + src.linesRead()
            + " lines could not be parsed (first: "
            + where
            + ")");
    return options.strict() ? ExitCode.UNPARSED.code : ExitCode.OK.code;
  }

  /** The message of ex on one line, or its class when it has none. */
  public static String oneLine(Throwable ex) {
    String m = ex.getMessage();
    if (m == null || m.isBlank()) {
      m = ex.getClass().getSimpleName();
    }
    return m.replace('\n', ' ');
  }

  private int fail(String message) {
    err.println("memtrace: " + message);
    return ExitCode.FAILED.code;
  }

  private static void closeQuietly(EventSource s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Already failing; the first error is the one reported.
    }
  }
}
