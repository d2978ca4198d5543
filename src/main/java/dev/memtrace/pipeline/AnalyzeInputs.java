package dev.memtrace.pipeline;

import java.io.File;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns analyze's FILE arguments into inputs: {@code -} (or nothing) is standard input; a file is
 * itself; a name that does not exist but has {@code NAME.PID} siblings is that {@code -ff} set.
 * When several files are read together, a {@code .PID} suffix gives the pid of the lines in that
 * file (the {@code -ff} files carry no pid prefix); a suffix no pid can have (above the kernel's
 * PID_MAX_LIMIT, 2^22 on 64-bit: see proc(5), /proc/sys/kernel/pid_max) is not taken for one, and
 * the caller is told.
 */
final class AnalyzeInputs {

  private static final Pattern PID_SUFFIX = Pattern.compile(".*\\.(\\d+)");

  /** PID_MAX_LIMIT on 64-bit Linux (include/linux/threads.h): no pid is larger. */
  static final int PID_MAX_LIMIT = 1 << 22;

  /** One input; path null means standard input. */
  record Input(Path path, String name, Integer pid) {}

  /** A problem with an argument, worded for the one-line error. */
  static final class BadInput extends Exception {
    BadInput(String message) {
      super(message);
    }
  }

  private AnalyzeInputs() {}

  static List<Input> resolve(List<String> args) throws BadInput {
    return resolve(args, note -> {});
  }

  /** As {@link #resolve(List)}; {@code notes} hears of each file whose suffix is not a pid. */
  static List<Input> resolve(List<String> args, Consumer<String> notes) throws BadInput {
    if (args.isEmpty()) {
      return List.of(new Input(null, null, null));
    }
    List<Path> paths = new ArrayList<>();
    boolean stdin = false;
    for (String a : args) {
      if (a.equals("-")) {
        stdin = true;
        continue;
      }
      Path p = Path.of(a);
      if (Files.isDirectory(p)) {
        throw new BadInput(a + ": is a directory");
      }
      if (Files.exists(p)) {
        if (!Files.isReadable(p)) {
          throw new BadInput(a + ": permission denied");
        }
        paths.add(p);
        continue;
      }
      List<Path> set = ffSet(p);
      if (set.isEmpty()) {
        throw new BadInput(a + ": no such file");
      }
      paths.addAll(set);
    }
    if (stdin && !paths.isEmpty()) {
      throw new BadInput("'-' (standard input) cannot be mixed with files");
    }
    if (stdin) {
      return List.of(new Input(null, null, null));
    }
    boolean several = paths.size() > 1;
    List<Input> out = new ArrayList<>();
    for (Path p : paths) {
      Integer pid = null;
      Matcher m = PID_SUFFIX.matcher(p.getFileName().toString());
      if (several && m.matches()) {
        pid = pid(m.group(1));
        if (pid == null) {
          notes.accept(
              p
                  + ": the suffix "
                  + shortened(m.group(1))
                  + " is not a pid (pids are at most "
                  + PID_MAX_LIMIT
                  + "); its lines are read without one");
        }
      }
      out.add(new Input(p, p.toString(), pid));
    }
    return out;
  }

  /** {@code PREFIX.<pid>} files beside a PREFIX that does not exist, by pid. */
  static List<Path> ffSet(Path prefix) {
    Path dir = prefix.toAbsolutePath().getParent();
    String base = prefix.getFileName().toString() + ".";
    File[] found =
        dir == null
            ? null
            : dir.toFile()
                .listFiles(
                    (d, n) ->
                        n.startsWith(base)
                            && n.length() > base.length()
                            && n.substring(base.length())
                                .chars()
                                .allMatch(c -> c >= '0' && c <= '9'));
    if (found == null) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    for (File f : found) {
      out.add(prefix.resolveSibling(f.getName()));
    }
    out.sort(
        Comparator.comparing(
            p -> new BigInteger(p.getFileName().toString().substring(base.length()))));
    return out;
  }

  /** The pid a file name's digits give, or null when no pid can be that large. */
  static Integer pid(String digits) {
    String d = digits.replaceFirst("^0+(?=.)", "");
    if (d.length() > 7) {
      return null;
    }
    int v = Integer.parseInt(d);
    return v <= PID_MAX_LIMIT ? v : null;
  }

  private static String shortened(String digits) {
    return digits.length() <= 24
        ? digits
        : digits.substring(0, 20) + "... (" + digits.length() + " digits)";
  }
}
