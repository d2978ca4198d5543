import dev.memtrace.correlate.ModelStage;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * In-process figure for what the model stage costs, without JVM start-up, JIT warm-up or output:
 * reads a log ROUNDS times each way (parse only; parse + model stage), alternating, and prints the
 * best time of each. Run: {@code java -cp target/memtrace.jar bench/ModelOverhead.java
 * bench/out/big.log [ROUNDS]}
 */
public class ModelOverhead {
  public static void main(String[] args) throws Exception {
    Path log = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    double bestParse = Double.MAX_VALUE;
    double bestModel = Double.MAX_VALUE;
    long events = 0;
    for (int round = 0; round < rounds; round++) {
      for (boolean model : new boolean[] {false, true}) {
        long t0 = System.nanoTime();
        ModelStage stage = new ModelStage(new dev.memtrace.model.MemoryModel(), List.of());
        long n = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(log), 1 << 16);
            TraceReader r = new TraceReader(in, log.toString(), null)) {
          for (TraceEvent e = r.next(); e != null; e = r.next()) {
            n++;
            if (e instanceof SyscallEvent s) {
              s.args().texts(); // what every renderer does anyway
            }
            if (model) {
              stage.annotate(e);
            }
          }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        events = n;
        if (model) {
          bestModel = Math.min(bestModel, s);
        } else {
          bestParse = Math.min(bestParse, s);
        }
      }
    }
    System.out.printf(
        "%d events; best of %d: parse only %.3fs, parse + model %.3fs, overhead %.1f%%%n",
        events, rounds, bestParse, bestModel, (bestModel / bestParse - 1) * 100);
  }
}
