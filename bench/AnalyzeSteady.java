import dev.memtrace.cli.Main;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * What a whole {@code analyze} costs once compiled: runs it ROUNDS times in one JVM for each stage
 * list given (--stages: explain, model, parse), in turn, its output to a file as in a real run, and
 * prints every pass and the best. The JVM's first pass pays the JIT's warm-up; the best pass is
 * what no JVM option or warm-up trick can go below. Run by bench/analyze-steady.sh.
 *
 * <p>Usage: AnalyzeSteady LOG ROUNDS OUTPUT FORMAT STAGES...
 */
public class AnalyzeSteady {
  public static void main(String[] args) throws Exception {
    String log = args[0];
    int rounds = Integer.parseInt(args[1]);
    String output = args[2];
    String format = args[3];
    for (String stages : Arrays.copyOfRange(args, 4, args.length)) {
      double first = 0;
      double best = Double.MAX_VALUE;
      for (int round = 0; round < rounds; round++) {
        long t0 = System.nanoTime();
        int status;
        try (PrintStream out =
            new PrintStream(new BufferedOutputStream(new FileOutputStream(output), 1 << 16))) {
          status =
              Main.run(
                  new String[] {"analyze", "--format", format, "--stages", stages, log},
                  out,
                  System.err);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (status != 0) {
          throw new IllegalStateException("analyze exited with status " + status);
        }
        first = round == 0 ? s : first;
        best = Math.min(best, s);
        System.out.printf("%s %s, pass %d: %.3f s%n", format, stages, round + 1, s);
      }
      System.out.printf("RESULT %s %s first %.3f best %.3f%n", format, stages, first, best);
    }
  }
}
