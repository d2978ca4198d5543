package dev.memtrace.fuzz;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.cli.Main;
import dev.memtrace.trace.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the CLI in this JVM ({@link Main#run}) on seeded mutations of real inputs: the corpus's
 * strace logs, its {@code -ff} sets and the recordings in {@code logs-extra/}. Each case takes one
 * input, applies one to three mutations (cut, duplicate, swap or delete lines, flip bytes, put
 * extreme numbers in place of numbers, give an {@code -ff} file a suffix no pid has), runs {@code
 * analyze} in one of its formats (or {@code maps}), and checks what must hold of any run:
 *
 * <ul>
 *   <li>no Throwable escapes and standard error shows no stack trace or Java class name;
 *   <li>the exit status is one analyze documents: 0, 3 or 125;
 *   <li>every jsonl line and every perfetto document parses as JSON, and a failed run leaves no -o
 *       file behind that it did not finish.
 * </ul>
 *
 * Case N of seed S is always the same run, so a failure is replayed by its numbers. Known classes
 * being fixed elsewhere are counted apart, by name, and nothing else is excused.
 */
public final class Fuzzer {

  /** One broken rule: which case, what went wrong, the command (input kept under {@code kept}). */
  public record Failure(long caseNo, String what, String command, Path kept) {
    @Override
    public String toString() {
      return "case "
          + caseNo
          + ": "
          + what
          + "\n    memtrace "
          + command
          + "\n    input kept in "
          + kept;
    }
  }

  /** What a run of cases found. */
  public record Tally(int cases, List<Failure> failures) {}

  private static final Pattern STACK_TRACE =
      Pattern.compile(
          "(?m)^\\s+at [\\w.$]+\\(|Exception\\b|\\bjava\\.[a-z]|com\\.fasterxml|\\[Source:|StackOverflow");
  private static final Set<Integer> DOCUMENTED = Set.of(0, 3, 125);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final String[] EXTREME = {
    "0",
    "-1",
    "2147483647",
    "2147483648",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999",
    "0xffffffffffffffff",
    "0x7fffffffffffffff",
    "0x8000000000000000",
    "-9223372036854775808",
    "0x10000000000000000",
    "1e308",
    "00000000000000000000000000001"
  };
  private static final Pattern MEMORY_CALL =
      Pattern.compile("\\b(mmap|munmap|mremap|mprotect|brk|madvise|shmat|clone3?)\\(");
  private static final Pattern NUMBER = Pattern.compile("-?(0x[0-9a-f]+|\\d+)");

  private final long seed;
  private final Path work;
  private final List<Path> logs = new ArrayList<>();
  private final List<List<Path>> ffSets = new ArrayList<>();
  private final List<Path> recordings = new ArrayList<>();
  private final ExecutorService runner =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "fuzz-case");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param maxLogBytes corpus logs larger than this are left out (the in-build run keeps to small
   *     ones)
   */
  public Fuzzer(long seed, Path work, long maxLogBytes) throws IOException {
    this.seed = seed;
    this.work = work;
    for (Path p : Corpus.allLogs()) {
      String name = p.getFileName().toString();
      if (Files.size(p) > maxLogBytes) {
        continue;
      }
      if (name.matches(".*_ff\\.\\d+")) {
        continue;
      }
      logs.add(p);
    }
    try (Stream<Path> s = Files.list(Corpus.logs())) {
      Map<String, List<Path>> sets = new TreeMap<>();
      s.filter(p -> p.getFileName().toString().matches(".*_ff\\.\\d+"))
          .sorted()
          .forEach(
              p -> {
                String n = p.getFileName().toString();
                sets.computeIfAbsent(n.substring(0, n.lastIndexOf('.')), k -> new ArrayList<>())
                    .add(p);
              });
      ffSets.addAll(sets.values());
    }
    Path extra = extra();
    try (Stream<Path> s = Files.list(extra)) {
      s.sorted()
          .forEach(
              p -> {
                if (p.toString().endsWith(".mtrace")) {
                  recordings.add(p);
                } else {
                  logs.add(p);
                }
              });
    }
  }

  private static Path extra() {
    try {
      return Path.of(Fuzzer.class.getResource("/logs-extra").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs cases {@code from} to {@code from + count - 1}; {@code progress} hears of each. */
  public Tally run(long from, int count, LongConsumer progress) throws IOException {
    return run(from, count, progress, f -> {});
  }

  /**
   * As {@link #run(long, int, java.util.function.LongConsumer)}; {@code failed} hears of each
   * failure at once.
   */
  public Tally run(long from, int count, LongConsumer progress, Consumer<Failure> failed)
      throws IOException {
    List<Failure> failures = new ArrayList<>();
    for (long c = from; c < from + count; c++) {
      Failure f = one(c);
      if (f != null) {
        failures.add(f);
        failed.accept(f);
      }
      progress.accept(c);
    }
    return new Tally(count, failures);
  }

  /** One case: its input made, the command run, the rules checked; null when all held. */
  Failure one(long caseNo) throws IOException {
    Random r = new Random(seed * 1_000_003L + caseNo);
    Path dir = work.resolve("case");
    clean(dir);
    Files.createDirectories(dir);
    List<String> args = new ArrayList<>();
    String format = pick(r, "text", "jsonl", "jsonl", "html", "perfetto", "perfetto");
    List<String> inputs = input(r, dir);
    boolean maps = r.nextInt(10) == 0;
    Path outFile = null;
    if (maps) {
      args.add("maps");
      args.add("--at");
      args.add(String.valueOf(1 + r.nextInt(60)));
    } else {
      args.add("analyze");
      args.add("--format");
      args.add(format);
      switch (r.nextInt(6)) {
        case 0 -> args.add("--summary");
        case 1 -> args.add("--with-summary");
        case 2 -> args.add("--strict");
        default -> {}
      }
      if (r.nextInt(5) == 0) {
        switch (r.nextInt(5)) {
          case 0 -> args.addAll(List.of("--pid", pick(r, "1", "695", "26593", "4194304")));
          case 1 -> args.addAll(List.of("--syscall", pick(r, "mmap", "brk,munmap", "read")));
          case 2 -> args.add("--memory-only");
          case 3 -> args.addAll(List.of("--since", pick(r, "10", "0.5s", "99999999999999999999")));
          default -> args.addAll(List.of("--until", pick(r, "5", "1s", "-1")));
        }
      }
      if (r.nextInt(4) == 0) {
        outFile = dir.resolve("out." + format);
        args.add("-o");
        args.add(outFile.toString());
      }
    }
    args.addAll(inputs);
    return execute(caseNo, args, maps ? "maps" : format, outFile, dir);
  }

  /**
   * Runs {@code args} in this JVM and checks the rules; null when they held.
   *
   * @param format the output format ("maps" for the maps command)
   * @param outFile the -o file, or null
   * @param dir the case's folder: its input, kept when a rule broke
   */
  Failure execute(long caseNo, List<String> args, String format, Path outFile, Path dir)
      throws IOException {
    String command = String.join(" ", args);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status;
    Throwable thrown = null;
    Future<Integer> run =
        runner.submit(
            () -> {
              try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                  PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                return Main.run(args.toArray(String[]::new), o, e);
              }
            });
    try {
      status = run.get(60, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      run.cancel(true);
      return keep(caseNo, "no result after 60 s", command, dir);
    } catch (ExecutionException e) {
      thrown = e.getCause();
      status = -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    String errText = err.toString(StandardCharsets.UTF_8);
    if (thrown != null) {
      return keep(caseNo, "threw " + thrown + " at " + firstFrames(thrown), command, dir);
    }
    if (!DOCUMENTED.contains(status)) {
      return keep(caseNo, "exit status " + status + ": " + firstLine(errText), command, dir);
    }
    Matcher m = STACK_TRACE.matcher(errText);
    if (m.find()) {
      return keep(
          caseNo,
          "Java internals on standard error: " + lineAround(errText, m.start()),
          command,
          dir);
    }
    String what = checkOutput(format, status, out.toByteArray(), outFile, dir);
    return what == null ? null : keep(caseNo, what, command, dir);
  }

  /** The output rules; null when they hold. */
  private static String checkOutput(
      String format, int status, byte[] stdout, Path outFile, Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> temps = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
      if (!temps.isEmpty()) {
        return "temporary file left behind: " + temps;
      }
    }
    byte[] doc = stdout;
    if (outFile != null) {
      if (status == 125 && (format.equals("html") || format.equals("perfetto"))) {
        return Files.exists(outFile) ? "a failed " + format + " run left its -o file" : null;
      }
      doc = Files.exists(outFile) ? Files.readAllBytes(outFile) : new byte[0];
    }
    if (status == 125) {
      return null; // a run that failed part-way wrote what it had to a stream; nothing to parse
    }
    String text = new String(doc, StandardCharsets.UTF_8);
    if (format.equals("jsonl")) {
      int n = 0;
      for (String l : text.split("\n")) {
        n++;
        if (!l.isEmpty() && !parses(l)) {
          return "jsonl line " + n + " is not JSON: " + abbreviate(l);
        }
      }
    } else if (format.equals("perfetto")) {
      if (!parses(text)) {
        return "perfetto output is not JSON (" + doc.length + " bytes)";
      }
    }
    return null;
  }

  private static boolean parses(String json) {
    try {
      return JSON.readTree(json) != null;
    } catch (IOException e) {
      return false;
    }
  }

  /** Writes the case's input into {@code dir}; the file arguments for the command. */
  private List<String> input(Random r, Path dir) throws IOException {
    int kind = r.nextInt(10);
    if (kind < 2 && !ffSets.isEmpty()) {
      List<Path> set = ffSets.get(r.nextInt(ffSets.size()));
      String prefix = "t";
      int victim = r.nextInt(set.size());
      for (int k = 0; k < set.size(); k++) {
        Path p = set.get(k);
        String pid =
            p.getFileName().toString().substring(p.getFileName().toString().lastIndexOf('.') + 1);
        byte[] b = Files.readAllBytes(p);
        if (k == victim) {
          b = mutate(r, b);
          if (r.nextInt(4) == 0) {
            pid = pick(r, "99999999999999999999", "4194305", "2147483648", "0", "00042");
          }
        }
        Files.write(dir.resolve(prefix + "." + pid), b);
      }
      return List.of(dir.resolve(prefix).toString());
    }
    Path source =
        kind < 4 && !recordings.isEmpty()
            ? recordings.get(r.nextInt(recordings.size()))
            : logs.get(r.nextInt(logs.size()));
    String name = source.getFileName().toString();
    Path in = dir.resolve(name.endsWith(".mtrace") ? "in.mtrace" : "in.log");
    Files.write(in, mutate(r, Files.readAllBytes(source)));
    return List.of(in.toString());
  }

  /** One to three mutations of {@code b}. */
  static byte[] mutate(Random r, byte[] b) {
    int n = 1 + r.nextInt(3);
    for (int k = 0; k < n; k++) {
      b =
          switch (r.nextInt(8)) {
            case 7 -> insert(r, b);
            case 0 -> cut(r, b);
            case 1 -> lines(r, b, Op.DUPLICATE);
            case 2 -> lines(r, b, Op.SWAP);
            case 3 -> lines(r, b, Op.DELETE);
            case 4 -> flip(r, b);
            default -> extreme(r, b);
          };
    }
    return b;
  }

  private enum Op {
    DUPLICATE,
    SWAP,
    DELETE
  }

  private static byte[] cut(Random r, byte[] b) {
    return b.length == 0 ? b : Arrays.copyOf(b, r.nextInt(b.length));
  }

  /** A line of random bytes, NULs and CRs, or a long one, put between two lines. */
  private static byte[] insert(Random r, byte[] b) {
    List<String> l = split(b);
    StringBuilder junk = new StringBuilder();
    int n = r.nextInt(10) == 0 ? 100_000 + r.nextInt(200_000) : 1 + r.nextInt(120);
    for (int k = 0; k < n; k++) {
      int c =
          switch (r.nextInt(8)) {
            case 0 -> 0;
            case 1 -> '\r';
            case 2 -> '(';
            case 3 -> '"';
            case 4 -> ' ';
            case 5 -> 'a' + r.nextInt(26);
            default -> r.nextInt(256);
          };
      junk.append(c == '\n' ? ' ' : (char) c);
    }
    l.add(r.nextInt(l.size() + 1), junk.toString());
    return join(l);
  }

  private static byte[] flip(Random r, byte[] b) {
    byte[] c = b.clone();
    int n = 1 + r.nextInt(4);
    for (int k = 0; k < n && c.length > 0; k++) {
      int at = r.nextInt(c.length);
      c[at] = r.nextBoolean() ? (byte) r.nextInt(256) : (byte) (c[at] ^ (1 << r.nextInt(8)));
    }
    return c;
  }

  private static byte[] lines(Random r, byte[] b, Op op) {
    List<String> l = split(b);
    if (l.isEmpty()) {
      return b;
    }
    int i = r.nextInt(l.size());
    int j = r.nextInt(l.size());
    switch (op) {
      case DUPLICATE -> {
        int times = r.nextInt(8) == 0 ? 1 + r.nextInt(200) : 1;
        for (int k = 0; k < times; k++) {
          l.add(j, l.get(i));
        }
      }
      case SWAP -> {
        String t = l.get(i);
        l.set(i, l.get(j));
        l.set(j, t);
      }
      case DELETE -> l.remove(i);
    }
    return join(l);
  }

  private static byte[] extreme(Random r, byte[] b) {
    List<String> l = split(b);
    if (l.isEmpty()) {
      return b;
    }
    List<Integer> memory = new ArrayList<>();
    if (r.nextBoolean()) {
      // half the time a memory call's numbers: the model's arithmetic is where they bite
      for (int k = 0; k < l.size(); k++) {
        if (MEMORY_CALL.matcher(l.get(k)).find()) {
          memory.add(k);
        }
      }
    }
    for (int tries = 0; tries < 8; tries++) {
      int i = memory.isEmpty() ? r.nextInt(l.size()) : memory.get(r.nextInt(memory.size()));
      Matcher m = NUMBER.matcher(l.get(i));
      List<int[]> at = new ArrayList<>();
      while (m.find()) {
        at.add(new int[] {m.start(), m.end()});
      }
      if (!at.isEmpty()) {
        int[] x = at.get(r.nextInt(at.size()));
        String s = l.get(i);
        l.set(i, s.substring(0, x[0]) + EXTREME[r.nextInt(EXTREME.length)] + s.substring(x[1]));
        return join(l);
      }
    }
    return b;
  }

  /** Lines as ISO-8859-1 text, so every byte survives. */
  private static List<String> split(byte[] b) {
    String s = new String(b, StandardCharsets.ISO_8859_1);
    List<String> l = new ArrayList<>(List.of(s.split("\n", -1)));
    return l;
  }

  private static byte[] join(List<String> l) {
    return String.join("\n", l).getBytes(StandardCharsets.ISO_8859_1);
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... choices) {
    return choices[r.nextInt(choices.length)];
  }

  private Failure keep(long caseNo, String what, String command, Path dir) throws IOException {
    Path kept = work.resolve("failures/case-" + caseNo);
    clean(kept);
    Files.createDirectories(kept);
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.copy(p, kept.resolve(p.getFileName()));
      }
    }
    return new Failure(caseNo, what, command.replace(dir.toString(), kept.toString()), kept);
  }

  private static void clean(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  private static String trace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private static String firstFrames(Throwable t) {
    StackTraceElement[] st = t.getStackTrace();
    List<String> f = new ArrayList<>();
    for (int k = 0; k < Math.min(4, st.length); k++) {
      f.add(st[k].toString());
    }
    return String.join(" < ", f);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return abbreviate(nl < 0 ? s : s.substring(0, nl));
  }

  private static String lineAround(String s, int at) {
    int a = s.lastIndexOf('\n', at) + 1;
    int e = s.indexOf('\n', at);
    return abbreviate(s.substring(a, e < 0 ? s.length() : e));
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  /**
   * The long run (bench/fuzz.sh): {@code Fuzzer CASES [SEED [FIRST]]}; prints cases per second and
   * every failure, exits 1 when any rule broke.
   */
  public static void main(String[] args) throws IOException {
    int cases = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 15L;
    long first = args.length > 2 ? Long.parseLong(args[2]) : 0;
    Path work = Files.createTempDirectory("memtrace-fuzz");
    Fuzzer f = new Fuzzer(seed, work, Long.MAX_VALUE);
    System.out.printf(
        "fuzz: seed %d, cases %d..%d, %d logs, %d -ff sets, %d recordings; work %s%n",
        seed, first, first + cases - 1, f.logs.size(), f.ffSets.size(), f.recordings.size(), work);
    long start = System.nanoTime();
    long[] last = {start};
    Tally t =
        f.run(
            first,
            cases,
            c -> {
              long now = System.nanoTime();
              if (now - last[0] > 30e9) {
                last[0] = now;
                System.out.printf(
                    "fuzz: %d cases, %.1f cases/s%n",
                    c - first + 1, (c - first + 1) / ((now - start) / 1e9));
              }
            },
            x -> System.out.println("FAIL " + x));
    double secs = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "fuzz: %d cases in %.1f s: %.1f cases/s; %d failures%n",
        t.cases(), secs, t.cases() / secs, t.failures().size());
    System.exit(t.failures().isEmpty() ? 0 : 1);
  }
}
