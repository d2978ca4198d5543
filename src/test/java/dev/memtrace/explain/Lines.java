package dev.memtrace.explain;

import dev.memtrace.trace.Arg;
import dev.memtrace.trace.Args;
import dev.memtrace.trace.Prefix;
import dev.memtrace.trace.Result;
import dev.memtrace.trace.SignalEvent;
import dev.memtrace.trace.Source;
import dev.memtrace.trace.StackFrame;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small reader of plain strace lines for the explain tests, so they do not wait for the real
 * parser: pid prefixes, complete and unfinished/resumed calls, -k frames, signals. Lines it does
 * not understand are skipped (the real parser's tests cover every shape).
 */
final class Lines {
  private static final Pattern PID = Pattern.compile("^(?:\\[pid\\s+(\\d+)\\]|(\\d+))\\s+");
  private static final Pattern SUPERSEDED =
      Pattern.compile("^\\+\\+\\+ superseded by execve in pid (\\d+)");
  private static final Pattern FRAME =
      Pattern.compile("^ > (.*?)(?:\\(([^+)]*)(?:\\+0x([0-9a-f]+))?\\))? \\[0x([0-9a-f]+)\\]$");
  private static final Pattern FRAME_COLON =
      Pattern.compile("^ > ([^:]*):([^+\\s]*)(?:\\+(\\d+))? \\[0x([0-9a-f]+)\\]$");

  private Lines() {}

  static List<TraceEvent> read(Path p) throws IOException {
    return parse(Files.readAllLines(p, java.nio.charset.StandardCharsets.ISO_8859_1),
        p.getFileName().toString());
  }

  static List<TraceEvent> parse(List<String> lines, String file) {
    List<TraceEvent> out = new ArrayList<>();
    Map<Integer, String[]> unfinished = new HashMap<>();
    int n = 0;
    for (String raw : lines) {
      n++;
      String line = raw;
      if (line.startsWith(" > ")) {
        if (!out.isEmpty() && out.get(out.size() - 1) instanceof SyscallEvent s) {
          List<StackFrame> fr = new ArrayList<>(s.stack());
          fr.add(frame(line));
          out.set(out.size() - 1, s.withStack(fr));
        }
        continue;
      }
      Integer pid = null;
      Matcher m = PID.matcher(line);
      if (m.find()) {
        pid = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
        line = line.substring(m.end());
      }
      Prefix prefix = Prefix.NONE.withPid(pid);
      int key = pid == null ? -1 : pid;
      if (line.startsWith("--- SIG")) {
        String sig = line.substring(4, line.indexOf(' ', 4));
        int b = line.indexOf('{');
        int e = line.lastIndexOf('}');
        Arg info = b > 0 && e > b ? new Arg.Other(line.substring(b, e + 1)) : null;
        out.add(new SignalEvent(new Source(file, n, raw), prefix, sig, info, List.of()));
        continue;
      }
      Matcher sup = SUPERSEDED.matcher(line);
      if (sup.find()) {
        String[] u = unfinished.remove(Integer.parseInt(sup.group(1)));
        if (u != null) {
          unfinished.put(key, u);
        }
        continue;
      }
      if (line.endsWith("<unfinished ...>")) {
        unfinished.put(key, new String[] {line.substring(0, line.length() - 16).trim(),
            Integer.toString(n), raw});
        continue;
      }
      int firstLine = n;
      String text = raw;
      if (line.startsWith("<... ")) {
        String[] u = unfinished.remove(key);
        int r = line.indexOf("resumed>");
        if (u == null || r < 0) {
          continue;
        }
        String rest = line.substring(r + 8);
        String head = u[0];
        line = head + (head.endsWith("(") || rest.startsWith(")") ? "" : ", ") + rest.trim();
        line = line.replace(", )", ")");
        firstLine = Integer.parseInt(u[1]);
        text = u[2] + "\n" + raw;
      }
      SyscallEvent ev = call(line, prefix, new Source(file, firstLine, text));
      if (ev != null) {
        out.add(ev);
      }
    }
    return out;
  }

  private static StackFrame frame(String line) {
    Matcher m = FRAME.matcher(line);
    if (m.matches()) {
      return new StackFrame(m.group(1), m.group(2),
          m.group(3) == null ? null : Long.parseLong(m.group(3), 16),
          Long.parseLong(m.group(4), 16));
    }
    Matcher c = FRAME_COLON.matcher(line);
    if (c.matches()) {
      return new StackFrame(c.group(1), c.group(2),
          c.group(3) == null ? null : Long.parseLong(c.group(3)),
          Long.parseLong(c.group(4), 16));
    }
    return new StackFrame(line.substring(3), null, null, null);
  }

  static SyscallEvent call(String line, Prefix prefix, Source source) {
    int open = line.indexOf('(');
    if (open <= 0 || !line.substring(0, open).matches("[a-z_0-9]+")) {
      return null;
    }
    String name = line.substring(0, open);
    int depth = 0;
    boolean str = false;
    int close = -1;
    List<String> texts = new ArrayList<>();
    int start = open + 1;
    for (int i = open; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (str) {
        if (ch == '\\') {
          i++;
        } else if (ch == '"') {
          str = false;
        }
        continue;
      }
      if (ch == '"') {
        str = true;
      } else if (ch == '(' || ch == '{' || ch == '[') {
        depth++;
      } else if (ch == ')' || ch == '}' || ch == ']') {
        depth--;
        if (depth == 0) {
          close = i;
          break;
        }
      } else if (ch == ',' && depth == 1) {
        texts.add(line.substring(start, i).trim());
        start = i + 1;
      }
    }
    if (close < 0) {
      return null;
    }
    String last = line.substring(start, close).trim();
    if (!last.isEmpty() || !texts.isEmpty()) {
      texts.add(last);
    }
    String argText = line.substring(open + 1, close);
    Result result = null;
    int eq = line.indexOf(" = ", close);
    if (eq > 0) {
      String r = line.substring(eq + 3).trim();
      String[] parts = r.split(" ", 2);
      String errno = null;
      String msg = null;
      if (parts.length > 1 && parts[1].matches("E[A-Z0-9]+ .*")) {
        errno = parts[1].substring(0, parts[1].indexOf(' '));
        msg = parts[1].substring(parts[1].indexOf(' ') + 1);
      }
      long v = Num.parse(parts[0]);
      result = new Result(parts[0], v == Num.NONE ? null : v, errno, msg, null, List.of());
    }
    Args args = new SimpleArgs(argText, texts);
    return new SyscallEvent(source, prefix, name, args, result, null, List.of(),
        SyscallEvent.Completion.COMPLETE);
  }

  record SimpleArgs(String text, List<String> texts) implements Args {
    @Override
    public Arg get(int i) {
      return new Arg.Other(texts.get(i));
    }
  }
}
