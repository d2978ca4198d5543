import dev.memtrace.correlate.ModelStage;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the model costs once compiled: passes over a log in one JVM, parsing only and parsing plus
 * the model stage, alternately, without rendering. Both split every call's arguments into texts
 * (the renderer would), so the difference is the model's own work. Run by bench/model-steady.sh.
 */
public class ModelSteady {
  public static void main(String[] args) throws Exception {
    Path log = Path.of(args[0]);
    int rounds = Integer.parseInt(args[1]);
    double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
    long lines = 0;
    for (int round = 0; round < rounds; round++) {
      for (int stage = 0; stage < 2; stage++) {
        long t0 = System.nanoTime();
        ModelStage model = new ModelStage(new MemoryModel(), List.of());
        long seen = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(log), 1 << 16);
            TraceReader r = new TraceReader(in, log.toString(), null)) {
          for (TraceEvent e = r.next(); e != null; e = r.next()) {
            if (e instanceof SyscallEvent s) {
              seen += s.args().texts().size();
            }
            AnnotatedEvent a = stage == 0 ? AnnotatedEvent.bare(e) : model.annotate(e);
            seen += a.changes().size();
          }
          lines = r.linesRead();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        best[stage] = Math.min(best[stage], s);
        System.out.printf(
            "pass %d, %s: %.3f s (%d)%n",
            round + 1, stage == 0 ? "parse only" : "parse + model", s, seen);
      }
    }
    System.out.printf(
        "best of %d: parse only %.3f s, the model +%.3f s (%.3f µs a line over %d" + " lines)%n",
        rounds, best[0], best[1] - best[0], (best[1] - best[0]) * 1e6 / lines, lines);
  }
}
